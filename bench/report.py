"""Targets, result files and the human summary table (pure rendering; tests/bench covers it)."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Check = Callable[[float, float], bool]
NOT_AVAILABLE = "not available on this build"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    target: tuple[str, float] | None = None  # (">=", 0.5), ("<", 100), ("==", 0)

    def met(self, value: float | None) -> bool | None:
        if self.target is None or value is None:
            return None
        op, limit = self.target
        check: Check = {
            ">": operator.gt,
            ">=": operator.ge,
            "<": operator.lt,
            "<=": operator.le,
            "==": operator.eq,
        }[op]
        return check(value, limit)

    def target_text(self) -> str:
        if self.target is None:
            return ""
        op, limit = self.target
        return f"{op} {_number(limit)}{self.unit_suffix}"

    @property
    def unit_suffix(self) -> str:
        return f" {self.unit}" if self.unit else ""


FIGURES: tuple[Figure, ...] = (
    Figure("seed_seconds", "Seed (bulk inserts)", "s"),
    Figure("diary_rps", "1. Diary POST throughput (16 clients, 20 s)", "req/s"),
    Figure("diary_p50_ms", "1. Diary POST p50", "ms"),
    Figure("diary_p95_ms", "1. Diary POST p95", "ms", ("<", 100)),
    Figure("diary_p99_ms", "1. Diary POST p99", "ms"),
    Figure("diary_errors", "1. Diary POST errors", ""),
    Figure("ceiling_rps", "1. Ceiling (bare Flask insert) throughput", "req/s"),
    Figure("ceiling_p95_ms", "1. Ceiling p95", "ms"),
    Figure("diary_ceiling_ratio", "1. Diary / ceiling throughput", "", (">=", 0.5)),
    Figure("api_put_rps", "1b. Diary API PUT throughput (same clients)", "req/s"),
    Figure("api_put_p95_ms", "1b. Diary API PUT p95", "ms", ("<", 100)),
    Figure("api_put_errors", "1b. Diary API PUT non-2xx (ETags read first: 0 expected)", ""),
    Figure("api_put_ceiling_ratio", "1b. Diary API PUT / ceiling throughput", "", (">=", 0.35)),
    Figure("summary_90d_median_ms", "2. Summary, 90 days of history: median", "ms"),
    Figure("summary_90d_p95_ms", "2. Summary, 90 days: p95", "ms"),
    Figure("summary_1y_median_ms", "2. Summary, 1 year: median", "ms"),
    Figure("summary_1y_p95_ms", "2. Summary, 1 year: p95", "ms"),
    Figure("summary_3y_median_ms", "2. Summary, 3 years: median", "ms", ("<", 150)),
    Figure("summary_3y_p95_ms", "2. Summary, 3 years: p95", "ms"),
    Figure("summary_ratio", "2. Summary 3 years / 90 days (median)", "", ("<=", 2)),
    Figure("upcoming_median_ms", "3. Upcoming follow-ups (500 patients): median", "ms", ("<", 300)),
    Figure("upcoming_p95_ms", "3. Upcoming follow-ups: p95", "ms"),
    Figure("plan_tick_seconds", "4. Planning tick, 100,000 recipients", "s", ("<", 5)),
    Figure("plan_rows_written", "4. Planning tick: outbox rows written", ""),
    Figure("plan_repeat_tick_seconds", "4. Repeat tick (nothing new to write)", "s", ("<", 5)),
    Figure("dispatch_rows_due", "5. Dispatch: due outbox rows", ""),
    Figure("dispatch_1_mps", "5. Dispatch, 1 worker", "msg/s"),
    Figure("dispatch_1_sent", "5. Dispatch, 1 worker: messages sent", "", (">", 0)),
    Figure("dispatch_1_skipped", "5. Dispatch, 1 worker: rows skipped (not sent)", "", ("==", 0)),
    Figure("dispatch_4_mps", "5. Dispatch, 4 workers", "msg/s", (">=", 200)),
    Figure("dispatch_4_sent", "5. Dispatch, 4 workers: messages sent", "", (">", 0)),
    Figure("dispatch_4_skipped", "5. Dispatch, 4 workers: rows skipped (not sent)", "", ("==", 0)),
    Figure("dispatch_duplicates", "5. Messages sent twice", "", ("==", 0)),
    Figure("worker_rss_mb", "6. Web worker peak RSS", "MB", ("<", 200)),
    Figure("registry_seed_seconds", "7. Registry: seed of 2,000 patients", "s"),
    Figure("registry_median_ms", "7. Registry, 2,000 active patients: median", "ms", ("<", 500)),
    Figure("registry_p95_ms", "7. Registry: p95", "ms"),
)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"


def cell(value: Any, note: str | None = None) -> str:
    if value is None:
        return f"n/a ({note})" if note else "n/a"
    if isinstance(value, int | float):
        return _number(float(value))
    return str(value)


def verdict(figure: Figure, values: Sequence[Any]) -> str:
    if figure.target is None:
        return ""
    outcomes = [figure.met(v) for v in values if isinstance(v, int | float)]
    if not outcomes:
        return "not measured"
    return "met" if all(outcomes) else "**missed**"


def render_table(runs: Sequence[Mapping[str, Any]], *, heading: str, machine: str) -> str:
    """One markdown table with a column per database, targets and whether each was met."""
    names = [str(run["db"]) for run in runs]
    lines = [
        f"### {heading}",
        "",
        f"Machine: {machine}",
        "",
        "| figure | " + " | ".join(names) + " | target | |",
        "|---|" + "---:|" * len(names) + "---|---|",
    ]
    for figure in FIGURES:
        values = [run["figures"].get(figure.key) for run in runs]
        notes = [run.get("notes", {}).get(figure.key) for run in runs]
        if all(v is None for v in values) and not any(notes):
            continue
        cells = [cell(v, n) for v, n in zip(values, notes, strict=True)]
        label = f"{figure.label} ({figure.unit})" if figure.unit else figure.label
        lines.append(
            f"| {label} | "
            + " | ".join(cells)
            + f" | {figure.target_text()} | {verdict(figure, values)} |"
        )
    failed = [f"- **FAILED** ({run['db']}): {failure}" for run in runs for failure in failures(run)]
    extra = sorted({n for run in runs for n in run.get("remarks", [])})
    if failed or extra:
        lines += ["", *failed, *[f"- {remark}" for remark in extra]]
    return "\n".join(lines) + "\n"


def failures(run: Mapping[str, Any]) -> list[str]:
    """What made a run fail: a stage that raised, a dispatch phase that sent nothing."""
    return list(run.get("failures", []))


def write_result(directory: Path, run: Mapping[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{run['date']}-{run['db']}.json"
    path.write_text(json.dumps(run, indent=2, sort_keys=True, default=str) + "\n")
    return path


def append_readme(readme: Path, table: str) -> None:
    marker = "<!-- results below are appended by `make bench` -->"
    text = readme.read_text() if readme.exists() else f"# Benchmarks\n\n{marker}\n"
    if marker not in text:
        text += f"\n{marker}\n"
    readme.write_text(text.rstrip("\n") + "\n\n" + table)
