"""Local wall-clock time in a patient's zone to UTC, and back. Pure functions.

A time that does not exist (the hour skipped when clocks spring forward) is refused; a time
that happens twice (clocks fall back) means the first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


class NonexistentLocalTime(ValueError):
    """The local time falls in a daylight-saving gap."""


def to_utc(day: date, at: time, zone: str) -> datetime:
    tz = ZoneInfo(zone)
    local = datetime.combine(day, at.replace(fold=0), tzinfo=tz)  # fold=0: the first occurrence
    utc = local.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{day} {at} does not exist in {zone}")
    return utc


def to_local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))
