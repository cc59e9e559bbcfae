"""Reads: a person's effective prompt schedule and the people who may be texted."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from sqlalchemy import ColumnElement, exists, select

from app.auth.models import User
from app.careteam.models import SmsConsent
from app.db import db
from app.prompts.models import PromptSchedule
from app.prompts.planning import QuietHours

IN_CHUNK = 10_000


@dataclass(frozen=True)
class Schedule:
    diary_enabled: bool
    diary_time: time
    quiet: QuietHours
    sms_diary_replies: bool
    checkin_weekday: int
    checkin_time: time


def default_schedule() -> Schedule:
    config = current_app.config
    return Schedule(
        diary_enabled=True,
        diary_time=config["SMS_DIARY_TIME"],
        quiet=QuietHours(config["SMS_QUIET_START"], config["SMS_QUIET_END"]),
        sms_diary_replies=False,
        checkin_weekday=6,
        checkin_time=config["SMS_CHECKIN_TIME"],
    )


def _view(row: PromptSchedule | None) -> Schedule:
    if row is None:
        return default_schedule()
    return Schedule(
        diary_enabled=row.diary_enabled,
        diary_time=row.diary_time,
        quiet=QuietHours(row.quiet_start, row.quiet_end),
        sms_diary_replies=row.sms_diary_replies,
        checkin_weekday=row.checkin_weekday,
        checkin_time=row.checkin_time,
    )


def schedule_for(user_id: uuid.UUID) -> Schedule:
    return _view(db.session.scalar(select(PromptSchedule).where(PromptSchedule.user_id == user_id)))


def schedules_for(user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Schedule]:
    ids = list(set(user_ids))
    rows = {}
    # Chunked: PostgreSQL allows at most 65,535 bind parameters per statement (100k recipients).
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        for row in db.session.scalars(
            select(PromptSchedule).where(PromptSchedule.user_id.in_(chunk))
        ):
            rows[row.user_id] = row
    return {user_id: _view(rows.get(user_id)) for user_id in ids}


def zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])


def consented_clause() -> ColumnElement[bool]:
    """SQL: the user has a phone number and an active (not withdrawn) SMS consent."""
    return User.phone_index.is_not(None) & exists().where(
        SmsConsent.user_id == User.id, SmsConsent.withdrawn_at.is_(None)
    )
