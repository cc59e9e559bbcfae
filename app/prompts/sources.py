"""Prompt sources that read only people, consent and schedules: the daily diary reminder (used by
the diary's prompt kind) and the caregiver weekly check-in (the questionnaires' kind).

Both read recipients grouped by what decides their slots (time zone, reminder time, quiet
hours): each distinct group is decided once with the pure planning rules, then only the
recipients of groups with a slot to plan or drop now are read (a few hundred out of 100,000).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, exists, or_, select

from app.access import active_grant_clause
from app.auth.models import User
from app.careteam.models import CaregiverLink, ConsentGrant, ConsentScope, Patient
from app.db import db
from app.prompts import queries
from app.prompts.models import DIARY_TARGET, OutboxMessage, PromptPurpose, PromptSchedule
from app.prompts.planning import (
    PlannedPrompt,
    QuietHours,
    Verdict,
    candidate_dates,
    daily_slots,
    decide_slot,
    end_of_local_day,
    weekly_slots,
)

DAILY_SLOT = "daily"
WEEKLY_SLOT = "weekly"
GROUPS_PER_QUERY = 500  # about 7 bind parameters per group
ACTIVE = (Verdict.PLAN, Verdict.DROP)

# A group: (time zone name, *slot fields, quiet start, quiet end), as the SQL returns it.
Group = tuple[Any, ...]
# The slots of one group in a zone: (local date, nominal due instant) per candidate date.
SlotRule = Callable[[Group, ZoneInfo, list[date]], list[tuple[date, datetime]]]


@dataclass(frozen=True)
class Slot:
    local_date: date
    due_at: datetime
    expires_at: datetime


def due_slots(
    now: datetime, groups: Iterable[Group], rule: SlotRule
) -> dict[date, dict[Group, Slot]]:
    """{local date: {group: slot}} for the groups with a slot the planner would plan or drop.

    The verdict depends only on the group, so this equals deciding each recipient's prompt."""
    config = current_app.config
    found: dict[date, dict[Group, Slot]] = {}
    for group in groups:
        tz = queries.zone_named(group[0])
        quiet = QuietHours(group[-2], group[-1])
        for day, due in rule(group, tz, candidate_dates(now, tz)):
            expires = end_of_local_day(day, tz)
            verdict = decide_slot(
                due,
                expires,
                now=now,
                tz=tz,
                quiet=quiet,
                grace=config["SMS_GRACE"],
                ahead=config["SMS_PLAN_AHEAD"],
            ).verdict
            if verdict in ACTIVE:
                found.setdefault(day, {})[group] = Slot(day, due, expires)
    return found


def members(
    query: Select, key: list[ColumnElement], groups: list[Group]
) -> Iterator[tuple[Any, ...]]:
    """Rows of `query` (its key columns last) whose key is one of `groups`."""
    for start in range(0, len(groups), GROUPS_PER_QUERY):
        chosen = or_(
            *(
                and_(*(column == value for column, value in zip(key, group, strict=True)))
                for group in groups[start : start + GROUPS_PER_QUERY]
            )
        )
        yield from db.session.execute(query.add_columns(*key).where(chosen))


def _not_planned(purpose: PromptPurpose, target: str, day: date, slot: str) -> ColumnElement[bool]:
    """SQL: the recipient has no outbox row for this slot yet (the insert would ignore it)."""
    return ~exists().where(
        OutboxMessage.recipient_id == User.id,
        OutboxMessage.purpose == purpose,
        OutboxMessage.target == target,
        OutboxMessage.local_date == day,
        OutboxMessage.slot == slot,
    )


def _diary_rule(group: Group, tz: ZoneInfo, dates: list[date]) -> list[tuple[date, datetime]]:
    return daily_slots(at=group[1], tz=tz, dates=dates)


def _checkin_rule(group: Group, tz: ZoneInfo, dates: list[date]) -> list[tuple[date, datetime]]:
    return weekly_slots(weekday=group[1], at=group[2], tz=tz, dates=dates)


class DiaryReminderSource:
    """Every consenting patient, once per local day, at the time they chose (default 19:30)."""

    name = "diary_reminder"

    def due_prompts(self, now: datetime) -> Iterator[PlannedPrompt]:
        schedule = queries.effective_schedule()
        key = [User.timezone, schedule.diary_time, schedule.quiet_start, schedule.quiet_end]
        # Columns, not entities: loading User would decrypt every phone number (Fernet).
        recipients = (
            select(Patient.id, User.id)
            .join(User, User.id == Patient.user_id)
            .outerjoin(PromptSchedule, PromptSchedule.user_id == User.id)
            .where(User.active.is_(True), queries.consented_clause(), schedule.diary_enabled)
        )
        groups = db.session.execute(recipients.with_only_columns(*key).distinct()).all()
        for day, slots in due_slots(now, map(tuple, groups), _diary_rule).items():
            unplanned = recipients.where(
                _not_planned(PromptPurpose.DIARY_REMINDER, DIARY_TARGET, day, DAILY_SLOT)
            )
            for patient_id, user_id, *group in members(unplanned, key, list(slots)):
                slot = slots[tuple(group)]
                yield PlannedPrompt(
                    recipient_id=user_id,
                    patient_id=patient_id,
                    purpose=PromptPurpose.DIARY_REMINDER,
                    target=DIARY_TARGET,
                    local_date=day,
                    slot=DAILY_SLOT,
                    due_at=slot.due_at,
                    expires_at=slot.expires_at,
                )


class CaregiverCheckinSource:
    """Caregivers with an active receive_checkins grant and SMS consent, weekly, per patient."""

    name = "caregiver_checkin"

    def due_prompts(self, now: datetime) -> Iterator[PlannedPrompt]:
        schedule = queries.effective_schedule()
        key = [
            User.timezone,
            schedule.checkin_weekday,
            schedule.checkin_time,
            schedule.quiet_start,
            schedule.quiet_end,
        ]
        caregivers = (
            select(CaregiverLink.patient_id, User.id)
            .join(User, User.id == CaregiverLink.caregiver_id)
            .join(ConsentGrant, ConsentGrant.link_id == CaregiverLink.id)
            .outerjoin(PromptSchedule, PromptSchedule.user_id == User.id)
            .where(
                ConsentGrant.scope == ConsentScope.RECEIVE_CHECKINS,
                active_grant_clause(now),
                User.active.is_(True),
                queries.consented_clause(),
            )
        )
        groups = db.session.execute(caregivers.with_only_columns(*key).distinct()).all()
        for day, slots in due_slots(now, map(tuple, groups), _checkin_rule).items():
            rows = {tuple(row) for row in members(caregivers.distinct(), key, list(slots))}
            for patient_id, user_id, *group in rows:
                slot = slots[tuple(group)]
                yield PlannedPrompt(
                    recipient_id=user_id,
                    patient_id=patient_id,
                    purpose=PromptPurpose.CAREGIVER_CHECKIN,
                    target=str(patient_id),
                    local_date=day,
                    slot=WEEKLY_SLOT,
                    due_at=slot.due_at,
                    expires_at=slot.expires_at,
                )
