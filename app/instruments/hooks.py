"""The questionnaires' receivers: due questionnaires on the patient's home, the scores panel on
the record page, and questionnaire totals for care-plan goals such as "PHQ-9 below 10".

Section providers check access themselves, materialize due occurrences and audit reads; the
page's view commits after gathering every section.

The questionnaires' fringe: their prompt kinds.

Prompt kinds: `QUESTIONNAIRE_DUE` when a window opens and `QUESTIONNAIRE_CLOSING` a day before it
closes, skipped once answered, their link opening exactly that questionnaire; and
`CAREGIVER_CHECKIN`, the caregiver's weekly check-in, whose link opens the check-in form.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.access import Action, may
from app.auth.models import Role
from app.careplan.content import Measure
from app.careplan.sources import observes
from app.careteam.models import Patient
from app.db import db
from app.instruments import loader, needs, queries, services
from app.instruments.forms import AssignmentStatusForm
from app.instruments.models import Occurrence, Response
from app.prompts import queries as prompt_queries
from app.prompts.kinds import PromptKind, TaskGrant, TaskKey, target_pages
from app.prompts.models import PromptPurpose
from app.prompts.planning import PlannedPrompt
from app.prompts.sources import CaregiverCheckinSource
from app.signals import instrument_names, prompt_kinds
from app.web.sections import Section, provider


@provider("home")
def questionnaires_due(patient: Patient) -> Section | None:
    """Due questionnaires on the patient's own home page."""
    if not may(current_user, Action.ANSWER_QUESTIONNAIRE, patient):
        return None
    services.materialize(patient=patient)
    return Section("instruments/_due.html", {"due": queries.due_for_patient(patient)}, order=10)


@provider("record")
def instrument_panel(patient: Patient) -> Section | None:
    """Scores, change, language substitutions, assignments and alerts for the record page."""
    if not may(current_user, Action.VIEW_SCORES, patient):
        return None
    services.materialize(patient=patient)
    audit.record("instruments.scores_view", patient_id=patient.id)
    staff = current_user.role in {Role.CLINICIAN, Role.COORDINATOR, Role.ADMIN}
    panel = {
        "histories": queries.score_history(patient),
        "assignments": queries.assignments_for(patient) if staff else [],
        "checkins": queries.checkins_for(patient) if staff else [],
        "can_assign": may(current_user, Action.ASSIGN_INSTRUMENT, patient),
        # A caregiver with the scores scope sees scores, never the critical-answer marker.
        "show_critical": may(current_user, Action.VIEW_CRITICAL_ANSWERS, patient),
        "status_form": AssignmentStatusForm(),
    }
    return Section("instruments/_record_scores.html", {"panel": panel}, order=20)


@provider("record")
def caregiver_checkin(patient: Patient) -> Section | None:
    """The caregiver's own weekly check-in, linked from the record they open."""
    if current_user.role != Role.CAREGIVER or not may(current_user, Action.SUBMIT_CHECKIN, patient):
        return None
    return Section("instruments/_record_checkin.html", {"patient": patient}, order=5)


@observes("instrument_total_below")
def instrument_totals(
    _kind: str, /, *, patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    """One (local date, total) per complete response; incomplete responses have no total."""
    zone = ZoneInfo(patient.user.timezone)
    rows = db.session.execute(
        select(Response.submitted_at, Response.total)
        .where(
            Response.patient_id == patient.id,
            Response.instrument_id == measure.subject,
            Response.total.is_not(None),
            Response.submitted_at >= datetime.combine(start, time.min, tzinfo=zone),
            Response.submitted_at < datetime.combine(end, time.max, tzinfo=zone),
        )
        .order_by(Response.submitted_at)
    )
    return [(submitted.astimezone(zone).date(), float(total)) for submitted, total in rows]


# Social needs to discuss: record, summary top card and registry column (their providers).
SOCIAL_NEEDS_PROVIDERS = (needs.record_needs, needs.summary_needs, needs.registry_needs)

CLOSING_NOTICE = timedelta(hours=24)
QUESTIONNAIRE_PAGES = frozenset({"instruments.answer", "instruments.done"})


# -- Prompt kinds: questionnaire due / closing, caregiver weekly check-in ----------------------


def due_body(link: str) -> str:
    return _("Heed: a questionnaire is ready for you. %(link)s Reply STOP to stop.", link=link)


def closing_body(link: str) -> str:
    return _("Heed: your questionnaire closes soon. %(link)s Reply STOP to stop.", link=link)


def checkin_body(link: str) -> str:
    return _("Heed: time for your weekly check-in. %(link)s Reply STOP to stop.", link=link)


class QuestionnairePrompts:
    """Open windows of consenting patients: 'open' when the window opens, 'closing' a day
    before it closes (only for windows longer than that notice)."""

    name = "questionnaires"

    def due_prompts(self, now: datetime) -> Iterator[PlannedPrompt]:
        rows = db.session.execute(
            prompt_queries.patients_to_text(Occurrence)
            .outerjoin(Response, Response.occurrence_id == Occurrence.id)
            .where(
                Occurrence.opens_at <= now + timedelta(days=1),
                Occurrence.closes_at > now,
                Response.submitted_at.is_(None),
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
    return prompt_queries.completed_targets(
        tasks, Response.occurrence_id, Response.submitted_at.is_not(None)
    )


def questionnaire_url(grant: TaskGrant) -> str:
    return url_for("instruments.answer", patient_id=grant.patient_id, occurrence_id=grant.target)


questionnaire_pages = target_pages(QUESTIONNAIRE_PAGES, "occurrence_id")


def checkin_url(grant: TaskGrant) -> str:
    return url_for("instruments.checkin", patient_id=grant.patient_id)


def checkin_pages(grant: TaskGrant, endpoint: str, view_args: Mapping[str, Any]) -> bool:
    return endpoint == "instruments.checkin" and view_args.get("patient_id") == str(
        grant.patient_id
    )


def checkin_never_skipped(tasks: Collection[TaskKey]) -> set[TaskKey]:
    """The weekly check-in is sent even when the caregiver already checked in that week."""
    return set()


_QUESTIONNAIRES = QuestionnairePrompts()  # one source, two purposes: the planner runs it once
QUESTIONNAIRE_DUE = PromptKind(
    purpose=PromptPurpose.QUESTIONNAIRE_DUE,
    body=due_body,
    source=_QUESTIONNAIRES,
    completed=answered,
    landing=questionnaire_url,
    pages=questionnaire_pages,
)
QUESTIONNAIRE_CLOSING = PromptKind(
    purpose=PromptPurpose.QUESTIONNAIRE_CLOSING,
    body=closing_body,
    source=_QUESTIONNAIRES,
    completed=answered,
    landing=questionnaire_url,
    pages=questionnaire_pages,
)
CAREGIVER_CHECKIN = PromptKind(
    purpose=PromptPurpose.CAREGIVER_CHECKIN,
    body=checkin_body,
    source=CaregiverCheckinSource(),
    completed=checkin_never_skipped,
    landing=checkin_url,
    pages=checkin_pages,
)


@prompt_kinds.connect
def _prompt_kinds(_app: object, **_kwargs: Any) -> tuple[PromptKind, ...]:
    return (QUESTIONNAIRE_DUE, QUESTIONNAIRE_CLOSING, CAREGIVER_CHECKIN)


@instrument_names.connect
def published_names(_sender: object) -> dict[str, str]:
    """Instrument id -> its published short title ("gad7" -> "GAD-7")."""
    return {d.id: d.short_title for d in loader.registry().values()}
