"""Reads: may this outbox row still be sent, message logs, the console outbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import exists, select

from app.access import active_grant_clause
from app.auth.models import User
from app.careteam.models import CaregiverLink, ConsentGrant, ConsentScope, Patient, SmsConsent
from app.db import db
from app.prompts import registry
from app.prompts.models import PromptPurpose
from app.security import blind_index
from app.sms.models import ConsoleMessage, NumberFlag, OutboxMessage


def number_flagged(user: User) -> bool:
    if user.phone_index is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    NumberFlag.user_id == user.id,
                    NumberFlag.phone_index == user.phone_index,
                    NumberFlag.cleared_at.is_(None),
                )
            )
        )
    )


def has_consent(user: User) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(SmsConsent.user_id == user.id, SmsConsent.withdrawn_at.is_(None)))
        )
    )


def caregiver_may_receive(caregiver_id: uuid.UUID, patient_id: uuid.UUID, now: datetime) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    CaregiverLink.caregiver_id == caregiver_id,
                    CaregiverLink.patient_id == patient_id,
                    ConsentGrant.link_id == CaregiverLink.id,
                    ConsentGrant.scope == ConsentScope.RECEIVE_CHECKINS,
                    active_grant_clause(now),
                )
            )
        )
    )


def blocked_reason(row: OutboxMessage, user: User, now: datetime) -> str | None:
    """Re-checked just before sending: opt-out, consent, number, caregiver scope, completion."""
    if not user.active or user.phone is None:
        return "no_number"
    if not has_consent(user):
        return "opted_out"
    if number_flagged(user):
        return "number_flagged"
    if row.purpose == PromptPurpose.CAREGIVER_CHECKIN and not caregiver_may_receive(
        user.id, row.patient_id, now
    ):
        return "no_caregiver_consent"
    if registry.is_complete(row.purpose, row.recipient_id, row.target, row.local_date):
        return "completed"
    return None


def message_log(patient: Patient, *, recipient_only: uuid.UUID | None = None, limit: int = 200):
    query = select(OutboxMessage).where(OutboxMessage.patient_id == patient.id)
    if recipient_only is not None:
        query = query.where(OutboxMessage.recipient_id == recipient_only)
    query = query.order_by(OutboxMessage.due_at.desc()).limit(limit)
    return list(db.session.scalars(query))


def sms_consents(user_id: uuid.UUID) -> list[SmsConsent]:
    return list(
        db.session.scalars(
            select(SmsConsent)
            .where(SmsConsent.user_id == user_id)
            .order_by(SmsConsent.granted_at.desc())
        )
    )


def console_thread(phone: str, limit: int = 50) -> list[ConsoleMessage]:
    rows = db.session.scalars(
        select(ConsoleMessage)
        .where(ConsoleMessage.phone_index == blind_index(phone))
        .order_by(ConsoleMessage.created_at.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


def simulator_numbers() -> list[tuple[str, str]]:
    """(phone, display name) for everyone with a number and an SMS consent record."""
    users = db.session.scalars(
        select(User)
        .where(User.phone_index.is_not(None), exists().where(SmsConsent.user_id == User.id))
        .order_by(User.email)
    )
    return [(user.phone, user.display_name) for user in users if user.phone]
