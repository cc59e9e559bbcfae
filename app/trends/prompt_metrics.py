"""SMS response rate for the pathway metrics: of the prompts delivered to a clinic's patients in a
period, how many were followed by the task they asked for (that day's diary, or the
questionnaire they pointed to). A fixed number of queries, whatever the volume.

A trends read: it joins the outbox (prompts) with diary and questionnaire tables, which the SMS
transport must not know."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select

from app.careteam.models import Patient
from app.db import db
from app.diary.models import DiaryEntry
from app.instruments.models import Response
from app.prompts.models import OutboxMessage, OutboxStatus, PromptPurpose

DELIVERED = (OutboxStatus.SENT, OutboxStatus.DELIVERED)
QUESTIONNAIRE = (PromptPurpose.QUESTIONNAIRE_DUE, PromptPurpose.QUESTIONNAIRE_CLOSING)


@dataclass(frozen=True)
class PromptCounts:
    sent: int
    answered: int


def prompt_counts(clinic_id: uuid.UUID, start: datetime, end: datetime) -> PromptCounts:
    base = (
        select(OutboxMessage)
        .join(Patient, Patient.id == OutboxMessage.patient_id)
        .where(
            Patient.clinic_id == clinic_id,
            OutboxMessage.status.in_(DELIVERED),
            OutboxMessage.due_at >= start,
            OutboxMessage.due_at < end,
        )
    )
    sent = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    diary_answered = (
        db.session.scalar(
            select(func.count()).select_from(
                base.where(
                    OutboxMessage.purpose == PromptPurpose.DIARY_REMINDER,
                    exists().where(
                        and_(
                            DiaryEntry.patient_id == OutboxMessage.patient_id,
                            DiaryEntry.local_date == OutboxMessage.local_date,
                        )
                    ),
                ).subquery()
            )
        )
        or 0
    )
    targets = db.session.scalars(
        base.with_only_columns(OutboxMessage.target).where(OutboxMessage.purpose.in_(QUESTIONNAIRE))
    ).all()
    answered_ids = {
        str(occurrence_id)
        for occurrence_id in db.session.scalars(
            select(Response.occurrence_id)
            .join(Patient, Patient.id == Response.patient_id)
            .where(Patient.clinic_id == clinic_id, Response.submitted_at.is_not(None))
        )
    }
    questionnaire_answered = sum(1 for target in targets if target in answered_ids)
    return PromptCounts(sent=sent, answered=diary_answered + questionnaire_answered)
