"""Built-in prompt sources: the daily diary reminder and the caregiver weekly check-in."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from app.access import active_grant_clause
from app.auth.models import User
from app.careteam.models import CaregiverLink, ConsentGrant, ConsentScope, Patient
from app.db import db
from app.prompts import queries
from app.prompts.models import DIARY_TARGET, PromptPurpose
from app.prompts.planning import (
    PlannedPrompt,
    candidate_dates,
    daily_slots,
    end_of_local_day,
    weekly_slots,
)

DAILY_SLOT = "daily"
WEEKLY_SLOT = "weekly"


class _Recipient(NamedTuple):
    """What planning needs of a user (`queries.zone` reads `.timezone`)."""

    id: uuid.UUID
    timezone: str


class DiaryReminderSource:
    """Every consenting patient, once per local day, at the time they chose (default 19:30)."""

    name = "diary_reminder"

    def due_prompts(self, now: datetime) -> Iterator[PlannedPrompt]:
        # Columns, not entities: loading User would decrypt every phone number (Fernet) per tick.
        rows = db.session.execute(
            select(Patient.id, User.id, User.timezone)
            .join(User, User.id == Patient.user_id)
            .where(User.active.is_(True), queries.consented_clause())
        ).all()
        schedules = queries.schedules_for(user_id for _, user_id, _ in rows)
        for patient_id, user_id, timezone in rows:
            user = _Recipient(user_id, timezone)
            schedule = schedules[user.id]
            if not schedule.diary_enabled:
                continue
            tz = queries.zone(user)
            dates = candidate_dates(now, tz)
            for day, due in daily_slots(at=schedule.diary_time, tz=tz, dates=dates):
                yield PlannedPrompt(
                    recipient_id=user.id,
                    patient_id=patient_id,
                    purpose=PromptPurpose.DIARY_REMINDER,
                    target=DIARY_TARGET,
                    local_date=day,
                    slot=DAILY_SLOT,
                    due_at=due,
                    expires_at=end_of_local_day(day, tz),
                )


class CaregiverCheckinSource:
    """Caregivers with an active receive_checkins grant and SMS consent, weekly, per patient."""

    name = "caregiver_checkin"

    def due_prompts(self, now: datetime) -> Iterator[PlannedPrompt]:
        rows = db.session.execute(
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
        schedules = queries.schedules_for(user.id for _, user in rows)
        for patient_id, user in rows:
            schedule = schedules[user.id]
            tz = queries.zone(user)
            for day, due in weekly_slots(
                weekday=schedule.checkin_weekday,
                at=schedule.checkin_time,
                tz=tz,
                dates=candidate_dates(now, tz),
            ):
                yield PlannedPrompt(
                    recipient_id=user.id,
                    patient_id=patient_id,
                    purpose=PromptPurpose.CAREGIVER_CHECKIN,
                    target=str(patient_id),
                    local_date=day,
                    slot=WEEKLY_SLOT,
                    due_at=due,
                    expires_at=end_of_local_day(day, tz),
                )


def register_builtin_sources() -> None:
    from app.prompts.registry import register_source

    register_source(DiaryReminderSource())
    register_source(CaregiverCheckinSource())
