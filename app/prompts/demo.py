"""Demo data for prompts and SMS: consent and default schedules for every demo patient with a phone."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Role, User
from app.careteam.models import ConsentChannel
from app.careteam.services import active_sms_consent, record_sms_consent
from app.db import db
from app.prompts.services import update_schedule


def seed() -> None:
    """Idempotent: consent once, default schedule (diary 19:30, quiet 21:00-08:00)."""
    people = db.session.scalars(
        select(User).where(
            User.email.like("%@example.org"),
            User.role.in_([Role.PATIENT, Role.CAREGIVER]),
            User.phone_index.is_not(None),
        )
    )
    for user in people:
        if active_sms_consent(user) is None:
            record_sms_consent(user=user, channel=ConsentChannel.PAPER, recorded_by=None)
        update_schedule(user=user, sms_diary_replies=user.email == "patient@example.org")
