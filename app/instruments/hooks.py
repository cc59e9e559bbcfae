"""The questionnaires' receivers: due questionnaires on the patient's home, the scores panel on
the record page, and questionnaire totals for care-plan goals such as "PHQ-9 below 10".

Section providers check access themselves, materialize due occurrences and audit reads; the
page's view commits after gathering every section."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.access import Action, may
from app.auth.models import Role
from app.careplan.content import Measure
from app.careplan.sources import observes
from app.careteam.models import Patient
from app.db import db
from app.instruments import queries, services
from app.instruments.forms import AssignmentStatusForm
from app.instruments.models import Response
from app.sections import Section, provider


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
