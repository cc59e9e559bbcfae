"""The lesson library (/learn), a lesson page, and the writes: the patient's practice mark, a
clinician's recommendation, a lesson attached to a care-plan item. Thin: pages.py builds the
context, services write, the view commits."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit
from app.access import Action, patient_or_404
from app.auth.models import Role
from app.db import db
from app.diary.queries import local_today
from app.education import pages, services
from app.education.content import LESSONS, LOGGABLE_KEYS
from app.education.forms import AttachForm, PracticeForm, RecommendForm

bp = Blueprint("education", __name__, template_folder="templates")


@bp.get("/learn")
@login_required
def library() -> ResponseReturnValue:
    patient = pages.own_patient()
    if patient is not None:
        patient_or_404(patient.id, Action.VIEW_RECORD)
    context = pages.library_context(patient)
    db.session.commit()
    return render_template("education/library.html", **context)


@bp.get("/learn/<lesson_key>")
@login_required
def lesson(lesson_key: str) -> ResponseReturnValue:
    item = LESSONS.get(lesson_key)
    if item is None or not pages.may_read(item):
        abort(404)
    patient = pages.own_patient()
    form = None
    if patient is not None:
        patient_or_404(patient.id, Action.VIEW_RECORD)
        services.record_opening(patient=patient, lesson_key=lesson_key)
        audit.record(
            "education.lesson_opened",
            patient_id=patient.id,
            object_type="lesson",
            object_id=lesson_key,
        )
        form = PracticeForm(today=local_today(patient))
    context = pages.lesson_context(item, patient)
    db.session.commit()
    return render_template("education/lesson.html", form=form, **context)


@bp.post("/patients/<uuid:patient_id>/lessons/<lesson_key>/practice")
@login_required
def practice(patient_id: UUID, lesson_key: str) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.WRITE_DIARY)
    if lesson_key not in LOGGABLE_KEYS or current_user.role != Role.PATIENT:
        abort(404)
    form = PracticeForm(today=local_today(patient))
    if not form.validate_on_submit():
        context = pages.lesson_context(LESSONS[lesson_key], patient)
        return render_template("education/lesson.html", form=form, **context), 400
    if form.undo.data:
        services.unlog_practice(patient=patient, lesson_key=lesson_key, local_date=form.chosen_day)
        message = _("Practice mark removed.")
    else:
        services.log_practice(patient=patient, lesson_key=lesson_key, local_date=form.chosen_day)
        message = _("Well done. Your practice is saved.")
    audit.record(
        "education.practice_undone" if form.undo.data else "education.practice_logged",
        patient_id=patient.id,
        object_type="lesson",
        object_id=lesson_key,
    )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("education.lesson", lesson_key=lesson_key) + "#practice")


@bp.post("/patients/<uuid:patient_id>/lessons/recommend")
@login_required
def recommend(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.EDIT_CARE_PLAN)
    form = RecommendForm()
    if not form.validate_on_submit():
        return render_template("education/recommend.html", patient=patient, form=form), 400
    services.recommend(patient=patient, lesson_key=form.lesson.data, actor=current_user)
    audit.record(
        "education.recommended",
        patient_id=patient.id,
        object_type="lesson",
        object_id=form.lesson.data,
    )
    db.session.commit()
    flash(_("Lesson recommended. The patient sees it on their home page."), "success")
    return redirect(url_for("careteam.record", patient_id=patient.id))


@bp.post("/patients/<uuid:patient_id>/lessons/attach")
@login_required
def attach(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.EDIT_CARE_PLAN)
    form = AttachForm(items=pages.plan_items(patient))
    if not form.validate_on_submit():
        return render_template("education/attach.html", patient=patient, form=form), 400
    services.attach_to_plan(
        patient=patient,
        plan_item_id=form.item.data,
        lesson_key=form.lesson.data,
        actor=current_user,
    )
    audit.record(
        "education.attached",
        patient_id=patient.id,
        object_type="lesson",
        object_id=form.lesson.data,
    )
    db.session.commit()
    flash(_("Lesson attached to the care plan."), "success")
    return redirect(url_for("careplan.view", patient_id=patient.id) + "#plan-lessons")
