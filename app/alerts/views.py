"""Acknowledging an alert from the clinician's view of a patient."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit
from app.access import Action, patient_or_404
from app.alerts import queries, services
from app.alerts.forms import AcknowledgeForm, AlertSettingsForm
from app.alerts.rules import rule_label
from app.auth.models import Role
from app.careteam.contact import contact_card
from app.db import db
from app.web.redirects import safe_next

bp = Blueprint("alerts", __name__, url_prefix="/patients", template_folder="templates")
inbox_bp = Blueprint("inbox", __name__, template_folder="templates")


@inbox_bp.get("/alerts")
@login_required
def inbox() -> ResponseReturnValue:
    """Open alerts routed to me (`queries.routed`: the same people the urgent email reaches),
    each with its occurrences and how to reach the patient."""
    if current_user.role not in (Role.CLINICIAN, Role.COORDINATOR):
        abort(403)
    items = queries.inbox_for(current_user)
    contacts = {}
    for item in items:
        audit.record(
            "alert.inbox_view",
            patient_id=item.patient.id,
            object_type="alert",
            object_id=str(item.alert.id),
        )
        if item.patient.id not in contacts:  # routed to me: I am on the team or coordinate
            contacts[item.patient.id] = contact_card(
                viewer=current_user, patient=item.patient, authorized=True
            )
    occurrences = queries.occurrences([item.alert for item in items])
    db.session.commit()
    return render_template(
        "alerts/inbox.html",
        items=items,
        occurrences=occurrences,
        contacts=contacts,
        form=AcknowledgeForm(),
        rule_label=rule_label,
    )


@bp.route("/<uuid:patient_id>/alert-settings", methods=["GET", "POST"])
@login_required
def settings(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.ACKNOWLEDGE_ALERT)
    current = services.settings_for(patient)
    form = AlertSettingsForm(obj=current)
    if form.validate_on_submit():
        services.save_settings(
            patient=patient,
            actor=current_user,
            no_diary_days=form.no_diary_days.data,
            symptom_rise_points=form.symptom_rise_points.data,
            worsening_alerts=form.worsening_alerts.data,
        )
        db.session.commit()
        flash(_("Alert thresholds saved for this patient."), "info")
        return redirect(url_for("careteam.record", patient_id=patient.id, _anchor="alerts"))
    return render_template("alerts/settings.html", patient=patient, form=form)


@bp.post("/<uuid:patient_id>/alerts/<uuid:alert_id>/acknowledge")
@login_required
def acknowledge(patient_id: UUID, alert_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.ACKNOWLEDGE_ALERT)
    alert = queries.alert_for(patient, alert_id) or abort(404)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        # The note is the field to fix: this alert's form again, marked, with the message.
        return render_template(
            "alerts/acknowledge.html",
            patient=patient,
            alert=alert,
            form=form,
            rule_label=rule_label,
            next=safe_next(request.form.get("next")) if request.form.get("next") else None,
        ), 400
    services.acknowledge(alert=alert, actor=current_user, note=form.note.data or "")
    db.session.commit()
    flash(_("Alert acknowledged."), "success")
    if request.form.get("next"):
        return redirect(safe_next(request.form.get("next")))
    return redirect(url_for("careteam.record", patient_id=patient.id, _anchor="alerts"))
