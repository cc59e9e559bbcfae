"""Reads: a person's effective prompt schedule and the people who may be texted, and the two
queries every prompt kind's source and completion check share (`patients_to_text`,
`completed_targets`)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from sqlalchemy import ColumnElement, Select, Time, func, literal, or_, select

from app.auth.models import User
from app.careteam.models import Patient
from app.consent.queries import sms_consented
from app.db import db
from app.forms import uuid_or_none
from app.prompts.kinds import TaskKey
from app.prompts.models import PromptSchedule
from app.prompts.planning import QuietHours

IN_CHUNK = 10_000


T = TypeVar("T")


def in_chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """Slices for `IN` lists: PostgreSQL allows at most 65,535 bind parameters per statement."""
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


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
    for chunk in in_chunks(ids):
        for row in db.session.scalars(
            select(PromptSchedule).where(PromptSchedule.user_id.in_(chunk))
        ):
            rows[row.user_id] = row
    return {user_id: _view(rows.get(user_id)) for user_id in ids}


def zones_and_schedules(user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[str, Schedule]]:
    """Each existing user's time zone name and schedule, in one query per chunk of ids."""
    found = {}
    for chunk in in_chunks(list(set(user_ids))):
        # Columns and the schedule row only: a whole User would decrypt the phone number.
        for user_id, timezone, row in db.session.execute(
            select(User.id, User.timezone, PromptSchedule)
            .outerjoin(PromptSchedule, PromptSchedule.user_id == User.id)
            .where(User.id.in_(chunk))
        ):
            found[user_id] = (timezone, _view(row))
    return found


@dataclass(frozen=True)
class EffectiveSchedule:
    """SQL: a recipient's schedule fields, the configured defaults where no row exists (to be
    used with an outer join to prompt_schedules)."""

    diary_enabled: ColumnElement[bool]
    diary_time: ColumnElement[time]
    quiet_start: ColumnElement[time]
    quiet_end: ColumnElement[time]
    checkin_weekday: ColumnElement[int]
    checkin_time: ColumnElement[time]


def effective_schedule() -> EffectiveSchedule:
    default = default_schedule()

    def either(column: ColumnElement[time], value: time) -> ColumnElement[time]:
        return func.coalesce(column, literal(value, Time()), type_=Time())

    return EffectiveSchedule(
        diary_enabled=or_(
            PromptSchedule.diary_enabled.is_(None), PromptSchedule.diary_enabled.is_(True)
        ),
        diary_time=either(PromptSchedule.diary_time, default.diary_time),
        quiet_start=either(PromptSchedule.quiet_start, default.quiet.start),
        quiet_end=either(PromptSchedule.quiet_end, default.quiet.end),
        checkin_weekday=func.coalesce(PromptSchedule.checkin_weekday, default.checkin_weekday),
        checkin_time=either(PromptSchedule.checkin_time, default.checkin_time),
    )


def zone(user: User) -> ZoneInfo:
    return zone_named(user.timezone)


def zone_named(name: str) -> ZoneInfo:
    """The zone of that name; an unknown or malformed name means DEFAULT_TIMEZONE."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])


def consented_clause() -> ColumnElement[bool]:
    """SQL: the user has a phone number and an active (not withdrawn) SMS consent."""
    return User.phone_index.is_not(None) & sms_consented(User.id)


def patients_to_text(task: Any, *columns: Any) -> Select[Any]:
    """SQL: each `task` row (a table with a `patient_id`), its patient's user id, and `columns`,
    for patients whose account is active and who may be texted; a source adds its own
    conditions with `.where(...)`."""
    return (
        select(task, Patient.user_id, *columns)
        .join(Patient, Patient.id == task.patient_id)
        .join(User, User.id == Patient.user_id)
        .where(User.active.is_(True), consented_clause())
    )


def completed_targets(
    tasks: Collection[TaskKey], target: Any, *done: ColumnElement[bool]
) -> set[TaskKey]:
    """The tasks whose target (an id in the `target` column) has a row meeting `done`: a
    prompt kind's completion check, one query per chunk of ids (a target that is not an id is
    never done)."""
    by_target: dict[uuid.UUID, list[TaskKey]] = {}
    for task in tasks:
        target_id = uuid_or_none(task[1])
        if target_id is not None:
            by_target.setdefault(target_id, []).append(task)
    found: set[TaskKey] = set()
    for chunk in in_chunks(list(by_target)):
        for target_id in db.session.scalars(select(target).where(target.in_(chunk), *done)):
            found.update(by_target[target_id])
    return found
