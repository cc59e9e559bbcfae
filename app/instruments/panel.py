"""Sections this feature adds to pages owned by others (the patient's home, the record view).

Providers check access themselves, materialize due occurrences and audit reads; the page's
view commits after gathering every section.
"""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from app import audit
from app.access import Action, may
from app.auth.models import Role
from app.careteam.models import Patient
from app.instruments import queries, services
from app.instruments.forms import AssignmentStatusForm
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


def init_app(app: Flask) -> None:
    from app.instruments.labels import (
        BAND_LABELS,
        SCHEDULE_LABELS,
        STATUS_LABELS,
        SUBSCALE_LABELS,
        language_version,
    )

    app.jinja_env.globals.update(
        language_version=language_version,
        BAND_LABELS=BAND_LABELS,
        SUBSCALE_LABELS=SUBSCALE_LABELS,
        SCHEDULE_LABELS=SCHEDULE_LABELS,
        OCCURRENCE_STATUS_LABELS=STATUS_LABELS,
    )
