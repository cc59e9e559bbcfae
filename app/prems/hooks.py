"""The experience surveys' receivers: the invitation after a completed follow-up, the patient's
home card, the coordinator's aggregates (metrics page), a clinician's own aggregate (staff home)
and the SMS prompt kind.

Prompt kind (`EXPERIENCE_SURVEY`): once per open invitation, when it is made (quiet hours
apply), a text with a one-time link to the survey; skipped once answered, expires with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator
from datetime import date, datetime
from typing import Any

from flask import url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Discipline, Role, User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.labels import DISCIPLINE_LABELS
from app.prems import queries, services
from app.prems.models import PremSurvey
from app.prems.scoring import MIN_GROUP, Aggregate
from app.prompts import queries as prompt_queries
from app.prompts.kinds import PromptKind, TaskGrant, TaskKey, target_pages
from app.prompts.models import PromptPurpose
from app.prompts.planning import PlannedPrompt
from app.signals import followup_done, prompt_kinds
from app.web.sections import Section, provider


@followup_done.connect
def _invite(
    _app: object,
    *,
    appointment_id: uuid.UUID,
    patient_id: uuid.UUID,
    clinician_id: uuid.UUID,
    now: datetime,
    **_kwargs: Any,
) -> None:
    services.invite_after_visit(
        appointment_id=appointment_id, patient_id=patient_id, clinician_id=clinician_id, now=now
    )


@provider("home")
def survey_card(patient: Patient) -> Section | None:
    """The patient's own open survey (never shown to caregivers or staff)."""
    if not current_user.is_authenticated or current_user.id != patient.user_id:
        return None
    survey = queries.open_survey(patient, now=utcnow())
    if survey is None:
        return None
    context = {"patient_id": patient.id, "survey_id": survey.id}
    return Section("prems/_home.html", {"prem": context}, order=9)


def _numbers(row: Aggregate) -> dict[str, Any]:
    if row.suppressed:
        return {"suppressed": True}
    return {
        "suppressed": False,
        "n": format_decimal(row.n),
        "top_share": format_percent(row.top_share or 0),
        "mean": format_decimal(round(row.mean or 0, 1)),
    }


def _group(code: str, clinic: str) -> str:
    if code == "":
        return clinic
    if code in set(Discipline):
        return str(DISCIPLINE_LABELS[Discipline(code)])
    return _("No discipline recorded")


@provider("metrics")
def clinic_experience(
    user: User, *, start: date, end: date, now: datetime, **_kwargs: Any
) -> Section | None:
    """CollaboRATE by quarter, for the clinic and each discipline; small groups suppressed."""
    if user.role != Role.COORDINATOR or user.clinic_id is None:
        return None
    clinic = _("Whole clinic")
    rows = [
        {"quarter": row.key[0], "group": _group(row.key[1], clinic), **_numbers(row)}
        for row in queries.clinic_aggregates(user, start=start, end=end, now=now)
    ]
    return Section("prems/_metrics.html", {"prems": {"rows": rows, "min_group": MIN_GROUP}}, 60)


@provider("staff_home")
def own_experience(user: User, **_kwargs: Any) -> Section | None:
    """A clinician's own aggregate (only above the threshold; never per patient)."""
    if user.role != Role.CLINICIAN:
        return None
    found = queries.own_aggregate(user)
    if found is None:
        return None
    context = {"min_group": MIN_GROUP, **_numbers(found)}
    return Section("prems/_staff_home.html", {"prem_own": context}, order=70)


# -- Prompt kind: the experience survey --------------------------------------------------------

SURVEY_PAGES = frozenset({"prems.answer", "prems.done"})


def survey_body(link: str) -> str:
    return _(
        "Heed: how was your visit? Three quick questions. %(link)s Reply STOP to stop.", link=link
    )


class SurveyPrompts:
    name = "experience_surveys"

    def due_prompts(self, now: datetime) -> Iterator[PlannedPrompt]:
        rows = db.session.execute(
            prompt_queries.patients_to_text(PremSurvey, User.timezone).where(
                PremSurvey.answered_at.is_(None), PremSurvey.expires_at > now
            )
        ).all()
        for survey, user_id, timezone in rows:
            yield PlannedPrompt(
                recipient_id=user_id,
                patient_id=survey.patient_id,
                purpose=PromptPurpose.EXPERIENCE_SURVEY,
                target=str(survey.id),
                local_date=survey.invited_at.astimezone(prompt_queries.zone_named(timezone)).date(),
                slot="open",
                due_at=survey.invited_at,
                expires_at=survey.expires_at,
            )


def answered(tasks: Collection[TaskKey]) -> set[TaskKey]:
    """The tasks whose survey (target: the survey id) is answered."""
    return prompt_queries.completed_targets(
        tasks, PremSurvey.id, PremSurvey.answered_at.is_not(None)
    )


def survey_url(grant: TaskGrant) -> str:
    return url_for("prems.answer", patient_id=grant.patient_id, survey_id=grant.target)


survey_pages = target_pages(SURVEY_PAGES, "survey_id")


EXPERIENCE_SURVEY = PromptKind(
    purpose=PromptPurpose.EXPERIENCE_SURVEY,
    body=survey_body,
    source=SurveyPrompts(),
    completed=answered,
    landing=survey_url,
    pages=survey_pages,
)


@prompt_kinds.connect
def _prompt_kinds(_app: object, **_kwargs: Any) -> tuple[PromptKind, ...]:
    return (EXPERIENCE_SURVEY,)
