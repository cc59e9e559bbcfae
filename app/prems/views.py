"""The patient's experience survey (web, or the page an SMS link opens). Only the patient
themself may open it; anyone else gets 404."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.access import Action, patient_or_404
from app.careteam.models import Patient
from app.db import db, utcnow
from app.prems import queries, services
from app.prems.forms import FIELD_PREFIX, NOTHING_ANSWERED, survey_form
from app.prems.instruments import INSTRUMENTS
from app.prems.models import PremSurvey

bp = Blueprint("prems", __name__, url_prefix="/patients", template_folder="templates")


def _own_survey(patient_id: UUID, survey_id: UUID) -> tuple[Patient, PremSurvey]:
    patient = patient_or_404(patient_id, Action.ANSWER_QUESTIONNAIRE)
    if patient.user_id != current_user.id:
        abort(404)
    return patient, queries.survey_for(patient, survey_id) or abort(404)


@bp.route("/<uuid:patient_id>/experience/<uuid:survey_id>", methods=["GET", "POST"])
@login_required
def answer(patient_id: UUID, survey_id: UUID) -> ResponseReturnValue:
    patient, survey = _own_survey(patient_id, survey_id)
    now = utcnow()
    language = services.answerable(patient=patient, survey=survey, now=now)
    if language is None:
        return render_template("prems/closed.html", survey=survey, patient=patient)
    instrument = INSTRUMENTS[survey.instrument]
    form = survey_form(instrument)
    nothing = False
    if form.validate_on_submit():
        try:
            services.answer(
                survey=survey,
                answers=form.answers(instrument),
                language_tag=language[0],
                substituted=language[1],
                now=now,
            )
        except services.BadAnswers:
            db.session.rollback()
            nothing = True
            # The message also stands next to the first question, marked (aria-invalid).
            form[FIELD_PREFIX + instrument.item_ids[0]].errors = [NOTHING_ANSWERED]
        else:
            db.session.commit()
            return redirect(url_for("prems.done", patient_id=patient.id, survey_id=survey.id))
    return render_template(
        "prems/answer.html",
        patient=patient,
        survey=survey,
        instrument=instrument,
        form=form,
        substituted=language[1],
        nothing_answered=NOTHING_ANSWERED if nothing else None,
    ), 400 if form.is_submitted() else 200


@bp.get("/<uuid:patient_id>/experience/<uuid:survey_id>/thanks")
@login_required
def done(patient_id: UUID, survey_id: UUID) -> ResponseReturnValue:
    patient, survey = _own_survey(patient_id, survey_id)
    return render_template("prems/done.html", patient=patient, survey=survey)
