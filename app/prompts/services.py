"""Writes: schedules, the planning job (idempotent outbox inserts) and cancellation."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import select, update

from app.auth.models import User
from app.db import db, insert_ignoring_duplicates, utcnow
from app.prompts import queries
from app.prompts.kinds import TaskKey, catalogue
from app.prompts.models import OutboxMessage, OutboxStatus, PromptPurpose, PromptSchedule
from app.prompts.planning import Decision, PlannedPrompt, Verdict, decide

log = logging.getLogger(__name__)
DEDUPE_COLUMNS = ["recipient_id", "purpose", "target", "local_date", "slot"]


class ScheduleError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def update_schedule(
    *,
    user: User,
    diary_enabled: bool | None = None,
    diary_time: time | None = None,
    quiet_start: time | None = None,
    quiet_end: time | None = None,
    sms_diary_replies: bool | None = None,
    checkin_weekday: int | None = None,
    checkin_time: time | None = None,
) -> PromptSchedule:
    """Create or change a person's schedule; applies to slots planned from now on."""
    row = db.session.scalar(select(PromptSchedule).where(PromptSchedule.user_id == user.id))
    if row is None:
        current = queries.default_schedule()
        row = PromptSchedule(
            user_id=user.id,
            diary_enabled=current.diary_enabled,
            diary_time=current.diary_time,
            quiet_start=current.quiet.start,
            quiet_end=current.quiet.end,
            sms_diary_replies=current.sms_diary_replies,
            checkin_weekday=current.checkin_weekday,
            checkin_time=current.checkin_time,
        )
        db.session.add(row)
    changes = {
        "diary_enabled": diary_enabled,
        "diary_time": diary_time,
        "quiet_start": quiet_start,
        "quiet_end": quiet_end,
        "sms_diary_replies": sms_diary_replies,
        "checkin_weekday": checkin_weekday,
        "checkin_time": checkin_time,
    }
    for name, value in changes.items():
        if value is not None:
            setattr(row, name, value)
    if row.quiet_start == row.quiet_end:
        raise ScheduleError("quiet hours must start and end at different times")
    db.session.flush()
    return row


def cancel_pending(
    *, recipient: User | uuid.UUID, purpose: PromptPurpose, target: str, local_date: date
) -> int:
    """Cancel planned prompts for a task that is done (e.g. the diary branch on entry_saved)."""
    recipient_id = recipient.id if isinstance(recipient, User) else recipient
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient_id == recipient_id,
            OutboxMessage.purpose == purpose,
            OutboxMessage.target == target,
            OutboxMessage.local_date == local_date,
            OutboxMessage.status == OutboxStatus.PLANNED,
        )
        .values(status=OutboxStatus.CANCELLED, reason="completed", updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount or 0


def cancel_all_pending(*, recipient_id: uuid.UUID, reason: str) -> int:
    """Stop every planned prompt to this person at once (opt-out, consent withdrawn)."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient_id == recipient_id,
            OutboxMessage.status == OutboxStatus.PLANNED,
        )
        .values(status=OutboxStatus.CANCELLED, reason=reason, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount or 0


@dataclass(frozen=True)
class PlanResult:
    planned: int
    dropped: int


def _row(prompt: PlannedPrompt, due: datetime, status: OutboxStatus, now: datetime) -> dict:
    return {
        "id": uuid.uuid4(),
        "recipient_id": prompt.recipient_id,
        "patient_id": prompt.patient_id,
        "purpose": prompt.purpose,
        "target": prompt.target,
        "local_date": prompt.local_date,
        "slot": prompt.slot,
        "due_at": due if status == OutboxStatus.PLANNED else prompt.due_at,
        "expires_at": max(prompt.expires_at, prompt.due_at),
        "status": status,
        "reason": "quiet_hours" if status == OutboxStatus.SKIPPED else None,
        "attempts": 0,
        "next_attempt_at": due,
        "created_at": now,
        "updated_at": now,
    }


def _insert_ignoring_duplicates(rows: list[dict]) -> int:
    return insert_ignoring_duplicates(
        db.session, OutboxMessage, rows, index_elements=DEDUPE_COLUMNS
    )


def plan_due_prompts(*, now: datetime | None = None) -> PlanResult:
    """Insert outbox rows for prompts due soon; safe to run from any number of processes."""
    now = now or utcnow()
    config = current_app.config
    prompts = [prompt for source in catalogue().sources() for prompt in source.due_prompts(now)]
    recipients = queries.zones_and_schedules(p.recipient_id for p in prompts)
    decided: list[tuple[PlannedPrompt, Decision]] = []
    for prompt in prompts:
        if prompt.recipient_id not in recipients:
            continue
        timezone, schedule = recipients[prompt.recipient_id]
        decision = decide(
            prompt,
            now=now,
            tz=queries.zone_named(timezone),
            quiet=schedule.quiet,
            grace=config["SMS_GRACE"],
            ahead=config["SMS_PLAN_AHEAD"],
        )
        if decision.verdict not in (Verdict.WAIT, Verdict.MISSED):
            decided.append((prompt, decision))
    done = _completed(prompt for prompt, _ in decided)
    planned: list[dict] = []
    dropped: list[dict] = []
    for prompt, decision in decided:
        if (prompt.purpose, *_task(prompt)) in done:
            continue
        if decision.verdict == Verdict.PLAN:
            planned.append(_row(prompt, decision.due_at, OutboxStatus.PLANNED, now))
        else:
            dropped.append(_row(prompt, decision.due_at, OutboxStatus.SKIPPED, now))
    result = PlanResult(
        planned=_insert_ignoring_duplicates(planned), dropped=_insert_ignoring_duplicates(dropped)
    )
    db.session.flush()
    if result.planned or result.dropped:
        log.info("planned %d prompts, dropped %d for quiet hours", result.planned, result.dropped)
    return result


def _task(prompt: PlannedPrompt) -> TaskKey:
    return (prompt.recipient_id, prompt.target, prompt.local_date)


def _completed(prompts: Iterable[PlannedPrompt]) -> set[tuple]:
    """(purpose, recipient, target, local date) of the tasks already done: one batch per purpose."""
    kinds = catalogue()
    tasks: dict[PromptPurpose, set[TaskKey]] = defaultdict(set)
    for prompt in prompts:
        tasks[prompt.purpose].add(_task(prompt))
    return {
        (purpose, *key) for purpose, keys in tasks.items() for key in kinds.completed(purpose, keys)
    }
