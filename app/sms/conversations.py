"""SMS conversations: short questions after a prompt, one at a time, answered with a number.

The engine is generic; the questions and what to do with the answers belong to the prompt kind
that declares a `Conversation` (today the diary's quick entry: three questions). State lives in
`SmsConversation`. An out-of-range answer is asked again once; a second one leaves that answer
empty (never zero) and moves on.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select, update

from app.db import db
from app.prompts.kinds import QuickQuestion, catalogue
from app.sms import bodies
from app.sms.keywords import parse_number
from app.sms.models import ConversationState, SmsConversation


def questions() -> tuple[QuickQuestion, ...]:
    conversation = catalogue().conversation()
    return conversation.questions if conversation else ()


def start(
    *, user_id: uuid.UUID, patient_id: uuid.UUID, local_date: date, now: datetime
) -> SmsConversation | None:
    """Open today's conversation (once per person and local day); ends older ones."""
    existing = db.session.scalar(
        select(SmsConversation).where(
            SmsConversation.user_id == user_id, SmsConversation.local_date == local_date
        )
    )
    if existing is not None:
        return None
    end_all(user_id=user_id)
    conversation = SmsConversation(
        user_id=user_id,
        patient_id=patient_id,
        local_date=local_date,
        step=0,
        answers={},
        started_at=now,
        expires_at=now + current_app.config["SMS_CONVERSATION_LIFETIME"],
    )
    db.session.add(conversation)
    db.session.flush()
    return conversation


def active(*, user_id: uuid.UUID, now: datetime) -> SmsConversation | None:
    return db.session.scalar(
        select(SmsConversation)
        .where(
            SmsConversation.user_id == user_id,
            SmsConversation.state == ConversationState.ACTIVE,
            SmsConversation.expires_at > now,
        )
        .order_by(SmsConversation.started_at.desc())
    )


def end_all(*, user_id: uuid.UUID) -> None:
    db.session.execute(
        update(SmsConversation)
        .where(
            SmsConversation.user_id == user_id,
            SmsConversation.state == ConversationState.ACTIVE,
        )
        .values(state=ConversationState.ABANDONED)
        .execution_options(synchronize_session=False)
    )


def expire_stale(*, now: datetime) -> int:
    result = db.session.execute(
        update(SmsConversation)
        .where(SmsConversation.state == ConversationState.ACTIVE, SmsConversation.expires_at <= now)
        .values(state=ConversationState.ABANDONED)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def answer(*, conversation: SmsConversation, text: str, now: datetime) -> str:
    """Apply one reply and return the next thing to say (caller renders in the right locale)."""
    asked = questions()
    question = asked[conversation.step]
    value = parse_number(text)
    answers = dict(conversation.answers or {})
    if value is None or not question.low <= value <= question.high:
        if not conversation.reasked:
            conversation.reasked = True
            db.session.flush()
            return bodies.reask_reply(question.text(), question.low, question.high)
        value = None  # asked twice: leave it empty and move on
    answers[question.key] = value
    conversation.answers, conversation.reasked = answers, False
    conversation.step += 1
    if conversation.step < len(asked):
        db.session.flush()
        return asked[conversation.step].text()
    conversation.state, conversation.completed_at = ConversationState.COMPLETED, now
    db.session.flush()
    declared = catalogue().conversation()
    if declared is not None:
        declared.save(conversation.patient_id, conversation.local_date, answers)
    return bodies.saved_reply()
