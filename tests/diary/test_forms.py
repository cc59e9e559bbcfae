"""All-or-nothing parsing of diary submissions."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from app.diary.forms import parse_entry
from app.diary.models import ActivityKind, EntryMode

TODAY = date(2026, 11, 20)
KEYS = ["pain", "fatigue", "custom-abc"]


def _parse(day: date = TODAY, mode: EntryMode = EntryMode.FULL, **fields):
    data = MultiDict({"submission_id": str(uuid.uuid4())})
    for key, value in fields.items():
        key = key.replace("__", "-")
        for item in value if isinstance(value, list) else [value]:
            data.add(key, item)
    return parse_entry(data, day=day, today=TODAY, mode=mode, symptom_keys=KEYS)


def test_empty_answers_stay_empty(ctx):
    parsed = _parse(mood="", stress="  ", symptom__pain="", notes="")
    assert parsed.ok
    values = parsed.values
    assert values.mood is None and values.stress is None and values.notes is None
    assert values.symptoms == {} and values.activities == {}


def test_full_submission_parses(ctx):
    parsed = _parse(
        overall_symptoms="6",
        mood="0",
        symptom__pain="7",
        site__pain="lower_back",
        **{"symptom__custom-abc": "3"},
        bedtime="23:15",
        wake_time="06:45",
        sleep_quality="2",
        triggers=["work_stress", "travel"],
        custom_triggers="pollen, deadline",
        activity__physical__done="40",
        activity__physical__exertion="8",
        within_limits="2",
        notes="x" * 2000,
    )
    assert parsed.ok, parsed.errors
    v = parsed.values
    assert v.mood == 0  # a real zero is kept
    assert v.symptoms == {"pain": 7, "custom-abc": 3}
    assert v.body_sites == {"pain": "lower_back"}
    assert v.sleep_minutes == 7 * 60 + 30
    assert v.bedtime == time(23, 15)
    assert v.triggers == ("travel", "work_stress")
    assert v.custom_triggers == ("pollen", "deadline")
    assert v.activities[ActivityKind.PHYSICAL].done_minutes == 40
    assert v.activities[ActivityKind.PHYSICAL].planned_minutes is None


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"mood": "11"}, "mood"),
        ({"energy": "-1"}, "energy"),
        ({"sleep_quality": "0"}, "sleep_quality"),
        ({"mood": "five"}, "mood"),
        ({"bedtime": "02:00", "wake_time": "01:30"}, "wake_time"),
        ({"bedtime": "25:00"}, "bedtime"),
        ({"notes": "x" * 2001}, "notes"),
        ({"symptom__migraine": "4"}, "symptom-migraine"),
        ({"site__pain": "elbow-ish"}, "site-pain"),
        ({"triggers": ["work_stress", "moon_phase"]}, "triggers"),
        ({"custom_triggers": "a, b, c, d, e, f"}, "custom_triggers"),
        ({"patient_id": str(uuid.uuid4())}, "patient_id"),
        ({"activity__rest__exertion": "12"}, "activity-rest-exertion"),
    ],
)
def test_bad_input_is_refused_as_a_whole(ctx, fields, key):
    parsed = _parse(**{"stress": "5", **fields})
    assert not parsed.ok
    assert key in parsed.errors
    assert parsed.errors[key]
    assert parsed.values is None


def test_sleep_crossing_midnight_is_fine_and_after_midnight_bedtime_too(ctx):
    assert _parse(bedtime="22:00", wake_time="06:00").values.sleep_minutes == 480
    assert _parse(bedtime="01:30", wake_time="07:00").values.sleep_minutes == 330
    assert _parse(bedtime="13:00", wake_time="14:00").errors["wake_time"]


def test_dates_in_the_future_or_beyond_the_window_are_refused(ctx):
    assert "date" in _parse(day=TODAY + timedelta(days=1), mood="3").errors
    assert "date" in _parse(day=TODAY - timedelta(days=8), mood="3").errors
    assert _parse(day=TODAY - timedelta(days=7), mood="3").ok


def test_missing_submission_id_is_refused(ctx):
    parsed = parse_entry(
        MultiDict({"mood": "4"}), day=TODAY, today=TODAY, mode=EntryMode.QUICK, symptom_keys=[]
    )
    assert "submission_id" in parsed.errors


def test_json_payload_uses_the_same_rules(ctx):
    payload = {"submission_id": str(uuid.uuid4()), "mood": 4, "triggers": ["travel"]}
    parsed = parse_entry(payload, day=TODAY, today=TODAY, mode=EntryMode.FULL, symptom_keys=[])
    assert parsed.ok
    assert parsed.values.mood == 4 and parsed.values.triggers == ("travel",)


def test_arabic_comma_separates_own_triggers():
    from app.diary.forms import TAG_SEPARATOR

    assert [t.strip() for t in TAG_SEPARATOR.split("ضوضاء، سفر,noise")] == ["ضوضاء", "سفر", "noise"]
