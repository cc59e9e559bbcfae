"""Parse and validate a diary submission (HTML form or JSON) all or nothing.

The diary form has a shape that depends on the patient's tracked symptoms, so it
is parsed here rather than declared as a WTForms class; CSRF is still enforced
for every POST by the app-wide CSRFProtect.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from app.diary.catalogs import (
    BODY_SITES,
    CUSTOM_TRIGGER_MAX_LENGTH,
    MAX_CUSTOM_TRIGGERS,
    TRIGGERS,
)
from app.diary.models import ActivityKind, EntryMode
from app.diary.values import Activity, DiaryValues, sleep_minutes

BACKFILL_DAYS = 7
NOTES_MAX = 2000
FORBIDDEN_FIELDS = frozenset({"patient_id", "patient", "patient-id"})
RANGES = {
    "overall_symptoms": (0, 10),
    "mood": (0, 10),
    "stress": (0, 10),
    "energy": (0, 10),
    "sleep_quality": (1, 5),
    "night_awakenings": (0, 30),
    "rest_breaks": (0, 50),
    "within_limits": (1, 5),
}
QUICK_FIELDS = ("overall_symptoms", "mood", "sleep_quality")
ACTIVITY_RANGES = {"planned": (0, 1440), "done": (0, 1440), "exertion": (0, 10)}

MSG_NUMBER = _l("Choose a whole number from %(low)d to %(high)d.")
MSG_TIME = _l("Enter a time as hours and minutes, for example 22:30.")
MSG_WAKE = _l("The wake-up time is before the bedtime. Check both times.")
MSG_SLEEP_LONG = _l("That is more than 24 hours of sleep. Check both times.")
MSG_FUTURE = _l("You cannot fill in the diary for a day that has not happened yet.")
MSG_WINDOW = _l("You can fill in or change the last %(days)d days only.")
MSG_NOTES = _l("Notes can be at most %(max)d characters (you wrote %(n)d).")
MSG_SYMPTOM = _l("This symptom is not one you track.")
MSG_SITE = _l("Choose a body site from the list.")
MSG_TRIGGER = _l("Unknown trigger. Choose from the list.")
MSG_CUSTOM = _l("Add at most %(max)d own triggers of up to %(length)d characters each.")
MSG_PATIENT = _l("This form cannot change whose diary it is.")
MSG_SUBMISSION = _l("The form is incomplete. Reload the page and try again.")


@dataclass
class ParsedEntry:
    submission_id: uuid.UUID | None = None
    values: DiaryValues | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and self.values is not None and self.submission_id is not None


class _Source:
    """Uniform access to a form MultiDict or a JSON object."""

    def __init__(self, data: MultiDict[str, str] | Mapping[str, Any]) -> None:
        self.data = data

    def keys(self) -> Iterable[str]:
        return self.data.keys()

    def get(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        value = str(value).strip()
        return value or None

    def getlist(self, key: str) -> list[str]:
        if isinstance(self.data, MultiDict):
            return [v for v in self.data.getlist(key) if v.strip()]
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v) for v in value if str(v).strip()]
        return [str(value)]


def date_problem(day: date, *, today: date) -> str | None:
    if day > today:
        return str(MSG_FUTURE)
    if day < today - timedelta(days=BACKFILL_DAYS):
        return str(MSG_WINDOW % {"days": BACKFILL_DAYS})
    return None


def _int(raw: str | None, low: int, high: int, key: str, errors: dict[str, str]) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors[key] = str(MSG_NUMBER % {"low": low, "high": high})
        return None
    return value


def _time(raw: str | None, key: str, errors: dict[str, str]) -> time | None:
    if raw is None:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        errors[key] = str(MSG_TIME)
        return None


SYMPTOM_PREFIXES = ("symptom-", "site-")


def rates_symptoms(data: MultiDict[str, str] | Mapping[str, Any]) -> bool:
    """Whether the submission has symptom fields (only then are the allowed keys needed)."""
    return any(key.startswith(SYMPTOM_PREFIXES) for key in data)


def submission_id_of(data: MultiDict[str, str] | Mapping[str, Any]) -> uuid.UUID | None:
    """The submission id the form carried, if it is one (`parse_entry` reports a bad one)."""
    try:
        return uuid.UUID(_Source(data).get("submission_id") or "")
    except (ValueError, TypeError, AttributeError):
        return None


def parse_entry(
    data: MultiDict[str, str] | Mapping[str, Any],
    *,
    day: date,
    today: date,
    mode: EntryMode,
    symptom_keys: Iterable[str],
) -> ParsedEntry:
    """All-or-nothing: either values and no errors, or errors (keyed by field name)."""
    src, errors, allowed = _Source(data), {}, set(symptom_keys)
    parsed = ParsedEntry(errors=errors)
    if FORBIDDEN_FIELDS & set(src.keys()):
        errors["patient_id"] = str(MSG_PATIENT)
    try:
        parsed.submission_id = uuid.UUID(src.get("submission_id") or "")
    except ValueError:
        errors["submission_id"] = str(MSG_SUBMISSION)
    if problem := date_problem(day, today=today):
        errors["date"] = problem
    scalars = {key: _int(src.get(key), *RANGES[key], key, errors) for key in RANGES}
    bedtime = _time(src.get("bedtime"), "bedtime", errors)
    wake_time = _time(src.get("wake_time"), "wake_time", errors)
    _check_sleep(bedtime, wake_time, errors)
    notes = src.get("notes")
    if notes is not None and len(notes) > NOTES_MAX:
        errors["notes"] = str(MSG_NOTES % {"max": NOTES_MAX, "n": len(notes)})
    symptoms, sites = _symptoms(src, allowed, errors)
    triggers = _triggers(src, errors)
    custom = _custom_triggers(src, errors)
    activities = _activities(src, errors)
    if errors:
        return parsed
    parsed.values = DiaryValues(
        mode=mode,
        **scalars,
        bedtime=bedtime,
        wake_time=wake_time,
        notes=notes,
        symptoms=symptoms,
        body_sites=sites,
        triggers=triggers,
        custom_triggers=custom,
        activities=activities,
    )
    return parsed


def _check_sleep(bedtime: time | None, wake_time: time | None, errors: dict[str, str]) -> None:
    if bedtime is None or wake_time is None:
        return
    minutes = sleep_minutes(bedtime, wake_time)
    if minutes is None:
        errors["wake_time"] = str(MSG_WAKE)
    elif minutes > 1440:
        errors["wake_time"] = str(MSG_SLEEP_LONG)


def _symptoms(
    src: _Source, allowed: set[str], errors: dict[str, str]
) -> tuple[dict[str, int], dict[str, str]]:
    scores: dict[str, int] = {}
    sites: dict[str, str] = {}
    for key in list(src.keys()):
        for prefix, target in zip(SYMPTOM_PREFIXES, (scores, sites), strict=True):
            if not key.startswith(prefix):
                continue
            code = key.removeprefix(prefix)
            if code not in allowed:
                errors[key] = str(MSG_SYMPTOM)
                continue
            raw = src.get(key)
            if raw is None:
                continue
            if target is scores:
                value = _int(raw, 0, 10, key, errors)
                if value is not None:
                    scores[code] = value
            elif raw in BODY_SITES:
                sites[code] = raw
            else:
                errors[key] = str(MSG_SITE)
    return scores, sites


def _triggers(src: _Source, errors: dict[str, str]) -> tuple[str, ...]:
    codes = src.getlist("triggers")
    if any(code not in TRIGGERS for code in codes):
        errors["triggers"] = str(MSG_TRIGGER)
        return ()
    return tuple(sorted(set(codes)))


TAG_SEPARATOR = re.compile("[,\u060c]")


def _custom_triggers(src: _Source, errors: dict[str, str]) -> tuple[str, ...]:
    raw = src.getlist("custom_triggers")
    tags: list[str] = []
    for item in raw:
        # Latin and Arabic commas both separate tags.
        tags.extend(part.strip() for part in TAG_SEPARATOR.split(item) if part.strip())
    unique = tuple(dict.fromkeys(tags))
    if len(unique) > MAX_CUSTOM_TRIGGERS or any(len(t) > CUSTOM_TRIGGER_MAX_LENGTH for t in unique):
        errors["custom_triggers"] = str(
            MSG_CUSTOM % {"max": MAX_CUSTOM_TRIGGERS, "length": CUSTOM_TRIGGER_MAX_LENGTH}
        )
        return ()
    return unique


def _activities(src: _Source, errors: dict[str, str]) -> dict[ActivityKind, Activity]:
    blocks: dict[ActivityKind, Activity] = {}
    for kind in ActivityKind:
        numbers: dict[str, int | None] = {}
        for part, (low, high) in ACTIVITY_RANGES.items():
            key = f"activity-{kind}-{part}"
            numbers[part] = _int(src.get(key), low, high, key, errors)
        block = Activity(numbers["planned"], numbers["done"], numbers["exertion"])
        if not block.is_empty():
            blocks[kind] = block
    return blocks


OBSERVATION_RANGES = {
    "symptom_level": (0, 10),
    "activity_level": (0, 10),
    "sleep_disturbance": (0, 10),
}


@dataclass
class ParsedObservation:
    client_id: uuid.UUID | None = None
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def parse_observation(
    data: MultiDict[str, str] | Mapping[str, Any], *, day: date, today: date
) -> ParsedObservation:
    src, parsed = _Source(data), ParsedObservation()
    errors = parsed.errors
    if FORBIDDEN_FIELDS & set(src.keys()):
        errors["patient_id"] = str(MSG_PATIENT)
    try:
        parsed.client_id = uuid.UUID(src.get("submission_id") or "")
    except ValueError:
        errors["submission_id"] = str(MSG_SUBMISSION)
    if problem := date_problem(day, today=today):
        errors["date"] = problem
    for key, (low, high) in OBSERVATION_RANGES.items():
        parsed.values[key] = _int(src.get(key), low, high, key, errors)
    note = src.get("note")
    if note is not None and len(note) > NOTES_MAX:
        errors["note"] = str(MSG_NOTES % {"max": NOTES_MAX, "n": len(note)})
    parsed.values["note"] = note
    return parsed


def parse_symptom_choice(data: MultiDict[str, str]) -> tuple[list[str], list[str], str | None]:
    """Catalog codes and own labels (one per line) for the tracked-symptoms page."""
    from app.diary.catalogs import SYMPTOMS

    codes = data.getlist("codes")
    labels = [line.strip() for line in (data.get("custom") or "").splitlines() if line.strip()]
    if any(code not in SYMPTOMS for code in codes):
        return [], [], str(MSG_SYMPTOM)
    if len(labels) > 5 or any(len(label) > 60 for label in labels):
        return [], [], str(_l("Add at most 5 own symptoms of up to 60 characters each."))
    if not codes and not labels:
        return [], [], str(_l("Choose at least one symptom to track."))
    return codes, labels, None
