"""Reads: may this outbox row still be sent, message logs, the console outbox."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, select

from app.access import active_grant_clause
from app.auth.models import User
from app.careteam.models import CaregiverLink, ConsentGrant, ConsentScope, Patient, SmsConsent
from app.consent.queries import sms_consented
from app.db import db
from app.prompts.kinds import catalogue
from app.prompts.models import OutboxMessage, OutboxStatus, PromptPurpose
from app.security import blind_index
from app.sms.models import ConsoleMessage, NumberFlag, PatientText


def _flagged(user_id: Any, phone_index: Any) -> ColumnElement[bool]:
    return exists().where(
        NumberFlag.user_id == user_id,
        NumberFlag.phone_index == phone_index,
        NumberFlag.cleared_at.is_(None),
    )


def _consented(user_id: Any) -> ColumnElement[bool]:
    return sms_consented(user_id)


def _caregiver_may_receive(caregiver_id: Any, patient_id: Any, now: Any) -> ColumnElement[bool]:
    """`now` is a datetime or a bound parameter."""
    return exists().where(
        CaregiverLink.caregiver_id == caregiver_id,
        CaregiverLink.patient_id == patient_id,
        ConsentGrant.link_id == CaregiverLink.id,
        ConsentGrant.scope == ConsentScope.RECEIVE_CHECKINS,
        active_grant_clause(now),
    )


def number_flagged(user: User) -> bool:
    if user.phone_index is None:
        return False
    return bool(db.session.scalar(select(_flagged(user.id, user.phone_index))))


def has_consent(user: User) -> bool:
    return bool(db.session.scalar(select(_consented(user.id))))


@cache
def _consent_query(claimed: bool) -> Select:
    """Built once (it runs before every send): ids, now and claim_id are bound parameters."""
    now = bindparam("now")
    caregiver = (OutboxMessage.purpose != PromptPurpose.CAREGIVER_CHECKIN) | _caregiver_may_receive(
        User.id, OutboxMessage.patient_id, now
    )
    query = (
        select(
            OutboxMessage.id,
            User.active & User.phone_index.is_not(None),
            _consented(User.id),
            User.phone_index.is_not(None) & _flagged(User.id, User.phone_index),
            caregiver,
        )
        .join(User, User.id == OutboxMessage.recipient_id)
        .where(OutboxMessage.id.in_(bindparam("ids", expanding=True)))
    )
    if claimed:
        query = query.where(
            OutboxMessage.claim_id == bindparam("claim_id"),
            OutboxMessage.status == OutboxStatus.SENDING,
        )
    return query


def consent_reasons(
    row_ids: Collection[uuid.UUID], now: datetime, *, claim_id: uuid.UUID | None = None
) -> dict[uuid.UUID, str | None]:
    """One statement for a batch of outbox rows: why each may not be texted now (None: it may).

    Number, opt-out, flagged number, caregiver scope, in that order. With `claim_id`, only rows
    still being sent under that claim are returned (a missing row has lost its claim).
    """
    params: dict[str, object] = {"ids": list(row_ids), "now": now, "claim_id": claim_id}
    rows = db.session.execute(_consent_query(claim_id is not None), params)
    reasons: dict[uuid.UUID, str | None] = {}
    for row_id, has_number, consented, flagged, caregiver_ok in rows:
        checks = (
            (has_number, "no_number"),
            (consented, "opted_out"),
            (not flagged, "number_flagged"),
            (caregiver_ok, "no_caregiver_consent"),
        )
        reasons[row_id] = next((reason for ok, reason in checks if not ok), None)
    return reasons


def blocked_reasons(rows: Sequence[OutboxMessage], now: datetime) -> dict[uuid.UUID, str | None]:
    """Checked for a claimed batch before rendering: consent etc. (one statement), completion."""
    consent = consent_reasons([row.id for row in rows], now)
    kinds = catalogue()
    reasons: dict[uuid.UUID, str | None] = {}
    for row in rows:
        user = row.recipient
        reason = "no_number" if not user.active or user.phone is None else consent.get(row.id)
        if reason is None and kinds.is_complete(
            row.purpose, row.recipient_id, row.target, row.local_date
        ):
            reason = "completed"
        reasons[row.id] = reason
    return reasons


def message_log(patient: Patient, *, recipient_only: uuid.UUID | None = None, limit: int = 200):
    query = select(OutboxMessage).where(OutboxMessage.patient_id == patient.id)
    if recipient_only is not None:
        query = query.where(OutboxMessage.recipient_id == recipient_only)
    query = query.order_by(OutboxMessage.due_at.desc()).limit(limit)
    return list(db.session.scalars(query))


def patient_texts(patient: Patient, *, limit: int = 100) -> list[PatientText]:
    """Texts kept for the care team about this patient, newest first."""
    return list(
        db.session.scalars(
            select(PatientText)
            .where(PatientText.patient_id == patient.id)
            .order_by(PatientText.received_at.desc(), PatientText.id)
            .limit(limit)
        )
    )


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
