"""View models for diary pages: gather reads and shape them for templates (no writes)."""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean
from typing import Any

from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.careteam.models import Patient
from app.diary import catalogs, queries
from app.diary.forms import BACKFILL_DAYS
from app.diary.insights import OVERALL, day_facts, find_patterns, heaviness
from app.diary.models import ActivityKind, DiaryEntry, EntryMode
from app.diary.values import DiaryValues
from app.i18n import formatting, text_direction
from app.i18n.bidi import isolate
from app.web.charts import ChartText, line_chart

PATTERN_WINDOW_DAYS = 180


def flat_values(values: DiaryValues) -> MultiDict[str, str]:
    """Diary values as the form's field names and string values (for pre-filling)."""
    flat: MultiDict[str, str] = MultiDict()
    for key, value in values.snapshot().items():
        if key in ("symptoms", "body_sites", "activities", "triggers", "custom_triggers"):
            continue
        if value is not None:
            flat.add(key, str(value))
    for key, score in values.symptoms.items():
        flat.add(f"symptom-{key}", str(score))
    for key, site in values.body_sites.items():
        flat.add(f"site-{key}", site)
    for code in values.triggers:
        flat.add("triggers", code)
    for tag in values.custom_triggers:
        flat.add("custom_triggers", tag)
    for kind, block in values.activities.items():
        for part, value in (
            ("planned", block.planned_minutes),
            ("done", block.done_minutes),
            ("exertion", block.exertion),
        ):
            if value is not None:
                flat.add(f"activity-{kind}-{part}", str(value))
    return flat


def window_days(patient: Patient, today: date) -> list[tuple[date, bool]]:
    start = today - timedelta(days=BACKFILL_DAYS)
    done = queries.days_with_entries(patient, start, today)
    return [(today - timedelta(days=n), today - timedelta(days=n) in done) for n in range(8)]


SECTIONS = {
    "sleep": ("bedtime", "wake_time", "sleep_quality", "night_awakenings"),
    "triggers": ("triggers", "custom_triggers"),
    "pacing": ("activity-", "rest_breaks", "within_limits"),
}


def _section_open(
    values: MultiDict[str, str], errors: dict[str, str], keys: tuple[str, ...]
) -> bool:
    """Optional sections start folded unless they hold an answer or an error."""
    filled = [k for k in values if any(v.strip() for v in values.getlist(k))]
    return any(k.startswith(keys) for k in [*filled, *errors])


