"""Patient record pages. Every route here goes through app.access."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app import audit
from app.access import Action, caregiver_scopes, patient_or_404
from app.auth.models import Role
from app.careteam import queries
from app.db import utcnow

bp = Blueprint("careteam", __name__, url_prefix="/patients", template_folder="templates")


@bp.get("/<patient_id>")
@login_required
def record(patient_id: str) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_RECORD)
    scopes = (
        caregiver_scopes(current_user, patient, now=utcnow())
        if current_user.role == Role.CAREGIVER
        else None
    )
    return render_template(
        "careteam/record.html", patient=patient, team=queries.care_team(patient), scopes=scopes
    )


@bp.get("/<patient_id>/access-log")
@login_required
def access_log(patient_id: str) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_ACCESS_LOG)
    is_self = patient.user_id == current_user.id
    events = audit.events_for_patient(
        patient.id, exclude_actor=current_user.id if is_self else None
    )
    actors = queries.users_by_id({e.actor_id for e in events if e.actor_id is not None})
    return render_template(
        "careteam/access_log.html", patient=patient, events=events, actors=actors, is_self=is_self
    )
