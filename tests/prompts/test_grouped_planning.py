"""The grouped planning path writes exactly the rows of the per-recipient rules.

A reference planner below applies the rules the way the planner did before recipients were
grouped (every recipient, three candidate dates, one completion check per prompt); a clock
sweeping through a DST day must leave the outbox identical to it after every tick.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from flask import Flask
from sqlalchemy import event, select

from app.access import active_grant_clause
from app.auth.models import User
from app.careteam.models import (
    CaregiverLink,
    ConsentChannel,
    ConsentGrant,
    ConsentScope,
    Patient,
)
from app.careteam.services import record_sms_consent
from app.db import db
from app.diary.models import DiaryEntry, EntryMode
from app.prompts import queries
from app.prompts.models import DIARY_TARGET, OutboxMessage, OutboxStatus, PromptPurpose
from app.prompts.planning import (
    PlannedPrompt,
    Verdict,
    candidate_dates,
    decide,
    end_of_local_day,
    local_instant,
)
from app.prompts.services import plan_due_prompts, update_schedule
from tests.sms.fixtures import consenting

Key = tuple[uuid.UUID, str, str, date, str]


def _zone(name: str, app: Flask) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(app.config["DEFAULT_TIMEZONE"])


def _reference_prompts(now: datetime, app: Flask) -> Iterator[tuple[PlannedPrompt, User]]:
    patients = db.session.execute(
        select(Patient, User)
        .join(User, User.id == Patient.user_id)
        .where(User.active.is_(True), queries.consented_clause())
    ).all()
    for patient, user in patients:
        schedule = queries.schedule_for(user.id)
        if not schedule.diary_enabled:
            continue
        tz = _zone(user.timezone, app)
        for day in candidate_dates(now, tz):
            yield (
                PlannedPrompt(
                    recipient_id=user.id,
                    patient_id=patient.id,
                    purpose=PromptPurpose.DIARY_REMINDER,
                    target=DIARY_TARGET,
                    local_date=day,
                    slot="daily",
                    due_at=local_instant(day, schedule.diary_time, tz),
                    expires_at=end_of_local_day(day, tz),
                ),
                user,
            )
    caregivers = db.session.execute(
        select(CaregiverLink.patient_id, User)
        .join(User, User.id == CaregiverLink.caregiver_id)
        .join(ConsentGrant, ConsentGrant.link_id == CaregiverLink.id)
        .where(
            ConsentGrant.scope == ConsentScope.RECEIVE_CHECKINS,
            active_grant_clause(now),
            User.active.is_(True),
            queries.consented_clause(),
        )
        .distinct()
    ).all()
    for patient_id, user in caregivers:
        schedule = queries.schedule_for(user.id)
        tz = _zone(user.timezone, app)
        for day in candidate_dates(now, tz):
            if day.weekday() == schedule.checkin_weekday:
                yield (
                    PlannedPrompt(
                        recipient_id=user.id,
                        patient_id=patient_id,
                        purpose=PromptPurpose.CAREGIVER_CHECKIN,
                        target=str(patient_id),
                        local_date=day,
                        slot="weekly",
                        due_at=local_instant(day, schedule.checkin_time, tz),
                        expires_at=end_of_local_day(day, tz),
                    ),
                    user,
                )


def _diary_done(prompt: PlannedPrompt) -> bool:
    return prompt.purpose == PromptPurpose.DIARY_REMINDER and bool(
        db.session.scalar(
            select(DiaryEntry.id).where(
                DiaryEntry.patient_id == prompt.patient_id,
                DiaryEntry.local_date == prompt.local_date,
            )
        )
    )


def reference_tick(expected: dict[Key, tuple], now: datetime, app: Flask) -> None:
    """What the per-recipient planner inserts at `now` (first row per dedupe key wins)."""
    config = app.config
    for prompt, user in _reference_prompts(now, app):
        decision = decide(
            prompt,
            now=now,
            tz=_zone(user.timezone, app),
            quiet=queries.schedule_for(user.id).quiet,
            grace=config["SMS_GRACE"],
            ahead=config["SMS_PLAN_AHEAD"],
        )
        if decision.verdict in (Verdict.WAIT, Verdict.MISSED) or _diary_done(prompt):
            continue
        key = (prompt.recipient_id, prompt.purpose, prompt.target, prompt.local_date, prompt.slot)
        planned = decision.verdict == Verdict.PLAN
        expected.setdefault(
            key,
            (
                prompt.patient_id,
                decision.due_at if planned else prompt.due_at,
                max(prompt.expires_at, prompt.due_at),
                decision.due_at,
                OutboxStatus.PLANNED if planned else OutboxStatus.SKIPPED,
                None if planned else "quiet_hours",
            ),
        )


def outbox() -> dict[Key, tuple]:
    rows = db.session.scalars(select(OutboxMessage).execution_options(populate_existing=True))
    return {
        (r.recipient_id, r.purpose, r.target, r.local_date, r.slot): (
            r.patient_id,
            r.due_at,
            r.expires_at,
            r.next_attempt_at,
            r.status,
            r.reason,
        )
        for r in rows
    }


def _schedule(patient: Patient, **changes: Any) -> None:
    update_schedule(user=db.session.get(User, patient.user_id), **changes)


def _people(app: Flask, make: Any, zone: str, day: date) -> None:
    phones = (f"+1202555{n:04d}" for n in range(2000, 3000))

    def person(timezone: str, **schedule: Any) -> Patient:
        patient = consenting(make, app, phone=next(phones), timezone=timezone)
        if schedule:
            _schedule(patient, **schedule)
        return patient

    for timezone in ("America/New_York", "America/New_York", "Europe/Berlin", "Asia/Tokyo"):
        person(timezone)
    person("Not/AZone")  # unknown: DEFAULT_TIMEZONE
    person("UTC", diary_time=time(7, 0))  # inside quiet hours: deferred to 08:00
    person("Europe/Berlin", diary_time=time(22, 0))  # deferred past midnight: dropped
    person("America/Sao_Paulo", quiet_start=time(19), quiet_end=time(20))  # deferred to 20:00
    in_the_change = time(1, 30) if (zone, day.month) == ("America/New_York", 11) else time(2, 30)
    person(zone, diary_time=in_the_change, quiet_start=time(12), quiet_end=time(13))
    person(zone, diary_time=in_the_change, quiet_start=time(12), quiet_end=time(13))
    person("America/New_York", diary_enabled=False)
    done = person(zone)
    inactive = person("America/New_York")
    db.session.get(User, inactive.user_id).active = False
    make.patient(phone=next(phones), timezone="America/New_York")  # no SMS consent
    for local_date in (day, day + timedelta(days=1)):
        db.session.add(
            DiaryEntry(
                patient_id=done.id,
                local_date=local_date,
                client_entry_id=uuid.uuid4(),
                mode=EntryMode.QUICK,
                created_by_id=done.user_id,
            )
        )
    for timezone, schedule in (
        ("America/New_York", {}),
        ("Europe/Berlin", {"checkin_time": time(21, 30)}),  # quiet hours: dropped
        (zone, {"checkin_weekday": day.weekday(), "checkin_time": in_the_change}),
    ):
        caregiver, _ = make.caregiver(
            person(timezone), [ConsentScope.RECEIVE_CHECKINS], phone=next(phones), timezone=timezone
        )
        user = db.session.get(User, caregiver.id)
        record_sms_consent(user=user, channel=ConsentChannel.WEB, recorded_by=None)
        if schedule:
            update_schedule(user=user, **schedule)
    db.session.commit()


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("America/New_York", date(2026, 3, 8)),  # spring forward, a Sunday
        ("Europe/Berlin", date(2026, 10, 25)),  # fall back, a Sunday
    ],
)
def test_grouped_planning_matches_per_recipient_rules(app, make, ctx, zone, day):
    _people(app, make, zone, day)
    expected: dict[Key, tuple] = {}
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=14)
    for step in range(40 * 3):  # 40 hours, every 20 minutes (inside the 45-minute window)
        now = start + timedelta(minutes=20 * step)
        plan_due_prompts(now=now)
        reference_tick(expected, now, app)
        assert outbox() == expected, now
        repeat = plan_due_prompts(now=now)
        assert (repeat.planned, repeat.dropped) == (0, 0)
    statuses = {row[4] for row in expected.values()}
    purposes = {key[1] for key in expected}
    assert statuses == {OutboxStatus.PLANNED, OutboxStatus.SKIPPED}
    assert purposes == {PromptPurpose.DIARY_REMINDER, PromptPurpose.CAREGIVER_CHECKIN}
    assert len(expected) >= 20


def test_a_tick_costs_the_same_statements_for_more_recipients(app, make, ctx):
    """No statement per recipient or per prompt: completion checks and inserts are batched."""
    now = local_instant(date(2026, 6, 1), time(19, 25), ZoneInfo("America/New_York"))
    phones = (f"+1202555{n:04d}" for n in range(3000, 3100))
    counts = []
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = db.session.get_bind()
    for _ in range(2):
        for _ in range(3):
            consenting(make, app, phone=next(phones), timezone="America/New_York")
        db.session.query(OutboxMessage).delete()
        event.listen(engine, "before_cursor_execute", count)
        try:
            statements.clear()
            plan_due_prompts(now=now)
            counts.append(len(statements))
            statements.clear()
            plan_due_prompts(now=now)
            repeat = list(statements)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert counts[0] == counts[1]
    assert len(outbox()) == 6
    assert not any(s.lstrip().upper().startswith("INSERT") for s in repeat)