def entry_context(
    patient: Patient,
    *,
    day: date,
    today: date,
    mode: EntryMode,
    submitted: MultiDict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    entry = queries.entry_for_day(patient, day)
    values = submitted
    if values is None:
        values = flat_values(queries.values_from_entry(entry)) if entry else MultiDict()
    errors = errors or {}
    return {
        "patient": patient,
        "day": day,
        "today": today,
        "mode": mode,
        "open": {name: _section_open(values, errors, keys) for name, keys in SECTIONS.items()},
        "entry": entry,
        "values": values,
        "errors": errors,
        "symptoms": queries.symptom_defs(patient, entry),
        "own_triggers": queries.recent_custom_triggers(patient, today=today),
        "window": window_days(patient, today),
        "revisions": queries.revisions_for(entry) if entry else [],
        "submission_id": str(uuid.uuid4()),
        "editable": today - timedelta(days=BACKFILL_DAYS) <= day <= today,
        "catalogs": catalogs,
        "ActivityKind": ActivityKind,
    }


@dataclass(frozen=True)
class CalendarDay:
    day: date | None
    level: int | None = None  # heaviness 0-10, None when no entry or not rated
    has_entry: bool = False
    observed: bool = False


def _band(level: int | None) -> str:
    if level is None:
        return "none"
    return ("low", "low", "low", "mid", "mid", "mid", "high", "high", "high", "max", "max")[level]


def month_grid(
    month: date, entries: dict[date, DiaryEntry], observed: set[date]
) -> list[list[CalendarDay]]:
    first_weekday = getattr(get_locale(), "first_week_day", 0)
    cal = calendar.Calendar(firstweekday=first_weekday)
    weeks = []
    for week in cal.monthdatescalendar(month.year, month.month):
        row = []
        for day in week:
            if day.month != month.month:
                row.append(CalendarDay(None))
                continue
            entry = entries.get(day)
            level = heaviness(entry) if entry else None
            row.append(CalendarDay(day, level, entry is not None, day in observed))
        weeks.append(row)
    return weeks


def parse_month(raw: str | None, today: date) -> date:
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        return today.replace(day=1)
    return min(chosen, today.replace(day=1))


def _series(entries: dict[date, DiaryEntry], days: list[date], field: str) -> list[float | None]:
    values: list[float | None] = []
    for day in days:
        entry = entries.get(day)
        if entry is None:
            values.append(None)
        elif field == OVERALL:
            values.append(heaviness(entry))
        elif field == "sleep_hours":
            values.append(None if entry.sleep_minutes is None else entry.sleep_minutes / 60)
        else:
            values.append(getattr(entry, field))
    return values


def _chart(name: str, values: list[float | None], days: list[date], y_max: float) -> Any:
    known = [v for v in values if v is not None]
    titles = {
        OVERALL: _("How heavy my symptoms were (0 to 10)"),
        "mood": _("My mood (0 to 10)"),
        "energy": _("My energy (0 to 10)"),
        "sleep_hours": _("Hours of sleep"),
    }
    if known:
        description = _(
            "%(recorded)d of %(total)d days recorded. Average %(average)s, lowest %(low)s, highest %(high)s. Days without an entry are gaps.",
            recorded=len(known),
            total=len(days),
            average=format_decimal(round(mean(known), 1)),
            low=format_decimal(round(min(known), 1)),
            high=format_decimal(round(max(known), 1)),
        )
    else:
        description = _("No days recorded in this period.")
    text = ChartText(
        title=titles[name],
        description=description,
        first_label=formatting.month_day(days[0]),
        last_label=formatting.month_day(days[-1]),
    )
    svg = line_chart(
        values, text=text, chart_id=f"chart-{name}", y_max=y_max, rtl=text_direction() == "rtl"
    )
    return {"title": titles[name], "svg": svg}


def history_context(
    patient: Patient, *, today: date, month: date, span: int, viewer_is_patient: bool
) -> dict[str, Any]:
    start = min(today - timedelta(days=span - 1), month)
    end = max(today, _month_end(month))
    entries = {e.local_date: e for e in queries.entries_between(patient, start, end)}
    observations = queries.observations_between(patient, month, _month_end(month))
    days = [today - timedelta(days=n) for n in range(span - 1, -1, -1)]
    charts = [
        _chart(name, _series(entries, days, name), days, y_max)
        for name, y_max in ((OVERALL, 10), ("mood", 10), ("energy", 10), ("sleep_hours", 12))
    ]
    in_span = [entries[d] for d in days if d in entries]
    table = [(d, entries.get(d)) for d in reversed(days) if d in entries]
    return {
        "patient": patient,
        "today": today,
        "month": month,
        "previous_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": _month_end(month) + timedelta(days=1)
        if month < today.replace(day=1)
        else None,
        "weeks": month_grid(month, entries, {o.local_date for o in observations}),
        "weekday_names": _weekday_names(),
        "observations": observations,
        "span": span,
        "charts": charts,
        "recorded": len(in_span),
        "table": table,
        "viewer_is_patient": viewer_is_patient,
        "band": _band,
        "editable_from": today - timedelta(days=BACKFILL_DAYS),
    }


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _weekday_names() -> list[tuple[str, str]]:
    first = getattr(get_locale(), "first_week_day", 0)
    monday = date(2024, 1, 1)  # a Monday
    days = [monday + timedelta(days=(first + n) % 7) for n in range(7)]
    return [(formatting.weekday(d, narrow=True), formatting.weekday(d)) for d in days]


def outcome_labeller(patient: Patient) -> Callable[[str], str]:
    """Names for the outcomes of "My patterns" (the overall level or a tracked symptom)."""
    labels = {d.key: d.label for d in queries.tracked_symptoms(patient)}
    return lambda key: (
        _("overall symptom level")
        if key == OVERALL
        else isolate(catalogs.symptom_label(key, labels))
    )


def patterns_context(patient: Patient, *, today: date) -> dict[str, Any]:
    start = today - timedelta(days=PATTERN_WINDOW_DAYS - 1)
    entries = queries.entries_between(patient, start, today)
    report = find_patterns(day_facts(entries))
    return {
        "patient": patient,
        "report": report,
        "window_days": PATTERN_WINDOW_DAYS,
        "outcome_label": outcome_labeller(patient),
        "catalogs": catalogs,
    }


def observe_extras(today: date) -> dict[str, Any]:
    return {
        "dates": [today - timedelta(days=n) for n in range(BACKFILL_DAYS + 1)],
        "submission_id": str(uuid.uuid4()),
    }
