"""How questionnaires meet SMS prompts: a prompt when a window opens and one reminder before it
closes, skipped once answered; links open exactly that questionnaire (or the caregiver's
check-in)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.instruments.models import Occurrence, Response
from app.prompts import queries as prompt_queries
from app.prompts import registry as prompt_registry
from app.prompts.models import PromptPurpose
from app.prompts.planning import PlannedPrompt
from app.prompts.registry import TaskKey
from app.sms import task_session
from app.sms.magic import TaskGrant

CLOSING_NOTICE = timedelta(hours=24)
QUESTIONNAIRE_PAGES = frozenset({"instruments.answer", "instruments.done"})


class QuestionnairePrompts:
    """Open windows of consenting patients: 'open' when the window opens, 'closing' a day
    before it closes (only for windows longer than that notice)."""

    name = "questionnaires"

    def due_prompts(self, now: datetime) -> Iterator[PlannedPrompt]:
        rows = db.session.execute(
            select(Occurrence, Patient.user_id)
            .join(Patient, Patient.id == Occurrence.patient_id)
            .join(User, User.id == Patient.user_id)
            .outerjoin(Response, Response.occurrence_id == Occurrence.id)
            .where(
                Occurrence.opens_at <= now + timedelta(days=1),
                Occurrence.closes_at > now,
                Response.submitted_at.is_(None),
                User.active.is_(True),
                prompt_queries.consented_clause(),
            )
        ).all()
        for occurrence, user_id in rows:
            common = {
                "recipient_id": user_id,
                "patient_id": occurrence.patient_id,
                "target": str(occurrence.id),
                "local_date": occurrence.due_date,
                "expires_at": occurrence.closes_at,
            }
            yield PlannedPrompt(
                purpose=PromptPurpose.QUESTIONNAIRE_DUE,
                slot="open",
                due_at=occurrence.opens_at,
                **common,
            )
            closing = occurrence.closes_at - CLOSING_NOTICE
            if closing > occurrence.opens_at:
                yield PlannedPrompt(
                    purpose=PromptPurpose.QUESTIONNAIRE_CLOSING,
                    slot="closing",
                    due_at=closing,
                    **common,
                )


def answered(tasks: Collection[TaskKey]) -> set[TaskKey]:
    """The tasks whose questionnaire (target: the occurrence id) has a submitted response."""
    occurrences: dict[uuid.UUID, list[TaskKey]] = defaultdict(list)
    for task in tasks:
        try:
            occurrences[uuid.UUID(task[1])].append(task)
        except ValueError:
            continue
    done: set[TaskKey] = set()
    for chunk in prompt_queries.in_chunks(list(occurrences)):
        for occurrence_id in db.session.scalars(
            select(Response.occurrence_id).where(
                Response.occurrence_id.in_(chunk), Response.submitted_at.is_not(None)
            )
        ):
            done.update(occurrences[occurrence_id])
    return done


def questionnaire_url(grant: TaskGrant) -> str:
    return url_for("instruments.answer", patient_id=grant.patient_id, occurrence_id=grant.target)


def questionnaire_pages(grant: TaskGrant, endpoint: str, view_args: Mapping[str, Any]) -> bool:
    return (
        endpoint in QUESTIONNAIRE_PAGES
        and view_args.get("patient_id") == str(grant.patient_id)
        and view_args.get("occurrence_id") == grant.target
    )


def checkin_url(grant: TaskGrant) -> str:
    return url_for("instruments.checkin", patient_id=grant.patient_id)


def checkin_pages(grant: TaskGrant, endpoint: str, view_args: Mapping[str, Any]) -> bool:
    return endpoint == "instruments.checkin" and view_args.get("patient_id") == str(
        grant.patient_id
    )


def register() -> None:
    prompt_registry.register_source(QuestionnairePrompts())
    for purpose in (PromptPurpose.QUESTIONNAIRE_DUE, PromptPurpose.QUESTIONNAIRE_CLOSING):
        prompt_registry.register_completion_check(purpose, answered)
        task_session.register_task(purpose, url=questionnaire_url, pages=questionnaire_pages)
    task_session.register_task(
        PromptPurpose.CAREGIVER_CHECKIN, url=checkin_url, pages=checkin_pages
    )
