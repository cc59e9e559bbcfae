"""The pre-visit summary's pure analytics: one patient's reads (already loaded) shaped into
day series, questionnaire lines and flags. No database, no Flask, no localized text (the
charts add that); built from the shared trend analytics in `app.trends.analytics`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, TypeVar

from app.alerts.rules import CRITICAL_ANSWER
from app.diary.insights import Association, day_facts, find_patterns, heaviness
from app.diary.models import ActivityKind, DiaryEntry
from app.instruments import scoring, wording
from app.instruments.loader import Definition
from app.instruments.models import Occurrence, Response
from app.instruments.queries import occurrence_status
from app.trends.analytics import (
    ADHERENCE_DAYS,
    Adherence,
    Episode,
    Flag,
    ScoreChange,
    ScorePoint,
    adherence,
    boom_bust,
    score_change,
    sustained_rise,
)

T = TypeVar("T", bound=Any)


@dataclass(frozen=True)
class DaySeries:
    """One value per day of the period (None: no entry or not answered that day)."""

    key: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class DiaryTrends:
    series: tuple[DaySeries, ...]  # "overall", "symptom-<key>", mood, stress, energy, sleep
    activity: tuple[DaySeries, ...]  # done minutes per activity kind (key = the kind)
    adherence: Adherence  # days recorded in the period
    recent_adherence: Adherence  # days recorded in the last ADHERENCE_DAYS of the period
    episodes: tuple[Episode, ...]
    associations: tuple[Association, ...]  # factors followed by more symptoms
    rise_on: date | None


def _minutes_of(entry: DiaryEntry, kind: str) -> int | None:
    return next((b.done_minutes for b in entry.activities if b.kind == kind), None)


def diary_trends(
    loaded: Sequence[DiaryEntry],
    *,
    days: Sequence[date],
    symptom_keys: Sequence[str],
    enrolled_on: date,
    today: date,
) -> DiaryTrends:
    """`loaded`: entries from before the period (the patient's own medians) to its end;
    adherence counts the days since `enrolled_on` up to `today` (both the patient's dates)."""
    start, end = days[0], days[-1]
    by_day = {e.local_date: e for e in loaded if e.local_date >= start}

    def series(key: str, pick: Callable[[DiaryEntry], float | None]) -> DaySeries:
        return DaySeries(key, tuple(pick(by_day[d]) if d in by_day else None for d in days))

    def hours(entry: DiaryEntry) -> float | None:
        return None if entry.sleep_minutes is None else round(entry.sleep_minutes / 60, 1)

    lines = [
        series("overall", heaviness),
        *(series(f"symptom-{k}", lambda e, k=k: e.symptom_scores().get(k)) for k in symptom_keys),
        *(series(k, lambda e, k=k: getattr(e, k)) for k in ("mood", "stress", "energy")),
        series("sleep_hours", hours),
        series("sleep_quality", lambda e: e.sleep_quality),
    ]
    activity = tuple(
        series(kind.value, lambda e, k=kind: _minutes_of(e, k)) for kind in ActivityKind
    )
    facts = day_facts(list(loaded))
    minutes = {d: f.activity_minutes for d, f in facts.items() if f.activity_minutes is not None}
    levels = {e.local_date: h for e in loaded if (h := heaviness(e)) is not None}
    return DiaryTrends(
        series=tuple(lines),
        activity=activity,
        adherence=adherence(by_day, start=start, end=end, enrolled_on=enrolled_on, today=today),
        recent_adherence=adherence(
            (e.local_date for e in loaded),
            start=end - timedelta(days=ADHERENCE_DAYS - 1),
            end=end,
            enrolled_on=enrolled_on,
            today=today,
        ),
        episodes=tuple(ep for ep in boom_bust(minutes, levels) if ep.flare_on >= start),
        associations=tuple(a for a in find_patterns(facts).associations if a.difference > 0),
        rise_on=sustained_rise(levels, today=end),
    )


@dataclass(frozen=True)
class ScorePlot:
    day_index: int
    total: int | None  # None: a missed window (breaks the line)
    flagged: bool = False


@dataclass(frozen=True)
class ScoreLine:
    definition: Definition
    change: ScoreChange
    latest_response: Response | None
    answered: int
    due: int
    substitutions: int  # answered in another language than preferred, in the period
    period_responses: tuple[Response, ...] = ()
    plots: tuple[ScorePlot, ...] = ()
    in_period: bool = False  # any window in the period (then it is charted)
    missing: int = 0  # items not answered in the latest response when it is incomplete
    first: bool = False  # the latest complete score is the only one

    @property
    def latest_incomplete(self) -> bool:
        """The latest submitted response has no total (shown as such, never the older one)."""
        return self.latest_response is not None and self.latest_response.total is None


def score_lines(
    rows: Sequence[tuple[Occurrence, Response | None]],
    definitions: Mapping[str, Definition],
    *,
    days: Sequence[date],
    now: datetime,
    last_visit: datetime | None,
    zone: tzinfo,
    menstruates: bool | None = None,
) -> tuple[ScoreLine, ...]:
    """Per instrument: change vs the last visit and the baseline, windows answered and due in
    the period, and the points to chart (a missed window breaks the line; a change reaching
    the instrument's threshold is flagged)."""
    start, end = days[0], days[-1]
    lines = []
    for instrument_id in sorted({o.instrument_id for o, _r in rows}):
        definition = definitions.get(instrument_id)
        if definition is None:
            continue
        mine = [(o, r) for o, r in rows if o.instrument_id == instrument_id]
        submitted = [r for _o, r in mine if r is not None and r.submitted_at is not None]
        points = [ScorePoint(r.submitted_at, r.total, r.band, r.substituted) for r in submitted]
        change = score_change(definition, points, last_visit=last_visit)
        in_period = [(o, r) for o, r in mine if start <= o.due_date <= end]
        if not in_period and change.latest is None:
            continue
        statuses = [(occurrence_status(o, r, now), o, r) for o, r in in_period]
        closed = [s for s, _o, _r in statuses if s in {"completed", "missed"}]
        plots, previous = [], None
        for status, o, r in statuses:
            if status == "missed":
                plots.append(ScorePlot((o.due_date - start).days, None))
            elif status == "completed" and r is not None and r.submitted_at is not None:
                day = r.submitted_at.astimezone(zone).date()
                flagged = (
                    r.total is not None
                    and previous is not None
                    and scoring.change(definition, r.total, previous).flag is not None
                )
                plots.append(ScorePlot(min((day - start).days, len(days) - 1), r.total, flagged))
            if r is not None and r.total is not None and r.submitted_at is not None:
                previous = r.total
        answered = [r for _o, r in in_period if r is not None and r.submitted_at]
        latest = submitted[-1] if submitted else None
        missing = (
            wording.missing_items(definition, latest.answers or {}, menstruates=menstruates)
            if latest is not None and latest.total is None
            else 0
        )
        lines.append(
            ScoreLine(
                definition,
                change,
                latest,
                closed.count("completed"),
                len(closed),
                sum(1 for r in answered if r.substituted),
                tuple(answered),
                tuple(plots),
                bool(in_period),
                missing,
                sum(1 for r in submitted if r.total is not None) == 1,
            )
        )
    return tuple(lines)


def summary_flags(
    *,
    open_alert: bool,
    scores: Sequence[ScoreLine],
    rise_on: date | None,
    recent: Adherence,
    last_visit: datetime | None,
    any_entry: bool,
) -> tuple[Flag, ...]:
    """The upcoming list's flags, for one patient's summary."""
    flags = []
    if open_alert:
        flags.append(Flag.OPEN_ALERT)
    if any(line.change.worse for line in scores):
        flags.append(Flag.WORSENING)
    if rise_on is not None:
        flags.append(Flag.SYMPTOM_RISE)
    if recent.low:
        flags.append(Flag.LOW_ADHERENCE)
    if any(line.due > line.answered for line in scores):
        flags.append(Flag.OVERDUE_QUESTIONNAIRE)
    answered_since = any(
        line.latest_response
        and line.latest_response.submitted_at
        and line.latest_response.submitted_at >= last_visit
        for line in scores
        if last_visit is not None
    )
    if last_visit is not None and not any_entry and not answered_since:
        flags.append(Flag.NO_DATA_SINCE_VISIT)
    return tuple(flags)


def alert_level(rule_code: str, severity: str) -> int:
    """0: a critical answer, 1: urgent, 2: every other alert."""
    if rule_code == CRITICAL_ANSWER:
        return 0
    return 1 if severity == "urgent" else 2


def urgent_first(alerts: Sequence[T]) -> list[T]:
    """Alerts (or tuples starting with one) critical first, then urgent, then the others;
    newest first within a level."""

    def key(item: T) -> tuple[int, float]:
        alert = item if hasattr(item, "rule_code") else item[0]
        return (alert_level(alert.rule_code, alert.severity), -alert.created_at.timestamp())

    return sorted(alerts, key=key)
