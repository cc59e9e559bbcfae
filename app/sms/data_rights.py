"""Text messages in a patient's export (prompts, and texts kept for the care team); erasure
cancels every pending message and link and deletes the kept texts."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db, utcnow
from app.prompts.models import OPEN_STATUSES, OutboxMessage, OutboxStatus
from app.sms.models import MagicLink, PatientText, SmsConversation


@exporter(covers=(OutboxMessage,))
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
                    "sent_at": row.sent_at.isoformat() if row.sent_at else None,
                    "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
                    # The body as sent, its one-time link replaced by "[link]".
                    "body": row.body_redacted,
                }
                for row in rows
            ],
        )
    ]


@exporter(covers=(PatientText,))
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
        )
    ]


@eraser(covers=(OutboxMessage, MagicLink, SmsConversation, PatientText))
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
    db.session.flush()
