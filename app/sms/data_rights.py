"""Text messages in a patient's export (prompts, texts kept for the care team, the quick diary
by SMS, one-time links sent by SMS, received message ids and numbers Twilio refused), never a
secret: no link digest, phone number or blind index. Erasure cancels every pending message and
link, deletes the kept texts, conversations and number flags (they hold the phone's blind
index) and keeps received message ids without the person (Twilio retries stay deduplicated)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter, iso
from app.db import db, utcnow
from app.prompts.models import OPEN_STATUSES, OutboxMessage, OutboxStatus
from app.sms.models import (
    InboundMessage,
    MagicLink,
    NumberFlag,
    PatientText,
    SmsConversation,
)


@exporter(covers=(OutboxMessage,), sections=("text_messages",))
def text_messages(patient: Patient) -> list[Section]:
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient_id == patient.user_id)
        .order_by(OutboxMessage.due_at)
    ).all()
    return [
        Section(
            "text_messages",
            [
                {
                    "purpose": row.purpose.value,
                    "planned_for": row.due_at.isoformat(),
                    "status": row.status.value,
                    "reason": row.reason,
                    "sent_at": iso(row.sent_at),
                    "delivered_at": iso(row.delivered_at),
                    # The body as sent, its one-time link replaced by "[link]".
                    "body": row.body_redacted,
                }
                for row in rows
            ],
            [_sent(row, patient) for row in rows if row.sent_at is not None],
        )
    ]


SENT_STATUSES = (OutboxStatus.SENT, OutboxStatus.DELIVERED)


def _sent(row: OutboxMessage, patient: Patient) -> dict[str, Any]:
    """A text sent to the patient (its link redacted) as a Communication; one that was handed
    to Twilio but never delivered is "not-done"."""
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "id": str(row.id),
        "status": "completed" if row.status in SENT_STATUSES else "not-done",
        "medium": [_SMS],
        "subject": {"reference": f"Patient/{patient.id}"},
        "recipient": [{"reference": f"Patient/{patient.id}"}],
        "sender": {"display": "Heed"},
        "sent": iso(row.sent_at),
    }
    if row.body_redacted:
        resource["payload"] = [{"contentString": row.body_redacted}]
    if row.delivered_at is not None:
        resource["received"] = iso(row.delivered_at)
    return resource


_SMS = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode",
            "code": "SMSWRIT",
            "display": "SMS written",
        }
    ]
}


@exporter(covers=(PatientText,), sections=("texts_to_care_team",))
def kept_texts(patient: Patient) -> list[Section]:
    """Texts from the patient (and caregivers, about them) kept for the care team to read."""
    rows = db.session.scalars(
        select(PatientText)
        .where(PatientText.patient_id == patient.id)
        .order_by(PatientText.received_at)
    ).all()
    return [
        Section(
            "texts_to_care_team",
            [
                {
                    "received_at": row.received_at.isoformat(),
                    "from": row.sender_role,
                    "text": row.body,
                    "automatic_reply_sent": row.replied,
                }
                for row in rows
            ],
            [
                {
                    "resourceType": "Communication",
                    "id": str(row.id),
                    "status": "completed",
                    "medium": [_SMS],
                    "subject": {"reference": f"Patient/{patient.id}"},
                    "sender": {"reference": f"Patient/{patient.id}"}
                    if row.sender_role == "patient"
                    else {"type": "RelatedPerson", "display": row.sender_role},
                    "recipient": [{"display": "Care team"}],
                    "received": iso(row.received_at),
                    "payload": [{"contentString": row.body}],
                }
                for row in rows
            ],
        )
    ]


@exporter(covers=(SmsConversation, MagicLink), sections=("sms_diary_conversations", "sms_links"))
def sms_diary_and_links(patient: Patient) -> list[Section]:
    """The quick diary answered by text, and the one-time links texts carried."""
    conversations = db.session.scalars(
        select(SmsConversation)
        .where(SmsConversation.user_id == patient.user_id)
        .order_by(SmsConversation.started_at)
    ).all()
    links = db.session.scalars(
        select(MagicLink).where(MagicLink.user_id == patient.user_id).order_by(MagicLink.created_at)
    ).all()
    return [
        Section(
            "sms_diary_conversations",
            [
                {
                    "date": c.local_date.isoformat(),
                    "started_at": iso(c.started_at),
                    "ended_at": iso(c.completed_at),
                    "state": c.state.value,
                    "answers": sum(1 for v in c.answers.values() if v is not None),
                }
                for c in conversations
            ],
        ),
        Section(
            "sms_links",
            [
                {
                    "purpose": link.purpose.value,
                    "created_at": iso(link.created_at),
                    "redeemed_at": iso(link.used_at),
                    "expires_at": iso(link.expires_at),
                }
                for link in links
            ],
        ),
    ]


@exporter(covers=(InboundMessage, NumberFlag), sections=("sms_received", "sms_number_flags"))
def sms_delivery(patient: Patient) -> list[Section]:
    """Texts received from the patient (when, what kind: never the body) and numbers of theirs
    that Twilio refused."""
    received = db.session.scalars(
        select(InboundMessage)
        .where(InboundMessage.user_id == patient.user_id)
        .order_by(InboundMessage.received_at)
    ).all()
    flags = db.session.scalars(
        select(NumberFlag)
        .where(NumberFlag.user_id == patient.user_id)
        .order_by(NumberFlag.flagged_at)
    ).all()
    return [
        Section(
            "sms_received",
            [{"received_at": iso(m.received_at), "kind": m.kind} for m in received],
        ),
        Section(
            "sms_number_flags",
            [
                {
                    "error_code": f.error_code,
                    "flagged_at": iso(f.flagged_at),
                    "cleared_at": iso(f.cleared_at),
                }
                for f in flags
            ],
        ),
    ]


@eraser(covers=(OutboxMessage, MagicLink, SmsConversation, PatientText, InboundMessage, NumberFlag))
def cancel_messages(patient: Patient) -> None:
    now = utcnow()
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient_id == patient.user_id, OutboxMessage.status.in_(OPEN_STATUSES)
        )
        .values(status=OutboxStatus.CANCELLED, reason="erased", updated_at=now)
    )
    db.session.execute(
        update(MagicLink)
        .where(MagicLink.user_id == patient.user_id, MagicLink.used_at.is_(None))
        .values(used_at=now)
    )
    db.session.execute(delete(SmsConversation).where(SmsConversation.user_id == patient.user_id))
    db.session.execute(delete(PatientText).where(PatientText.patient_id == patient.id))
    db.session.execute(delete(NumberFlag).where(NumberFlag.user_id == patient.user_id))
    db.session.execute(
        update(InboundMessage).where(InboundMessage.user_id == patient.user_id).values(user_id=None)
    )
    db.session.flush()
