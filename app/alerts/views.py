"""Acknowledging an alert from the clinician's view of a patient."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.access import Action, patient_or_404
from app.alerts import queries, services
from app.alerts.forms import AcknowledgeForm
from app.db import db
from app.instruments.flow import parse_uuid

bp = Blueprint("alerts", __name__, url_prefix="/patients")


@bp.post("/<patient_id>/alerts/<alert_id>/acknowledge")
@login_required
def acknowledge(patient_id: str, alert_id: str) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.ACKNOWLEDGE_ALERT)
    parsed = parse_uuid(alert_id)
    alert = queries.alert_for(patient, parsed) if parsed else None
    if alert is None:
        abort(404)
    form = AcknowledgeForm()
    if form.validate_on_submit():
        services.acknowledge(alert=alert, actor=current_user, note=form.note.data or "")
        db.session.commit()
        flash(_("Alert acknowledged."), "success")
    else:
        flash(_("Write a short note on what was done before acknowledging."), "error")
    return redirect(url_for("careteam.record", patient_id=patient.id, _anchor="alerts"))
