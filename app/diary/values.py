"""Validated diary values: plain data passed from forms to services (no database here)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, time, timedelta
from typing import Any

from app.diary.models import ActivityKind, EntryMode

SCALAR_FIELDS = (
    "overall_symptoms",
    "mood",
    "stress",
    "energy",
    "bedtime",
    "wake_time",
    "sleep_quality",
    "night_awakenings",
    "rest_breaks",
    "within_limits",
    "notes",
)
# A bedtime at or after noon belongs to the evening before the diary day.
EVENING_FROM = time(12, 0)


@dataclass(frozen=True)
class Activity:
    planned_minutes: int | None = None
    done_minutes: int | None = None
    exertion: int | None = None

    def is_empty(self) -> bool:
        return self.planned_minutes is None and self.done_minutes is None and self.exertion is None


@dataclass(frozen=True)
class DiaryValues:
    """One day's answers. None = not answered (stored as NULL)."""

    mode: EntryMode = EntryMode.FULL
    overall_symptoms: int | None = None
    mood: int | None = None
    stress: int | None = None
    energy: int | None = None
    bedtime: time | None = None
    wake_time: time | None = None
    sleep_quality: int | None = None
    night_awakenings: int | None = None
    rest_breaks: int | None = None
    within_limits: int | None = None
    notes: str | None = None
    symptoms: dict[str, int] = field(default_factory=dict)
    body_sites: dict[str, str] = field(default_factory=dict)
    triggers: tuple[str, ...] = ()
    custom_triggers: tuple[str, ...] = ()
    activities: dict[ActivityKind, Activity] = field(default_factory=dict)

    @property
    def sleep_minutes(self) -> int | None:
        return sleep_minutes(self.bedtime, self.wake_time)

    def snapshot(self) -> dict[str, Any]:
        """JSON-able view used for digests and amendment history."""
        data = asdict(self)
        data.pop("mode")
        for key in ("bedtime", "wake_time"):
            data[key] = data[key].isoformat(timespec="minutes") if data[key] else None
        data["triggers"] = sorted(self.triggers)
        data["custom_triggers"] = sorted(self.custom_triggers)
        data["activities"] = {
            str(kind): asdict(block)
            for kind, block in sorted(self.activities.items())
            if not block.is_empty()
        }
        return data

    def digest(self, local_date: date) -> str:
        payload = {"date": local_date.isoformat(), "mode": str(self.mode), **self.snapshot()}
        encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()


def sleep_minutes(bedtime: time | None, wake_time: time | None) -> int | None:
    """Minutes asleep; a bedtime from noon on is the evening before. None when not computable."""
    if bedtime is None or wake_time is None:
        return None
    bed = timedelta(hours=bedtime.hour, minutes=bedtime.minute)
    wake = timedelta(hours=wake_time.hour, minutes=wake_time.minute)
    if bedtime >= EVENING_FROM:
        bed -= timedelta(days=1)
    minutes = int((wake - bed).total_seconds() // 60)
    return minutes if minutes > 0 else None


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Field name -> [old, new] for every field that differs."""
    return {
        key: [old.get(key), new.get(key)]
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    }
