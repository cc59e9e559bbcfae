"""Pure slot planning: DST in two time zones, quiet hours, grace window."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.prompts.models import PromptPurpose
from app.prompts.planning import (
    PlannedPrompt,
    QuietHours,
    Verdict,
    candidate_dates,
    daily_slots,
    decide,
    defer_for_quiet_hours,
    end_of_local_day,
    local_instant,
    same_day_send_time,
)

NY, BERLIN = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")
QUIET = QuietHours(time(21, 0), time(8, 0))


@pytest.mark.parametrize(
    ("tz", "day", "expected_utc"),
    [
        # 2026-03-08: New York jumps from 02:00 to 03:00; 02:30 does not exist -> 03:30 EDT.
        (NY, date(2026, 3, 8), datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
        # 2026-03-29: Berlin jumps from 02:00 to 03:00 -> 03:30 CEST.
        (BERLIN, date(2026, 3, 29), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    ],
)
def test_spring_forward_moves_a_missing_time_forward(tz, day, expected_utc):
    instant = local_instant(day, time(2, 30), tz)
    assert instant == expected_utc
    assert instant.astimezone(tz).time() == time(3, 30)


@pytest.mark.parametrize(
    ("tz", "day", "at", "first_utc"),
    [
        # 2026-11-01: New York repeats 01:00-02:00; 01:30 EDT comes first (05:30 UTC).
        (NY, date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
        # 2026-10-25: Berlin repeats 02:00-03:00; 02:30 CEST comes first (00:30 UTC).
        (BERLIN, date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ],
)
def test_fall_back_fires_once_at_the_first_occurrence(tz, day, at, first_utc):
    slots = daily_slots(at=at, tz=tz, dates=[day])
    assert slots == [(day, first_utc)]


def test_ordinary_days_and_day_lengths_around_dst():
    assert local_instant(date(2026, 7, 1), time(19, 30), NY) == datetime(
        2026, 7, 1, 23, 30, tzinfo=UTC
    )
    # The spring-forward day is 23 hours long; the fall-back day 25.
    start = local_instant(date(2026, 3, 8), time(0, 0), NY)
    assert end_of_local_day(date(2026, 3, 8), NY) - start == timedelta(hours=23)
    start = local_instant(date(2026, 11, 1), time(0, 0), NY)
    assert end_of_local_day(date(2026, 11, 1), NY) - start == timedelta(hours=25)


def test_candidate_dates_follow_the_local_calendar():
    now = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)  # still April 30 in New York
    assert candidate_dates(now, NY) == [date(2026, 4, 29), date(2026, 4, 30), date(2026, 5, 1)]


@pytest.mark.parametrize(
    ("local", "inside"),
    [(time(20, 59), False), (time(21, 0), True), (time(2, 0), True), (time(8, 0), False)],
)
def test_quiet_hours_wrap_midnight(local, inside):
    assert QUIET.contains(local) is inside
    assert QuietHours(time(13, 0), time(14, 0)).contains(time(13, 30))


def test_a_prompt_in_quiet_hours_is_deferred_to_their_end():
    due = local_instant(date(2026, 6, 1), time(6, 30), BERLIN)
    assert defer_for_quiet_hours(due, BERLIN, QUIET) == local_instant(
        date(2026, 6, 1), time(8, 0), BERLIN
    )
    late = local_instant(date(2026, 6, 1), time(22, 0), BERLIN)
    assert defer_for_quiet_hours(late, BERLIN, QUIET) == local_instant(
        date(2026, 6, 2), time(8, 0), BERLIN
    )


def _prompt(due: datetime, expires: datetime) -> PlannedPrompt:
    return PlannedPrompt(
        recipient_id=uuid.uuid4(),
        patient_id=uuid.uuid4(),
        purpose=PromptPurpose.DIARY_REMINDER,
        target="diary",
        local_date=due.astimezone(NY).date(),
        slot="daily",
        due_at=due,
        expires_at=expires,
    )


def test_decide_plans_waits_drops_and_misses():
    day = date(2026, 6, 1)
    due = local_instant(day, time(19, 30), NY)
    window = end_of_local_day(day, NY)
    kw = {"tz": NY, "quiet": QUIET, "grace": timedelta(minutes=30), "ahead": timedelta(minutes=15)}
    prompt = _prompt(due, window)
    assert decide(prompt, now=due - timedelta(hours=1), **kw).verdict == Verdict.WAIT
    assert decide(prompt, now=due - timedelta(minutes=10), **kw).verdict == Verdict.PLAN
    assert decide(prompt, now=due + timedelta(minutes=20), **kw).verdict == Verdict.PLAN
    # The clock was down for two hours: the slot is missed, not sent late.
    assert decide(prompt, now=due + timedelta(hours=2), **kw).verdict == Verdict.MISSED
    # 22:00 falls in quiet hours; 08:00 tomorrow is past the diary day's window: dropped.
    late = _prompt(local_instant(day, time(22, 0), NY), window)
    decision = decide(late, now=late.due_at - timedelta(minutes=5), **kw)
    assert decision.verdict == Verdict.DROP


@pytest.mark.parametrize(
    "quiet",
    [
        QUIET,  # spans midnight
        QuietHours(time(22, 0), time(0, 0)),  # ends at midnight
        QuietHours(time(0, 0), time(6, 0)),  # starts at midnight
        QuietHours(time(13, 0), time(15, 30)),  # within a day
    ],
)
def test_what_the_settings_page_says_is_what_the_planner_does(quiet):
    """`same_day_send_time` (worded on /settings/reminders) agrees with `decide` for a slot
    whose window ends with its local day, at every quarter hour of an ordinary day."""
    day = date(2026, 6, 1)
    kw = {"tz": NY, "quiet": quiet, "grace": timedelta(minutes=30), "ahead": timedelta(0)}
    for minutes in range(0, 24 * 60, 15):
        at = time(minutes // 60, minutes % 60)
        prompt = _prompt(local_instant(day, at, NY), end_of_local_day(day, NY))
        decision = decide(prompt, now=prompt.due_at, **kw)
        if decision.verdict == Verdict.WAIT:  # deferred: planned when it comes due
            decision = decide(prompt, now=decision.due_at, **kw)
        said = same_day_send_time(at, quiet)
        if said is None:
            assert decision.verdict == Verdict.DROP, at
        else:
            assert decision.verdict == Verdict.PLAN, at
            assert decision.due_at == local_instant(day, said, NY), at
