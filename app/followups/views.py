"""Follow-up scheduling for the care team, and the patient's next follow-up on their home."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.access import Action, patient_or_404
from app.db import db, utcnow
from app.diary.queries import local_today, patient_zone
from app.followups import queries, services
from app.followups.forms import ScheduleForm, StatusForm
from app.followups.localtime import NonexistentLocalTime, to_utc
from app.followups.models import AppointmentStatus, Modality
from app.i18n.bidi import isolate

bp = Blueprint("followups", __name__, url_prefix="/patients", template_folder="templates")

MAX_AHEAD = timedelta(days=366)


@bp.route("/<uuid:patient_id>/followups", methods=["GET", "POST"])
@login_required
def schedule(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.SCHEDULE_FOLLOWUP)
    clinicians = queries.schedulable_clinicians(patient)
    form = ScheduleForm()
    form.clinician.choices = [SelectChoice(str(c.id), isolate(c.display_name)) for c in clinicians]
    if not form.is_submitted() and current_user.id in {c.id for c in clinicians}:
        form.clinician.data = str(current_user.id)
    if form.validate_on_submit():
        zone = str(patient_zone(patient))
        try:
            starts_at = to_utc(form.day.data, form.at.data, zone)
        except NonexistentLocalTime:
            form.at.errors = [
                _(
                    "This time does not exist on that day in %(zone)s (the clocks change). Choose another time.",
                    zone=zone,
                )
            ]
        else:
            if not utcnow() - timedelta(days=1) <= starts_at <= utcnow() + MAX_AHEAD:
                form.day.errors = [_("Choose a date from today up to a year ahead.")]
            else:
                clinician = next(c for c in clinicians if str(c.id) == form.clinician.data)
                services.schedule(
                    patient=patient,
                    clinician=clinician,
                    starts_at=starts_at,
                    modality=Modality(form.modality.data),
                    telehealth_url=form.telehealth_url.data,
                    actor=current_user,
                )
                db.session.commit()
                flash(_("Follow-up scheduled."), "success")
                return redirect(url_for("followups.schedule", patient_id=patient.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "followups/schedule.html",
        patient=patient,
        form=form,
        visits=queries.for_patient(patient),
        status_form=StatusForm(),
        may_mark=services.may_mark,
        zone=str(patient_zone(patient)),
        today=local_today(patient),
        now=utcnow(),
    ), status


@bp.post("/<uuid:patient_id>/followups/<uuid:appointment_id>/status")
@login_required
def set_status(patient_id: UUID, appointment_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.SCHEDULE_FOLLOWUP)
    appointment = queries.appointment_for(patient, appointment_id) or abort(404)
    form = StatusForm()
    if form.validate_on_submit() and form.status.data in set(AppointmentStatus):
        try:
            services.set_status(appointment=appointment, status=AppointmentStatus(form.status.data))
        except services.NotYetStarted as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Follow-up updated."), "success")
    else:
        flash(_("Choose planned, done, missed or cancelled."), "error")
    return redirect(url_for("followups.schedule", patient_id=patient.id))
