"""The registry as CSV (through app/csvout.py, formula-safe) and the headings both share.
Missing values are empty cells, never 0; dates are ISO 8601 in the patient's zone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import csvout
from app.registry.build import Registry, Row

SORT_LABELS = {
    "name": _l("Patient"),
    "weeks": _l("Weeks in treatment"),
    "phq9": "PHQ-9",
    "phq9_change": _l("PHQ-9 change"),
    "gad7": "GAD-7",
    "gad7_change": _l("GAD-7 change"),
    "alerts": _l("Open alerts"),
    "adherence": _l("Diary, 14 days"),
    "last_contact": _l("Last contact"),
    "next_visit": _l("Next follow-up"),
}

HEADER = (
    "patient",
    "weeks_in_treatment",
    "phq9_baseline",
    "phq9_latest",
    "phq9_change",
    "phq9_response",
    "phq9_remission",
    "not_improving_weeks_8_12",
    "gad7_baseline",
    "gad7_latest",
    "gad7_change",
    "open_alerts",
    "diary_adherence_14_days_percent",
    "last_contact",
    "next_follow_up",
    "no_contact_over_4_weeks",
    "treat_to_target",
    "flags",
)


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _day(row: Row, moment) -> str | None:
    return None if moment is None else moment.astimezone(row.state.zone).date().isoformat()


def cells(row: Row, extra_keys: list[str]) -> list[object]:
    phq9, gad7 = row.measures["phq9"], row.measures["gad7"]
    return [
        row.patient.display_name,
        row.weeks,
        phq9.baseline,
        phq9.latest,
        phq9.change,
        _yes_no(row.response),
        _yes_no(row.remission),
        _yes_no(row.state.not_improving),
        gad7.baseline,
        gad7.latest,
        gad7.change,
        row.state.open_alerts,
        row.state.adherence.percent,
        _day(row, row.state.last_visit),
        _day(row, row.state.next_visit),
        _yes_no(row.no_contact),
        _yes_no(row.treat_to_target),
        " ".join(flag.name.lower() for flag in row.state.flags),
        *(row.extras.get(key) for key in extra_keys),
    ]


def to_csv(found: Registry) -> str:
    keys = [column.key for column in found.columns]
    return csvout.write([*HEADER, *keys], (cells(row, keys) for row in found.rows))
