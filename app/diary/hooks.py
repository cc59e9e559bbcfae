"""The diary's receivers: its sections on the home and record pages, and its data for care-plan
goals (sleep hours, activity minutes and symptom ratings per day; a day without the relevant
answer is absent, never 0).

The diary's fringe: its signal receivers and its prompt kind.

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
from flask_login import current_user
from sqlalchemy import func, select

from app.access import Action, may
from app.auth.models import User
from app.careplan.content import Measure
from app.careplan.sources import observes
from app.careteam.models import Patient
from app.db import db
from app.diary import queries, services
from app.diary.models import ActivityBlock, DiaryEntry, EntryMode, SymptomRating
from app.diary.progress import progress_context
from app.diary.summary import diary_summary, may_observe
from app.diary.values import DiaryValues
from app.prompts.kinds import Conversation, PromptKind, QuickQuestion, TaskGrant, TaskKey
from app.prompts.models import DIARY_TARGET, PromptPurpose
from app.prompts.queries import in_chunks
from app.prompts.services import cancel_pending
from app.prompts.sources import DiaryReminderSource
from app.signals import entry_saved, prompt_kinds
from app.web.sections import Section, provider


@provider("home")
def diary_today(patient: Patient) -> Section | None:
    """For the patient's own home page: today's local date and whether it has an entry."""
    if not may(current_user, Action.WRITE_DIARY, patient):
        return None
    today = queries.local_today(patient)
    done = bool(queries.days_with_entries(patient, today, today))
    return Section("diary/_home_card.html", {"diary": {"today": today, "done": done}}, order=5)


@provider("home")
def diary_progress(patient: Patient) -> Section | None:
    """For the patient's own home page, right after today's diary: their last seven days, a
    weekly trend and one finding of "My patterns" (app.diary.progress)."""
    if not may(current_user, Action.WRITE_DIARY, patient):
        return None
    context = progress_context(patient, today=queries.local_today(patient))
    return Section("diary/_home_progress.html", {"progress": context}, order=6)


@provider("record")
def record_section(patient: Patient) -> Section | None:
    summary = diary_summary(patient)
    observe = may_observe(patient)
    if summary is None and not observe:
        return None
    return Section(
        "diary/_record_summary.html", {"diary": summary, "may_observe": observe}, order=10
    )


def _in_window(patient: Patient, start: date, end: date):
    return (
        DiaryEntry.patient_id == patient.id,
        DiaryEntry.local_date >= start,
        DiaryEntry.local_date <= end,
    )


@observes("sleep_hours_nights_per_week")
def sleep_hours(
    _kind: str, /, *, patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    rows = db.session.execute(
        select(DiaryEntry.local_date, DiaryEntry.sleep_minutes).where(
            *_in_window(patient, start, end), DiaryEntry.sleep_minutes.is_not(None)
        )
    )
    return [(day, minutes / 60) for day, minutes in rows]


@observes("activity_minutes_days_per_week")
def activity_minutes(
    _kind: str, /, *, patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    """Done minutes of the goal's activity kind per day. A day counts only when the patient
    recorded done minutes: of that kind (their sum), or of other kinds only (0: they said what
    they did, and it was not this). Minutes only planned, a done field left empty, or a day
    without pacing say nothing about what was done: those days are missing, never 0."""
    rows = db.session.execute(
        select(DiaryEntry.local_date, ActivityBlock.kind, func.sum(ActivityBlock.done_minutes))
        .join(ActivityBlock, ActivityBlock.entry_id == DiaryEntry.id)
        .where(*_in_window(patient, start, end))
        .group_by(DiaryEntry.local_date, ActivityBlock.kind)
    )
    minutes: dict[date, float] = {}
    unknown: set[date] = set()  # the goal's kind recorded without done minutes
    others: set[date] = set()  # done minutes of other kinds recorded
    for day, kind, total in rows:
        if kind != measure.subject:
            if total is not None:
                others.add(day)
        elif total is None:
            unknown.add(day)
        else:
            minutes[day] = float(total)
    for day in others - unknown - minutes.keys():
        minutes[day] = 0.0
    return sorted(minutes.items())


@observes("symptom_at_most_most_days")
def symptom_rating(
    _kind: str, /, *, patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    """The day's highest rating of the goal's symptom (several body sites count once)."""
    rows = db.session.execute(
        select(DiaryEntry.local_date, func.max(SymptomRating.score))
        .join(SymptomRating, SymptomRating.entry_id == DiaryEntry.id)
        .where(*_in_window(patient, start, end), SymptomRating.symptom_key == measure.subject)
        .group_by(DiaryEntry.local_date)
    )
    return [(day, float(score)) for day, score in rows]


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
