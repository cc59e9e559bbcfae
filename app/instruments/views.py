"""Questionnaire pages: assigning (clinicians), answering (patients), check-ins (caregivers),
FHIR export. Every patient route goes through app.access."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit
from app.access import Action, may, patient_or_404
from app.careteam.models import Patient
from app.db import db, utcnow
from app.forms import uuid_or_none
from app.instruments import fhir, flow, loader, needs, queries, services
from app.instruments.forms import (
    PERIOD_ITEM_VALUES,
    AssignmentForm,
    AssignmentStatusForm,
    CheckinForm,
    NeedReviewForm,
    PeriodItemForm,
)
from app.instruments.models import AssignmentStatus, Response

bp = Blueprint("instruments", __name__, url_prefix="/patients", template_folder="templates")
definitions_bp = Blueprint("instrument_definitions", __name__, url_prefix="/instruments")
STATE_STATUS = {
    "closed": 410,
    "submitted": 409,
    "not_open": 409,
    "unavailable": 409,
    "invalid": 400,
}


@bp.route("/<uuid:patient_id>/questionnaires/assign", methods=["GET", "POST"])
@login_required
def assign(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.ASSIGN_INSTRUMENT)
    form = flow.assignment_form(AssignmentForm())
    if request.method == "GET":
        flow.preselect(form, patient, request.args.get("instrument", ""))
    if form.validate_on_submit():
        services.assign_instrument(
            patient=patient,
            definition=loader.registry()[form.instrument.data],
            schedule=flow.schedule_from(form),
            window_days=form.window_days.data,
            actor=current_user,
        )
        db.session.commit()
        flash(_("Questionnaire assigned."), "success")
        return redirect(url_for("careteam.record", patient_id=patient.id, _anchor="scores"))
    status = 400 if form.errors else 200
    return render_template(
        "instruments/assign.html", patient=patient, form=form, period_form=_period_form(patient)
    ), status


def _period_form(patient: Patient) -> PeriodItemForm:
    return PeriodItemForm(
        formdata=None, data={"applies": PeriodItemForm.value_of(patient.menstruates)}
    )


@bp.post("/<uuid:patient_id>/questionnaires/period-item")
@login_required
def period_item(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.ASSIGN_INSTRUMENT)
    form = PeriodItemForm()
    if not form.validate_on_submit():
        return render_template(
            "instruments/assign.html",
            patient=patient,
            form=flow.assignment_form(AssignmentForm(formdata=None)),
            period_form=form,
        ), 400
    if services.set_period_item(patient=patient, applies=PERIOD_ITEM_VALUES[form.applies.data]):
        db.session.commit()
    flash(_("Saved. It applies to questionnaires answered from now on."), "success")
    return redirect(url_for("instruments.assign", patient_id=patient.id, _anchor="period-item"))


@bp.route("/<uuid:patient_id>/assignments/<uuid:assignment_id>", methods=["GET", "POST"])
@login_required
def edit_assignment(patient_id: UUID, assignment_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.ASSIGN_INSTRUMENT)
    assignment = queries.assignment_for(patient, assignment_id) or abort(404)
    form = flow.assignment_form(AssignmentForm(obj=flow.form_data_of(assignment)), fixed=True)
    if form.validate_on_submit():
        services.update_assignment(
            assignment=assignment,
            patient=patient,
            schedule=flow.schedule_from(form),
            window_days=form.window_days.data,
        )
        db.session.commit()
        flash(_("Schedule changed from today on; past questionnaires are kept."), "success")
        return redirect(url_for("careteam.record", patient_id=patient.id, _anchor="scores"))
    return render_template(
        "instruments/assign.html",
        patient=patient,
        form=form,
        assignment=assignment,
        status_form=AssignmentStatusForm(),
        period_form=_period_form(patient),
    ), (400 if form.errors else 200)


@bp.post("/<uuid:patient_id>/assignments/<uuid:assignment_id>/status")
@login_required
def assignment_status(patient_id: UUID, assignment_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.ASSIGN_INSTRUMENT)
    assignment = queries.assignment_for(patient, assignment_id) or abort(404)
    form = AssignmentStatusForm()
    if not form.validate_on_submit() or form.status.data not in set(AssignmentStatus):
        abort(400)
    services.set_assignment_status(
        assignment=assignment, patient=patient, status=AssignmentStatus(form.status.data)
    )
    db.session.commit()
    return redirect(url_for("careteam.record", patient_id=patient.id, _anchor="scores"))


@bp.route("/<uuid:patient_id>/questionnaires/<uuid:occurrence_id>", methods=["GET", "POST"])
@login_required
def answer(patient_id: UUID, occurrence_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.ANSWER_QUESTIONNAIRE)
    page = flow.load_page(patient, occurrence_id, request.args)
    state = flow.state_of(page, utcnow())
    if state == "submitted" and (request.method == "GET" or flow.repeated(page, request.form)):
        return redirect(url_for(".done", patient_id=patient.id, occurrence_id=occurrence_id))
    try:
        if state is not None:
            raise services.QuestionnaireError(state)
        target = flow.handle_post(page, request.form) if request.method == "POST" else None
    except services.QuestionnaireError as error:
        db.session.rollback()
        return render_template(
            "instruments/state.html", patient=patient, page=page, state=error.code
        ), STATE_STATUS[error.code]
    if target is not None:
        db.session.commit()
        return redirect(target)
    if page.asking:
        db.session.commit()  # the answers are kept as a draft while the patient decides
    status = 400 if request.method == "POST" and not page.asking else 200
    return render_template(
        "instruments/answer.html", page=page, form=page.form(), **flow.crisis_context(page)
    ), status


@bp.get("/<uuid:patient_id>/questionnaires/<uuid:occurrence_id>/done")
@login_required
def done(patient_id: UUID, occurrence_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.ANSWER_QUESTIONNAIRE)
    page = flow.load_page(patient, occurrence_id, request.args)
    if page.response is None or page.response.submitted_at is None:
        return redirect(page.url(None))
    return render_template("instruments/done.html", page=page, **flow.crisis_context(page))


@bp.get("/<uuid:patient_id>/responses/<uuid:response_id>/fhir")
@login_required
def response_fhir(patient_id: UUID, response_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_SCORES)
    response = queries.submitted_response(patient, response_id) or abort(404)
    definition = loader.registry()[response.instrument_id]
    if definition.social_needs and not may(current_user, Action.VIEW_CRITICAL_ANSWERS, patient):
        abort(404)  # social-needs answers: no caregiver scope covers them
    audit.record(
        "instruments.response_export",
        patient_id=patient.id,
        object_type="response",
        object_id=str(response.id),
    )
    db.session.commit()
    return jsonify(
        fhir.response_bundle(
            response,
            definition,
            omit_critical=not may(current_user, Action.VIEW_CRITICAL_ANSWERS, patient),
        )
    )


@bp.route("/<uuid:patient_id>/checkins/new", methods=["GET", "POST"])
@login_required
def checkin(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.SUBMIT_CHECKIN)
    form = CheckinForm()
    key = uuid_or_none(form.submission_key.data)
    if form.validate_on_submit() and key is not None:
        services.record_checkin(
            patient=patient,
            caregiver=current_user,
            observed_function=int(form.observed_function.data),
            observed_activity=int(form.observed_activity.data),
            own_strain=int(form.own_strain.data),
            submission_key=key,
        )
        db.session.commit()
        flash(_("Thank you. Your check-in was sent to the care team."), "success")
        return redirect(url_for("home.index"))
    form.submission_key.data = form.submission_key.data or flow.new_key()
    status = 400 if request.method == "POST" else 200
    return render_template("instruments/checkin.html", patient=patient, form=form), status


@definitions_bp.get("/<instrument_id>/fhir")
@login_required
def questionnaire_fhir(instrument_id: str) -> ResponseReturnValue:
    definition = loader.get(instrument_id) or abort(404)
    return jsonify(fhir.questionnaire(definition))


@bp.route("/<uuid:patient_id>/social-needs/<uuid:response_id>/<domain>", methods=["GET", "POST"])
@login_required
def review_need(patient_id: UUID, response_id: UUID, domain: str) -> ResponseReturnValue:
    """A clinician records whether a screened social need is confirmed with the patient."""
    patient = patient_or_404(patient_id, Action.ASSIGN_INSTRUMENT)
    status = needs.positive_status(patient, response_id, domain) or abort(404)
    form = NeedReviewForm()
    if form.validate_on_submit():
        services.review_social_need(
            patient=patient,
            response=db.session.get(Response, status.response_id),
            domain=domain,
            confirmed=form.decision.data == "confirmed",
            actor=current_user,
        )
        db.session.commit()
        flash(_("Review recorded."), "success")
        return redirect(url_for("careteam.record", patient_id=patient.id, _anchor="social-needs"))
    audit.record("instruments.social_needs_view", patient_id=patient.id)
    db.session.commit()
    page = render_template("instruments/need_review.html", patient=patient, d=status, form=form)
    return page, 400 if form.errors else 200
