"""Prompt schedules per recipient (patients and caregivers), the kinds of prompts Heed sends, and
the outbox: one row per planned prompt, written by the planner here and sent by `app.sms`."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, UUIDPrimaryKey, str_enum, utcnow


class PromptPurpose(StrEnum):
    DIARY_REMINDER = "diary_reminder"
    QUESTIONNAIRE_DUE = "questionnaire_due"
    QUESTIONNAIRE_CLOSING = "questionnaire_closing"
    PREVISIT_CHECKIN = "previsit_checkin"
    CAREGIVER_CHECKIN = "caregiver_checkin"
    REFERRAL_CHECKBACK = "referral_checkback"  # "Did you get help?" (app/referrals)
    EXPERIENCE_SURVEY = "experience_survey"


# The diary has one task per local day; its target is this constant.
DIARY_TARGET = "diary"


class PromptSchedule(UUIDPrimaryKey, Base):
    """One person's prompt preferences; a missing row means the configured defaults."""

    __tablename__ = "prompt_schedules"
    __table_args__ = (
        CheckConstraint("checkin_weekday BETWEEN 0 AND 6", name="checkin_weekday_range"),
        CheckConstraint("quiet_start <> quiet_end", name="quiet_hours_not_empty"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    diary_enabled: Mapped[bool] = mapped_column(default=True)
    diary_time: Mapped[time]
    quiet_start: Mapped[time]
    quiet_end: Mapped[time]
    # Answer the three quick diary questions by SMS reply (patient opt-in, with SMS consent).
    sms_diary_replies: Mapped[bool] = mapped_column(default=False)
    checkin_weekday: Mapped[int] = mapped_column(default=6)  # Monday=0 ... Sunday=6
    checkin_time: Mapped[time]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxStatus(StrEnum):
    PLANNED = "planned"  # waiting for due_at / next_attempt_at
    SENDING = "sending"  # claimed by one worker under a lease
    UNKNOWN = "unknown"  # the API call timed out or failed with 5xx: reconcile before resending
    SENT = "sent"  # accepted by Twilio (queued / sending / sent)
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    CANCELLED = "cancelled"  # task completed, opt-out, consent withdrawn
    EXPIRED = "expired"  # later than the grace window or its window closed
    SKIPPED = "skipped"  # never sendable (quiet hours past the window, no consent, flagged number)


OPEN_STATUSES = frozenset({OutboxStatus.PLANNED, OutboxStatus.SENDING, OutboxStatus.UNKNOWN})


class OutboxMessage(UUIDPrimaryKey, Base):
    """One planned prompt. The dedupe key makes planning idempotent across clocks and restarts."""

    __tablename__ = "sms_outbox"
    __table_args__ = (
        UniqueConstraint(
            "recipient_id", "purpose", "target", "local_date", "slot", name="uq_sms_outbox_dedupe"
        ),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("expires_at >= due_at", name="window_not_inverted"),
        CheckConstraint(
            "status NOT IN ('sent', 'delivered') OR sid IS NOT NULL", name="sent_has_sid"
        ),
        CheckConstraint("status <> 'sending' OR lease_until IS NOT NULL", name="sending_leased"),
        Index("ix_sms_outbox_status_due", "status", "next_attempt_at"),
    )

    recipient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[PromptPurpose] = mapped_column(str_enum(PromptPurpose, "prompt_purpose"))
    target: Mapped[str] = mapped_column(String(64))
    local_date: Mapped[date]
    slot: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PLANNED
    )
    reason: Mapped[str | None] = mapped_column(String(40))
    error_code: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    claim_id: Mapped[uuid.UUID | None]
    attempted_at: Mapped[datetime | None]
    sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    provider_status: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(8))
    body_digest: Mapped[str | None] = mapped_column(String(64))
    # The body as sent, with the one-time link replaced by a placeholder (no secret at rest).
    body_redacted: Mapped[str | None] = mapped_column(Text)
    segments: Mapped[int | None]
    alert_raised_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    recipient: Mapped[User] = relationship()
