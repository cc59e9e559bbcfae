"""Pure slot planning in local time (no database): DST rules, quiet hours, grace window.

* A local time that does not exist (spring forward) moves forward by the gap:
  02:30 on a day that jumps from 02:00 to 03:00 fires at 03:30.
* An ambiguous local time (fall back) fires once, at its first occurrence.
* Slots are computed per local date, so a time-zone change affects only dates
  planned afterwards; the outbox dedupe key (recipient, purpose, target, local
  date, slot) keeps a day from being prompted twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from app.prompts.models import PromptPurpose


@dataclass(frozen=True)
class PlannedPrompt:
    """What a prompt source wants sent. Times are aware UTC; quiet hours are applied later."""

    recipient_id: uuid.UUID
    patient_id: uuid.UUID
    purpose: PromptPurpose
    target: str
    local_date: date
    slot: str
    due_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def contains(self, local: time) -> bool:
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def days_until_end(self, local: time) -> int | None:
        """None outside quiet hours; 0 when they end later the same local day, 1 when the next."""
        if not self.contains(local):
            return None
        return 0 if local < self.end else 1


class Verdict(StrEnum):
    WAIT = "wait"  # not within the planning horizon yet
    PLAN = "plan"
    DROP = "drop"  # quiet hours push it past its window: record as skipped
    MISSED = "missed"  # already later than the grace window: never planned, never sent


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    due_at: datetime


def local_instant(local_date: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time; gaps move forward, folds take the first occurrence."""
    # fold=0: in a gap zoneinfo applies the offset from before the transition, which lands
    # after the gap (02:30 -> 03:30); in a fold it selects the earlier of the two instants.
    return datetime.combine(local_date, at.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def end_of_local_day(local_date: date, tz: ZoneInfo) -> datetime:
    return local_instant(local_date + timedelta(days=1), time(0, 0), tz)


def on_the_day(*, local_date: date, at: time, tz: ZoneInfo, **task: Any) -> PlannedPrompt:
    """A prompt for one local day's task: sent at `at` that day, expiring when the day ends."""
    return PlannedPrompt(
        local_date=local_date,
        due_at=local_instant(local_date, at, tz),
        expires_at=end_of_local_day(local_date, tz),
        **task,
    )


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def candidate_dates(now: datetime, tz: ZoneInfo) -> list[date]:
    """Yesterday, today and tomorrow in local time: every date whose slot could be near `now`."""
    today = local_today(now, tz)
    return [today - timedelta(days=1), today, today + timedelta(days=1)]


def daily_slots(*, at: time, tz: ZoneInfo, dates: Iterable[date]) -> list[tuple[date, datetime]]:
    return [(day, local_instant(day, at, tz)) for day in dates]


def weekly_slots(
    *, weekday: int, at: time, tz: ZoneInfo, dates: Iterable[date]
) -> list[tuple[date, datetime]]:
    return [(day, local_instant(day, at, tz)) for day in dates if day.weekday() == weekday]


def defer_for_quiet_hours(due_at: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """Move a prompt inside quiet hours to the end of those quiet hours (local time)."""
    local = due_at.astimezone(tz)
    days = quiet.days_until_end(local.time())
    if days is None:
        return due_at
    return local_instant(local.date() + timedelta(days=days), quiet.end, tz)


def same_day_send_time(at: time, quiet: QuietHours) -> time | None:
    """The wall-clock time a prompt nominally at `at` is sent when its window closes at the end
    of its local day (diary reminder, pre-visit check-in, caregiver check-in): `at` outside
    quiet hours, their end when they end that same day, None (never sent) when they end only
    the next day (22:00 with 21:00-08:00): `decide_slot` drops a prompt deferred past its
    window."""
    days = quiet.days_until_end(at)
    if days is None:
        return at
    return quiet.end if days == 0 else None


def decide(
    prompt: PlannedPrompt,
    *,
    now: datetime,
    tz: ZoneInfo,
    quiet: QuietHours,
    grace: timedelta,
    ahead: timedelta,
) -> Decision:
    """Whether the planner should insert this prompt now, and for when."""
    return decide_slot(
        prompt.due_at, prompt.expires_at, now=now, tz=tz, quiet=quiet, grace=grace, ahead=ahead
    )


def decide_slot(
    due_at: datetime,
    expires_at: datetime,
    *,
    now: datetime,
    tz: ZoneInfo,
    quiet: QuietHours,
    grace: timedelta,
    ahead: timedelta,
) -> Decision:
    """`decide` for a nominal slot: it depends only on the slot, zone and quiet hours, so one
    call answers for every recipient who shares them."""
    due = defer_for_quiet_hours(due_at, tz, quiet)
    if due >= expires_at:  # judged at the nominal time: recorded once, near it
        if due_at > now + ahead:
            return Decision(Verdict.WAIT, due)
        if due_at < now - grace:
            return Decision(Verdict.MISSED, due)
        return Decision(Verdict.DROP, due)
    if due > now + ahead:
        return Decision(Verdict.WAIT, due)
    if due < now - grace:
        return Decision(Verdict.MISSED, due)
    return Decision(Verdict.PLAN, due)


def is_stale(*, due_at: datetime, expires_at: datetime, now: datetime, grace: timedelta) -> bool:
    """A prompt later than the grace window, or whose window closed, is expired, never sent."""
    return now > due_at + grace or now >= expires_at
