"""Writes for inbound SMS and status callbacks: dedupe, keywords, conversations, opt-out, flags."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import audit, signals
from app.auth.models import User
from app.careteam.models import ConsentChannel, Patient, WithdrawalSource
from app.careteam.services import find_users_by_phone, record_sms_consent, withdraw_sms_consent
from app.db import db, utcnow
from app.prompts.models import OutboxMessage, OutboxStatus
from app.prompts.services import cancel_all_pending
from app.security import InvalidPhoneNumber
from app.sms import bodies, conversations, patient_texts
from app.sms.keywords import Keyword, classify, parse_number
from app.sms.models import InboundMessage, NumberFlag
from app.sms.queries import has_consent

log = logging.getLogger(__name__)
OPT_OUT_CODE = 21610
OPT_OUT_NAMESPACE = uuid.UUID("9d3c3f0e-5b7a-4e21-8f64-2a1c6e0b7d55")
FLAG_CODES = frozenset({21211, 21614, 30005, 30006})


def _patient_id(user: User):
    return db.session.scalar(select(Patient.id).where(Patient.user_id == user.id))


def _same_number(user: User) -> list[User]:
    if user.phone_index is None:
        return [user]
    others = db.session.scalars(
        select(User).where(User.phone_index == user.phone_index, User.id != user.id)
    )
    return [user, *others]


def record_opt_out(*, user: User, now: datetime | None = None) -> None:
    """STOP (or Twilio 21610): withdraw consent with source STOP and stop every prompt at once."""
    now = now or utcnow()
    withdraw_sms_consent(user=user, source=WithdrawalSource.STOP, now=now)
    cancel_all_pending(recipient_id=user.id, reason="opted_out")
    conversations.end_all(user_id=user.id)
    patient_id = _patient_id(user)
    event = audit.record(
        "sms.opt_out", patient_id=patient_id, object_type="user", object_id=str(user.id)
    )
    signals.sms_opted_out.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        user_id=user.id,
        patient_id=patient_id,
        event_id=uuid.uuid5(OPT_OUT_NAMESPACE, f"{user.id}:{event.id}"),
    )


def record_opt_in(*, user: User) -> None:
    if has_consent(user):
        return
    record_sms_consent(user=user, channel=ConsentChannel.SMS, recorded_by=None)
    db.session.execute(
        update(NumberFlag)
        .where(NumberFlag.user_id == user.id, NumberFlag.error_code == OPT_OUT_CODE)
        .values(cleared_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def refuse_number(*, user: User, code: int, now: datetime | None = None) -> None:
    """A permanent Twilio error: flag this number; 21610 also records an opt-out."""
    now = now or utcnow()
    if user.phone_index is not None:
        db.session.add(
            NumberFlag(
                user_id=user.id, phone_index=user.phone_index, error_code=code, flagged_at=now
            )
        )
        audit.record(
            "sms.number_flagged",
            patient_id=_patient_id(user),
            object_type="error",
            object_id=str(code),
        )
    if code == OPT_OUT_CODE:  # Twilio blocks the number: every account on it is opted out
        for account in _same_number(user):
            record_opt_out(user=account, now=now)
    else:
        cancel_all_pending(recipient_id=user.id, reason="number_flagged")
    db.session.flush()


def _first_time(sid: str, kind: str, user: User | None) -> bool:
    """Record the MessageSid; False when Twilio already delivered this one (a retry)."""
    if db.session.scalar(select(InboundMessage.id).where(InboundMessage.sid == sid)):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(InboundMessage(sid=sid, kind=kind, user_id=user.id if user else None))
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class InboundResult:
    reply: str | None
    kind: str
    duplicate: bool = False


def _accounts(from_number: str) -> list[User]:
    try:
        return find_users_by_phone(from_number) if from_number else []
    except InvalidPhoneNumber:
        return []


def handle_inbound(
    *,
    sid: str,
    from_number: str,
    body: str,
    opt_out_type: str | None = None,
    now: datetime | None = None,
) -> InboundResult:
    """The one inbound pipeline (webhook and phone simulator). Caller commits.

    A number two accounts share (a family phone) acts for all of them: STOP and START apply to
    every account on it, since Twilio blocks or unblocks the number itself.
    """
    now = now or utcnow()
    users = _accounts(from_number)
    user = users[0] if users else None
    keyword = classify(body, opt_out_type)
    kind = keyword.value if keyword else "reply"
    if user is None:
        kind = "unknown_number"
    if not _first_time(sid, kind, user):
        return InboundResult(reply=None, kind=kind, duplicate=True)
    if user is None:
        locale = current_app.config["DEFAULT_LOCALE"]
        return InboundResult(bodies.render(locale, bodies.unknown_number_reply), kind)
    if keyword == Keyword.STOP:
        for account in users:
            record_opt_out(user=account, now=now)
        return InboundResult(bodies.render(user.locale, bodies.stopped_reply), kind)
    if keyword == Keyword.START:
        for account in users:
            record_opt_in(user=account)
        return InboundResult(bodies.render(user.locale, bodies.started_reply), kind)
    if keyword == Keyword.HELP or not body.strip():  # an empty text (a picture alone): help
        return InboundResult(bodies.render(user.locale, bodies.help_reply), kind)
    consenting = [account for account in users if has_consent(account)]
    for account in consenting:
        conversation = conversations.active(user_id=account.id, now=now)
        # Only a number is an expected answer; words are kept for the team (the question waits).
        if conversation is not None and parse_number(body) is not None:
            reply = bodies.render(
                account.locale,
                lambda c=conversation: conversations.answer(conversation=c, text=body, now=now),
            )
            return InboundResult(reply, "answer")
    return _keep(sid=sid, body=body, users=users, may_reply=bool(consenting), now=now)


def _keep(
    *, sid: str, body: str, users: list[User], may_reply: bool, now: datetime
) -> InboundResult:
    """Free text: kept for the care team of every patient it concerns. The reply (crisis line,
    not read around the clock) goes out only while the number may be texted: after STOP,
    Twilio refuses everything but START and HELP replies, so an opted-out sender gets none."""
    concerned = patient_texts.concerned_patients(users, now=now)
    if not concerned:  # staff, or a caregiver no patient shares anything with now
        return InboundResult(
            bodies.render(users[0].locale, bodies.unknown_number_reply), "unrouted"
        )
    patient_texts.keep_text(sid=sid, body=body, concerned=concerned, replied=may_reply, now=now)
    if not may_reply:
        return InboundResult(None, "kept")
    first = concerned[0]
    reply = patient_texts.kept_reply(locale=first.sender.locale, clinic_id=first.clinic_id)
    return InboundResult(reply, "kept")


# Twilio message statuses by how far along they are; callbacks only ever move forward.
PROVIDER_RANK = {
    "accepted": 1,
    "scheduled": 1,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "undelivered": 4,
    "failed": 4,
    "read": 5,
}
STATUS_FOR = {
    "delivered": OutboxStatus.DELIVERED,
    "read": OutboxStatus.DELIVERED,
    "undelivered": OutboxStatus.UNDELIVERED,
    "failed": OutboxStatus.FAILED,
}


def handle_status(
    *, sid: str, status: str, error_code: str | None, now: datetime | None = None
) -> bool:
    """Apply a status callback if it moves the message forward; False when ignored."""
    now = now or utcnow()
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.sid == sid).with_for_update())
    new_rank = PROVIDER_RANK.get(status.lower())
    if row is None or new_rank is None:
        return False
    if new_rank <= PROVIDER_RANK.get(row.provider_status or "", 0):
        return False
    row.provider_status, row.updated_at = status.lower(), now
    row.status = STATUS_FOR.get(status.lower(), OutboxStatus.SENT)
    if row.status == OutboxStatus.DELIVERED:
        row.delivered_at = now
    code = int(error_code) if error_code and error_code.isdigit() else None
    if code is not None:
        row.error_code, row.reason = code, f"twilio_{code}"
        if code in FLAG_CODES or code == OPT_OUT_CODE:
            refuse_number(user=row.recipient, code=code, now=now)
    db.session.flush()
    return True
