"""CSV export of a summary period: one row per observation (date, source, measure, value).

Written by :mod:`app.csvout`, which makes every cell formula-safe.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from app import csvout
from app.trends.summary import Summary

HEADER = ("date", "source", "measure", "value", "detail")


def rows(summary: Summary) -> Iterator[tuple[object, ...]]:
    for entry in summary.entries:
        day = entry.local_date.isoformat()
        for name in (
            "overall_symptoms",
            "mood",
            "stress",
            "energy",
            "sleep_minutes",
            "sleep_quality",
            "night_awakenings",
            "rest_breaks",
            "within_limits",
        ):
            value = getattr(entry, name)
            if value is not None:
                yield (day, "diary", name, value, "")
        for rating in entry.symptoms:
            yield (
                day,
                "diary",
                f"symptom:{rating.symptom_key}",
                rating.score,
                rating.body_site or "",
            )
        for block in entry.activities:
            if block.done_minutes is not None:
                yield (day, "diary", f"activity_minutes:{block.kind}", block.done_minutes, "")
        for code in [*(entry.triggers or []), *(entry.custom_triggers or [])]:
            yield (day, "diary", "trigger", code, "")
        if entry.notes:
            yield (day, "diary", "note", entry.notes, "")
    zone = summary.zone
    for line in summary.scores:
        for response in line.period_responses:
            when = response.submitted_at
            yield (
                _local_day(when, zone),
                "questionnaire",
                f"{line.definition.id}:total",
                "" if response.total is None else response.total,
                ";".join(
                    part
                    for part in (
                        response.band or "",
                        f"answered_in={response.answered_tag}"
                        if response.substituted or response.locale != "en"
                        else "",
                    )
                    if part
                ),
            )
    for report in summary.caregiver_reports:
        day = report.day.isoformat()
        if report.is_checkin:
            # Custom, non-validated check-in items: caregiver report, never a patient score.
            for name in ("observed_function", "observed_activity", "own_strain"):
                yield (
                    day,
                    "caregiver_report",
                    name,
                    getattr(report, name),
                    "checkin;non_validated",
                )
            continue
        for name in ("symptom_level", "activity_level", "sleep_disturbance"):
            value = getattr(report, name)
            if value is not None:
                yield (day, "caregiver_report", name, value, "")
        if report.note:
            yield (day, "caregiver_report", "note", report.note, "")


def _local_day(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).date().isoformat()


def to_csv(summary: Summary) -> str:
    return csvout.write(HEADER, rows(summary))
