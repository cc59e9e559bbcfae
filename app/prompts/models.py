"""Prompt schedules per recipient (patients and caregivers) and the kinds of prompts Heed sends."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UUIDPrimaryKey, utcnow


class PromptPurpose(StrEnum):
    DIARY_REMINDER = "diary_reminder"
    QUESTIONNAIRE_DUE = "questionnaire_due"
    QUESTIONNAIRE_CLOSING = "questionnaire_closing"
    PREVISIT_CHECKIN = "previsit_checkin"
    CAREGIVER_CHECKIN = "caregiver_checkin"


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
