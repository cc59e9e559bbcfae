"""How the diary meets SMS prompts: cancel today's reminder on save, skip done days, open the
day's diary from a one-time link, and save the three-question quick diary answered by SMS."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy import select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.diary import queries, services
from app.diary.models import DiaryEntry, EntryMode
from app.diary.values import DiaryValues
from app.prompts import registry as prompt_registry
from app.prompts.models import DIARY_TARGET, PromptPurpose
from app.prompts.queries import in_chunks
from app.prompts.registry import TaskKey
from app.prompts.services import cancel_pending
from app.signals import entry_saved
from app.sms import conversations, task_session
from app.sms.magic import TaskGrant

SMS_NAMESPACE = uuid.UUID("0b7e6a8e-1d3c-4f5a-9c2e-7d41c3b5a9f2")
DAY_PAGES = frozenset({"diary.entry", "diary.quick"})


def _cancel_todays_reminders(
    _sender: object, *, patient_id: uuid.UUID, local_date: date, **_: Any
) -> None:
    # The saving request or job already loaded the patient: found in the session, no query.
    patient = db.session.get(Patient, patient_id)
    if patient is not None:
        cancel_pending(
            recipient=patient.user_id,
            purpose=PromptPurpose.DIARY_REMINDER,
            target=DIARY_TARGET,
            local_date=local_date,
        )


def diary_done(tasks: Collection[TaskKey]) -> set[TaskKey]:
    """The tasks whose day already has a diary entry: one query per local date."""
    days: dict[date, set[uuid.UUID]] = defaultdict(set)
    for recipient_id, _target, day in tasks:
        days[day].add(recipient_id)
    done: set[tuple[uuid.UUID, date]] = set()
    for day, recipients in days.items():
        for chunk in in_chunks(list(recipients)):
            done.update(
                (user_id, day)
                for user_id in db.session.scalars(
                    select(Patient.user_id)
                    .join(DiaryEntry, DiaryEntry.patient_id == Patient.id)
                    .where(Patient.user_id.in_(chunk), DiaryEntry.local_date == day)
                )
            )
    return {task for task in tasks if (task[0], task[2]) in done}


def diary_url(grant: TaskGrant) -> str:
    return url_for("diary.quick", patient_id=grant.patient_id, day=grant.local_date.isoformat())


def diary_pages(grant: TaskGrant, endpoint: str, view_args: Mapping[str, Any]) -> bool:
    """The link opens that day's diary (quick or full), nothing else."""
    return (
        endpoint in DAY_PAGES
        and view_args.get("patient_id") == str(grant.patient_id)
        and view_args.get("day") in (None, grant.local_date.isoformat())
    )


def save_sms_quick_entry(
    patient_id: uuid.UUID, local_date: date, answers: dict[str, int | None]
) -> None:
    """The quick diary answered by SMS; unanswered questions stay empty, never zero."""
    patient = db.session.get(Patient, patient_id)
    if patient is None:
        return
    values = DiaryValues(
        mode=EntryMode.QUICK,
        overall_symptoms=answers.get("overall_symptoms"),
        mood=answers.get("mood"),
        sleep_quality=answers.get("sleep_quality"),
    )
    if queries.local_today(patient) < local_date:
        return
    services.record_entry(
        patient=patient,
        local_date=local_date,
        values=values,
        submission_id=uuid.uuid5(SMS_NAMESPACE, f"{patient_id}:{local_date.isoformat()}"),
        actor=db.session.get(User, patient.user_id),
    )


def register() -> None:
    entry_saved.connect(_cancel_todays_reminders)
    prompt_registry.register_completion_check(PromptPurpose.DIARY_REMINDER, diary_done)
    task_session.register_task(PromptPurpose.DIARY_REMINDER, url=diary_url, pages=diary_pages)
    conversations.register_quick_diary(sink=save_sms_quick_entry)
