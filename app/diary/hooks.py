"""The diary's fringe: its signal receivers and its prompt kind.

Receivers: a saved entry cancels that day's pending reminder (`entry_saved`).
Prompt kind (`DIARY_REMINDER`): the daily reminder, skipped once the day has an entry; its link
opens that day's diary; patients who opted in answer three quick questions by SMS reply.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.diary import queries, services
from app.diary.models import DiaryEntry, EntryMode
from app.diary.signals import entry_saved
from app.diary.values import DiaryValues
from app.prompts.kinds import Conversation, PromptKind, QuickQuestion, TaskGrant, TaskKey
from app.prompts.models import DIARY_TARGET, PromptPurpose
from app.prompts.queries import in_chunks
from app.prompts.services import cancel_pending
from app.prompts.sources import DiaryReminderSource
from app.signals import prompt_kinds

SMS_NAMESPACE = uuid.UUID("0b7e6a8e-1d3c-4f5a-9c2e-7d41c3b5a9f2")
DAY_PAGES = frozenset({"diary.entry", "diary.quick"})


# -- Signal receivers -------------------------------------------------------------------------


@entry_saved.connect
def _cancel_todays_reminders(
    _sender: object, *, patient_id: uuid.UUID, local_date: date, **_kwargs: Any
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


# -- Prompt kind: the daily diary reminder (and the quick diary by SMS reply) -----------------


def reminder_body(link: str) -> str:
    return _("Heed: time for today's diary. %(link)s Reply STOP to stop.", link=link)


def reminder_with_question(link: str, question: str) -> str:
    return _(
        "Heed: time for today's diary. %(question)s Or open %(link)s Reply STOP to stop.",
        question=question,
        link=link,
    )


def _symptoms() -> str:
    return _("How strong were your symptoms today? Reply 0 (none) to 10 (worst).")


def _mood() -> str:
    return _("How was your mood today? Reply 0 (very low) to 10 (very good).")


def _sleep() -> str:
    return _("How well did you sleep last night? Reply 1 (very poor) to 5 (very good).")


# The same three answers as the diary's quick entry, on the same scales.
QUICK_QUESTIONS = (
    QuickQuestion("overall_symptoms", 0, 10, _symptoms),
    QuickQuestion("mood", 0, 10, _mood),
    QuickQuestion("sleep_quality", 1, 5, _sleep),
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


DIARY_REMINDER = PromptKind(
    purpose=PromptPurpose.DIARY_REMINDER,
    body=reminder_body,
    source=DiaryReminderSource(),
    completed=diary_done,
    landing=diary_url,
    pages=diary_pages,
    conversation=Conversation(
        questions=QUICK_QUESTIONS, body=reminder_with_question, save=save_sms_quick_entry
    ),
)


@prompt_kinds.connect
def _prompt_kinds(_app: object, **_kwargs: Any) -> tuple[PromptKind, ...]:
    return (DIARY_REMINDER,)
