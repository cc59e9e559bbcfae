"""Measurements 1-3 and 6: diary throughput vs the ceiling, summary and upcoming pages, RSS."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from werkzeug.routing import BuildError

from bench import procs
from bench.load import Session, api_step, ceiling_step, diary_step, drive, known_etags
from bench.report import NOT_AVAILABLE
from bench.seed import PASSWORD, Seeded
from bench.stats import percentile, ratio, summarize

CLIENTS = 16
SESSIONS_PER_CLIENT = 4
LOAD_SECONDS = 20.0
PAGE_REQUESTS = 50
SUMMARY_ENDPOINTS = ("trends.summary_view", "trends.summary")
UPCOMING_ENDPOINTS = ("trends.upcoming", "home.index")
PERIOD_ARGS = {"period": "90d", "days": "90", "span": "90"}


def build_url(app: Flask, endpoints: tuple[str, ...], **values: Any) -> tuple[str, str] | None:
    """The first endpoint this build has, as (endpoint, path); None when none exists."""
    for endpoint in endpoints:
        if endpoint not in app.view_functions:
            continue
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        args = {k: v for k, v in values.items() if k in rule.arguments}
        args.update({k: PERIOD_ARGS[k] for k in rule.arguments if k in PERIOD_ARGS})
        if endpoint == "trends.summary_view":
            args["period"] = "90"  # a query parameter: the last 90 days, whatever the history
        with app.test_request_context():
            try:
                return endpoint, url_for(endpoint, **args)
            except BuildError:
                continue
    return None


def _timed_gets(session: Session, path: str, count: int) -> tuple[list[float], dict[int, int]]:
    statuses: dict[int, int] = {}
    for _ in range(3):  # warm-up, not counted
        session.get(path)
    latencies = []
    for _ in range(count):
        began = time.perf_counter()
        status, _ = session.get(path)
        elapsed = time.perf_counter() - began
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            latencies.append(elapsed * 1000)
    return latencies, statuses


def run_web(app: Flask, seeded: Seeded, *, env: dict[str, str], logs: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    notes: dict[str, str] = {}
    remarks: list[str] = []
    patient_ids = [str(pid) for pid, _, _ in seeded.load_patients]
    with procs.gunicorn("bench.ceiling:app", env=env, log=logs / "ceiling.log") as (base, _):
        steps = [ceiling_step(Session(base), patient_ids) for _ in range(CLIENTS)]
        ceiling = summarize_load(drive(steps, seconds=LOAD_SECONDS))
    figures.update({f"ceiling_{k}": v for k, v in ceiling.items()})
    with procs.gunicorn("wsgi:app", env=env, log=logs / "web.log") as (base, master):
        clients, signed_in = [], []
        for n in range(CLIENTS):
            sessions = []
            for pid, email, zone in seeded.load_patients[n::CLIENTS][:SESSIONS_PER_CLIENT]:
                session = Session(base)
                session.login(email, PASSWORD)
                _, html = session.get(f"/patients/{pid}/diary/entry")
                session.take_csrf(html)
                sessions.append((session, str(pid), zone))
            clients.append(diary_step(sessions))
            signed_in.append(sessions)
        result = drive(clients, seconds=LOAD_SECONDS)
        diary = summarize_load(result)
        figures.update({f"diary_{k}": v for k, v in diary.items()})
        figures["diary_ceiling_ratio"] = _round(ratio(diary["rps"], ceiling["rps"]), 3)
        remarks.append(f"diary statuses {dict(sorted(result.statuses.items()))}")
        # The same writes through the JSON API's PUT (the same service, submit_entry).
        # Each day's ETag is read first (untimed): the timed PUTs are saves, not 428s.
        primed = [api_step(sessions, known_etags(sessions)) for sessions in signed_in]
        api = drive(primed, seconds=LOAD_SECONDS)
        figures.update({f"api_put_{k}": v for k, v in summarize_load(api).items()})
        figures["api_put_ceiling_ratio"] = _round(ratio(figures["api_put_rps"], ceiling["rps"]), 3)
        remarks.append(f"API PUT statuses {dict(sorted(api.statuses.items()))}")
        clinician = Session(base)
        clinician.login(seeded.busy_clinician_email, PASSWORD)
        _pages(app, seeded, clinician, figures, notes, remarks)
        rss = [procs.peak_rss_mb(pid) for pid in procs.worker_pids(master.pid)]
        rss_values = [v for v in rss if v is not None]
        figures["worker_rss_mb"] = round(max(rss_values), 1) if rss_values else None
    return {"figures": figures, "notes": notes, "remarks": remarks}


def summarize_load(result: Any) -> dict[str, Any]:
    summary = summarize(result.latencies, errors=result.errors, seconds=result.seconds)
    out = summary.as_dict()
    return {
        "rps": out["rps"],
        "p50_ms": out["p50_ms"],
        "p95_ms": out["p95_ms"],
        "p99_ms": out["p99_ms"],
        "errors": out["errors"],
        "requests": out["count"],
    }


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _pages(app, seeded, session, figures, notes, remarks) -> None:
    medians: dict[str, float | None] = {}
    for label, patient_id in seeded.history_patients.items():
        found = build_url(app, SUMMARY_ENDPOINTS, patient_id=patient_id)
        if found is None:
            notes[f"summary_{label}_median_ms"] = NOT_AVAILABLE
            continue
        endpoint, path = found
        latencies, statuses = _timed_gets(session, path, PAGE_REQUESTS)
        medians[label] = _round(percentile(latencies, 50))
        figures[f"summary_{label}_median_ms"] = medians[label]
        figures[f"summary_{label}_p95_ms"] = _round(percentile(latencies, 95))
        remarks.append(f"summary via {endpoint} ({label}): statuses {statuses}")
    if medians:
        figures["summary_ratio"] = _round(ratio(medians.get("3y"), medians.get("90d")), 2)
    else:
        for key in ("summary_3y_median_ms", "summary_1y_median_ms", "summary_ratio"):
            notes[key] = NOT_AVAILABLE
    found = build_url(app, UPCOMING_ENDPOINTS, clinician_id=seeded.busy_clinician_id)
    if found is None:
        notes["upcoming_median_ms"] = NOT_AVAILABLE
        return
    endpoint, path = found
    latencies, statuses = _timed_gets(session, path, PAGE_REQUESTS)
    figures["upcoming_median_ms"] = _round(percentile(latencies, 50))
    figures["upcoming_p95_ms"] = _round(percentile(latencies, 95))
    remarks.append(f"upcoming follow-ups via {endpoint} ({path}): statuses {statuses}")
