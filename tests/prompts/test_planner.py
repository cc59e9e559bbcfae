"""The planning job: idempotent outbox rows, DST days, time-zone changes, no late bursts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.auth.models import User
from app.careteam.models import CaregiverLink, ConsentChannel, ConsentScope
from app.careteam.services import record_sms_consent, revoke_scope
from app.db import db
from app.prompts.models import DIARY_TARGET, OutboxMessage, OutboxStatus, PromptPurpose
from app.prompts.planning import local_instant
from app.prompts.services import cancel_pending, plan_due_prompts, update_schedule
from app.sms.dispatch import dispatch_due, expire_stale
from tests.prompts.kinds import swap_kind
from tests.sms.fixtures import consenting

NY, BERLIN = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")


def rows(user_id=None) -> list[OutboxMessage]:
    query = (
        select(OutboxMessage)
        .order_by(OutboxMessage.due_at)
        .execution_options(populate_existing=True)
    )
    if user_id is not None:
        query = query.where(OutboxMessage.recipient_id == user_id)
    return list(db.session.scalars(query))


def at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return local_instant(day, clock, tz)


def test_planning_is_idempotent_and_uses_local_time(app, make, ctx):
    patient = consenting(make, app, phone="+12025550141", timezone="America/New_York")
    day = date(2026, 6, 1)
    for minutes in (-14, -5, 0, 10):
        plan_due_prompts(now=at(day, time(19, 30), NY) + timedelta(minutes=minutes))
    planned = rows(patient.user_id)
    assert len(planned) == 1
    assert planned[0].due_at == datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    assert (planned[0].local_date, planned[0].slot, planned[0].target) == (day, "daily", "diary")
    assert planned[0].status == OutboxStatus.PLANNED


def test_no_consent_no_phone_no_plan(app, make, ctx):
    no_consent = make.patient(phone="+12025550142", timezone="America/New_York")
    no_phone = make.patient(timezone="America/New_York")
    plan_due_prompts(now=at(date(2026, 6, 1), time(19, 25), NY))
    assert rows(no_consent.user_id) == [] and rows(no_phone.user_id) == []


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("America/New_York", date(2026, 3, 8)),  # spring forward
        ("America/New_York", date(2026, 11, 1)),  # fall back
        ("Europe/Berlin", date(2026, 3, 29)),  # spring forward
        ("Europe/Berlin", date(2026, 10, 25)),  # fall back
    ],
)
def test_dst_days_send_exactly_one_reminder(app, make, ctx, zone, day):
    """Run the clock every 10 minutes through a DST night with the reminder inside the change."""
    tz = ZoneInfo(zone)
    patient = consenting(make, app, phone="+12025550143", timezone=zone)
    user = db.session.get(User, patient.user_id)
    # Inside the change: 02:30 is skipped in spring; 01:30 (New York) / 02:30 (Berlin) repeat.
    reminder = time(1, 30) if (zone, day.month) == ("America/New_York", 11) else time(2, 30)
    update_schedule(user=user, diary_time=reminder, quiet_start=time(12), quiet_end=time(13))
    db.session.commit()
    start = at(day, time(0, 0), tz) - timedelta(hours=1)
    for step in range(6 * 27):
        with time_machine.travel(start + timedelta(minutes=10 * step), tick=False):
            plan_due_prompts()
            db.session.commit()
            dispatch_due()
    sent = [r for r in rows(patient.user_id) if r.local_date == day]
    assert len(sent) == 1
    assert sent[0].status == OutboxStatus.DELIVERED
    expected = at(day, reminder, tz)
    assert sent[0].due_at == expected
    if day.month == 3:  # the missing local time moved forward by the gap
        assert expected.astimezone(tz).time() == time(reminder.hour + 1, reminder.minute)


def test_time_zone_change_mid_day_never_duplicates_today(app, make, ctx):
    patient = consenting(make, app, phone="+12025550144", timezone="Europe/Berlin")
    day = date(2026, 6, 1)
    plan_due_prompts(now=at(day, time(19, 25), BERLIN))
    db.session.commit()
    dispatch_due(now=at(day, time(19, 30), BERLIN))
    user = db.session.get(User, patient.user_id)
    user.timezone = "America/New_York"  # it is 13:30 on the same date in New York
    db.session.commit()
    for clock in (time(19, 20), time(19, 30), time(19, 40)):
        plan_due_prompts(now=at(day, clock, NY))
        dispatch_due(now=at(day, clock, NY))
    assert [r.local_date for r in rows(patient.user_id)] == [day]
    plan_due_prompts(now=at(day + timedelta(days=1), time(19, 25), NY))
    later = rows(patient.user_id)[-1]
    assert later.local_date == day + timedelta(days=1)
    assert later.due_at == at(day + timedelta(days=1), time(19, 30), NY)


def test_clock_down_two_hours_expires_instead_of_bursting(app, make, ctx, fake):
    first = consenting(make, app, phone="+12025550145", timezone="America/New_York")
    second = consenting(make, app, phone="+12025550146", timezone="America/New_York")
    day = date(2026, 6, 1)
    user = db.session.get(User, second.user_id)
    update_schedule(user=user, diary_time=time(19, 0))
    db.session.commit()
    plan_due_prompts(now=at(day, time(18, 50), NY))  # only `second` is within the horizon
    db.session.commit()
    back = at(day, time(20, 50), NY)  # the clock comes back two hours later
    plan_due_prompts(now=back)
    stats = dispatch_due(now=back)
    expire_stale(now=back)
    assert fake.sent == []
    assert stats.sent == 0
    assert rows(first.user_id) == []  # its 19:30 slot was missed, never planned
    assert [(r.status, r.reason) for r in rows(second.user_id)] == [(OutboxStatus.EXPIRED, "late")]


def test_quiet_hours_defer_or_drop(app, make, ctx):
    early = consenting(make, app, phone="+12025550147", timezone="Europe/Berlin")
    late = consenting(make, app, phone="+12025550148", timezone="Europe/Berlin")
    update_schedule(user=db.session.get(User, early.user_id), diary_time=time(7, 0))
    update_schedule(user=db.session.get(User, late.user_id), diary_time=time(22, 0))
    db.session.commit()
    day = date(2026, 6, 1)
    for clock in (time(6, 50), time(7, 55), time(21, 55)):
        plan_due_prompts(now=at(day, clock, BERLIN))
    (deferred,) = rows(early.user_id)
    assert deferred.due_at == at(day, time(8, 0), BERLIN)
    (dropped,) = rows(late.user_id)
    assert (dropped.status, dropped.reason) == (OutboxStatus.SKIPPED, "quiet_hours")


def test_cancel_pending_stops_a_completed_task(app, make, ctx, fake):
    patient = consenting(make, app, phone="+12025550149", timezone="America/New_York")
    day = date(2026, 6, 1)
    plan_due_prompts(now=at(day, time(19, 25), NY))
    user = db.session.get(User, patient.user_id)
    assert (
        cancel_pending(
            recipient=user,
            purpose=PromptPurpose.DIARY_REMINDER,
            target=DIARY_TARGET,
            local_date=day,
        )
        == 1
    )
    db.session.commit()
    dispatch_due(now=at(day, time(19, 30), NY))
    assert fake.sent == []
    assert rows(patient.user_id)[0].status == OutboxStatus.CANCELLED


def test_the_kinds_completion_check_prevents_planning(app, make, ctx, monkeypatch):
    patient = consenting(make, app, phone="+12025550150", timezone="America/New_York")
    swap_kind(app, monkeypatch, PromptPurpose.DIARY_REMINDER, completed=lambda tasks: set(tasks))
    plan_due_prompts(now=at(date(2026, 6, 1), time(19, 25), NY))
    assert rows(patient.user_id) == []


def test_caregiver_checkin_needs_scope_and_consent(app, make, ctx, fake):
    patient = make.patient(timezone="America/New_York")
    with_scope, link = make.caregiver(
        patient, [ConsentScope.RECEIVE_CHECKINS], phone="+12025550151", timezone="America/New_York"
    )
    without_scope, _ = make.caregiver(
        patient, [ConsentScope.VIEW_SCORES], phone="+12025550152", timezone="America/New_York"
    )
    for person in (with_scope, without_scope):
        record_sms_consent(
            user=db.session.get(User, person.id), channel=ConsentChannel.WEB, recorded_by=None
        )
    db.session.commit()
    sunday = date(2026, 6, 7)
    plan_due_prompts(now=at(sunday, time(17, 55), NY))
    assert [r.purpose for r in rows(with_scope.id)] == [PromptPurpose.CAREGIVER_CHECKIN]
    assert rows(without_scope.id) == []
    # The patient revokes the scope after planning: the check-in is not sent.
    revoke_scope(link=db.session.get(CaregiverLink, link.id), scope=ConsentScope.RECEIVE_CHECKINS)
    db.session.commit()
    dispatch_due(now=at(sunday, time(18, 0), NY))
    assert fake.sent == []
    assert rows(with_scope.id)[0].reason == "no_caregiver_consent"


def test_plan_result_counts_only_rows_really_inserted(app, make, ctx):
    for phone in ("+12025550160", "+12025550161"):
        consenting(make, app, phone=phone, timezone="America/New_York")
    now = at(date(2026, 6, 1), time(19, 25), NY)
    first = plan_due_prompts(now=now)
    assert first.planned == 2
    assert plan_due_prompts(now=now).planned == 0  # a second tick (or clock) adds nothing
