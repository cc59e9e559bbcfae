"""Inbound dedupe, kept patient texts, flagged numbers, SMS conversations, magic links, console
messages. (The outbox is `app.prompts.models.OutboxMessage`: the planner writes it, sms sends it.)"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UUIDPrimaryKey, str_enum, utcnow
from app.prompts.models import PromptPurpose
from app.security import EncryptedText


class InboundMessage(UUIDPrimaryKey, Base):
    """A received SMS, kept only to deduplicate Twilio retries (MessageSid); no body is stored."""

    __tablename__ = "sms_inbound"

    sid: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class PatientText(UUIDPrimaryKey, Base):
    """A text from a patient or caregiver that was neither a keyword nor an expected answer,
    kept (encrypted) for the care team to read: one row per patient it concerns."""

    __tablename__ = "sms_patient_texts"
    __table_args__ = (UniqueConstraint("sid", "patient_id", name="uq_sms_patient_texts_sid"),)

    sid: Mapped[str] = mapped_column(String(64))  # Twilio MessageSid (sms_inbound.sid)
    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sender_role: Mapped[str] = mapped_column(String(16))  # "patient" or "caregiver"
    body: Mapped[str] = mapped_column(EncryptedText())
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    replied: Mapped[bool] = mapped_column(default=False)  # the automatic reply went out

    sender: Mapped[User | None] = relationship()


class NumberFlag(UUIDPrimaryKey, Base):
    """A number Twilio refused permanently; dispatch skips it while it is the person's number."""

    __tablename__ = "sms_number_flags"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    phone_index: Mapped[str] = mapped_column(String(64))
    error_code: Mapped[int]
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None]


class ConversationState(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class SmsConversation(UUIDPrimaryKey, Base):
    """The quick diary answered by SMS: one question at a time, one conversation per day."""

    __tablename__ = "sms_conversations"
    __table_args__ = (
        UniqueConstraint("user_id", "local_date", name="uq_sms_conversations_user_day"),
        CheckConstraint("step >= 0", name="step_not_negative"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    local_date: Mapped[date]
    step: Mapped[int] = mapped_column(default=0)
    reasked: Mapped[bool] = mapped_column(default=False)
    answers: Mapped[dict[str, int | None]] = mapped_column(JSON, default=dict)
    state: Mapped[ConversationState] = mapped_column(
        str_enum(ConversationState, "conversation_state"), default=ConversationState.ACTIVE
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class MagicLink(UUIDPrimaryKey, Base):
    """A one-time, expiring link bound to (recipient, purpose, target, local date)."""

    __tablename__ = "sms_magic_links"

    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    purpose: Mapped[PromptPurpose] = mapped_column(str_enum(PromptPurpose, "prompt_purpose"))
    target: Mapped[str] = mapped_column(String(64))
    local_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ConsoleMessage(UUIDPrimaryKey, Base):
    """Development only: what the console backend 'sent' and what the simulator replied."""

    __tablename__ = "sms_console_messages"

    phone_index: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(EncryptedText())
    outgoing: Mapped[bool]
    body: Mapped[str] = mapped_column(EncryptedText())
    sid: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
