"""Template helpers for pages owned by other features (patient home, clinician's record view).

They check access themselves, materialize due occurrences and audit reads, then commit, so the
including page needs no changes beyond one line.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user

from app import audit
from app.access import Action, may
from app.alerts import queries as alert_queries
from app.alerts.forms import AcknowledgeForm
from app.auth.models import Role
from app.careteam.models import Patient
from app.db import db
from app.instruments import queries, services
from app.instruments.forms import AssignmentStatusForm


def questionnaires_due(patient: Patient) -> list[queries.Due]:
    """For the patient's own home page."""
    if not may(current_user, Action.ANSWER_QUESTIONNAIRE, patient):
        return []
    services.materialize(patient=patient)
    db.session.commit()
    return queries.due_for_patient(patient)


def instrument_panel(patient: Patient) -> dict[str, Any] | None:
    """Scores, change, language substitutions, assignments and alerts for the record page."""
    if not may(current_user, Action.VIEW_SCORES, patient):
        return None
    services.materialize(patient=patient)
    audit.record("instruments.scores_view", patient_id=patient.id)
    staff = current_user.role in {Role.CLINICIAN, Role.COORDINATOR, Role.ADMIN}
    panel = {
        "histories": queries.score_history(patient),
        "assignments": queries.assignments_for(patient) if staff else [],
        "alerts": alert_queries.alerts_for(patient) if staff else [],
        "checkins": queries.checkins_for(patient) if staff else [],
        "can_assign": may(current_user, Action.ASSIGN_INSTRUMENT, patient),
        "can_acknowledge": may(current_user, Action.ACKNOWLEDGE_ALERT, patient),
        "ack_form": AcknowledgeForm(),
        "status_form": AssignmentStatusForm(),
    }
    db.session.commit()
    return panel


def init_app(app: Flask) -> None:
    from app.instruments.labels import BAND_LABELS, SCHEDULE_LABELS, STATUS_LABELS, SUBSCALE_LABELS

    app.jinja_env.globals.update(
        questionnaires_due=questionnaires_due,
        instrument_panel=instrument_panel,
        BAND_LABELS=BAND_LABELS,
        SUBSCALE_LABELS=SUBSCALE_LABELS,
        SCHEDULE_LABELS=SCHEDULE_LABELS,
        OCCURRENCE_STATUS_LABELS=STATUS_LABELS,
    )
