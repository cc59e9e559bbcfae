"""Diary pages. Every patient route goes through app.access; views stay thin."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.access import Action, patient_or_404
from app.auth.models import Role
from app.careteam import queries as careteam_queries
from app.db import db
from app.diary import forms, pages, queries, services
from app.diary.models import EntryMode
from app.web.sections import sections_for

bp = Blueprint("diary", __name__, template_folder="templates")
P = "/patients/<uuid:patient_id>/diary"
TEMPLATES = {EntryMode.FULL: "diary/entry.html", EntryMode.QUICK: "diary/quick.html"}


def _day(raw: str | None, today: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else today
    except ValueError:
        abort(404)


@bp.get("/diary", defaults={"mode": "entry"})
@bp.get("/diary/quick", defaults={"mode": "quick"})
@login_required
def start(mode: str) -> ResponseReturnValue:
    """The signed-in patient's own diary for today."""
    patient = careteam_queries.patient_for_user(current_user)
    if current_user.role != Role.PATIENT or patient is None:
        abort(404)
    return redirect(url_for(f"diary.{mode}", patient_id=patient.id))


@bp.route(f"{P}/entry", methods=["GET", "POST"], defaults={"day": None})
@bp.route(f"{P}/entry/<day>", methods=["GET", "POST"])
@login_required
def entry(patient_id: UUID, day: str | None) -> ResponseReturnValue:
    return _entry_page(patient_id, day, EntryMode.FULL)


@bp.route(f"{P}/quick", methods=["GET", "POST"], defaults={"day": None})
@bp.route(f"{P}/quick/<day>", methods=["GET", "POST"])
@login_required
def quick(patient_id: UUID, day: str | None) -> ResponseReturnValue:
    return _entry_page(patient_id, day, EntryMode.QUICK)


def _entry_page(patient_id: UUID, raw_day: str | None, mode: EntryMode) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.WRITE_DIARY)
    today = queries.local_today(patient)
    day = _day(raw_day, today)
    if request.method == "POST":
        return _save(patient, day, today, mode)
    if day > today:
        abort(404)
    context = pages.entry_context(patient, day=day, today=today, mode=mode)
    return render_template(TEMPLATES[mode], **context)


def _save(patient, day: date, today: date, mode: EntryMode) -> ResponseReturnValue:
    as_json = request.is_json
    data = request.get_json(silent=True) if as_json else request.form
    submission = services.submit_entry(
        patient=patient,
        local_date=day,
        today=today,
        mode=mode,
        data=data if isinstance(data, dict) else {},
        actor=current_user,
    )
    if submission.result is None:
        return _refuse(patient, day, today, mode, submission.errors, as_json, submission.status)
    if as_json:
        body = {"id": str(submission.result.entry.id), "local_date": day.isoformat()}
        return {**body, "replayed": submission.result.replayed}, (
            201 if submission.result.created else 200
        )
    flash(_("Your diary for this day is saved."), "success")
    return redirect(url_for("home.index"))


def _refuse(patient, day, today, mode, errors, as_json: bool, status: int) -> ResponseReturnValue:
    db.session.rollback()
    if as_json:
        return {"errors": errors}, status
    context = pages.entry_context(
        patient, day=day, today=today, mode=mode, submitted=request.form, errors=errors
    )
    return render_template(TEMPLATES[mode], **context), status


@bp.get(f"{P}/history")
@login_required
def history(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_DIARY)
    today = queries.local_today(patient)
    month = pages.parse_month(request.args.get("month"), today)
    span = 90 if request.args.get("days") == "90" else 30
    is_self = patient.user_id == current_user.id
    context = pages.history_context(
        patient, today=today, month=month, span=span, viewer_is_patient=is_self
    )
    return render_template("diary/history.html", **context)


@bp.get(f"{P}/patterns")
@login_required
def patterns(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_DIARY)
    today = queries.local_today(patient)
    context = pages.patterns_context(patient, today=today)
    sections = sections_for(
        "patterns",
        patient,
        report=context["report"],
        today=today,
        window_days=context["window_days"],
    )
    return render_template("diary/patterns.html", sections=sections, **context)


@bp.route(f"{P}/observations", methods=["GET", "POST"])
@login_required
def observe(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.SUBMIT_OBSERVATION)
    today = queries.local_today(patient)
    day = _day(request.values.get("date"), today)
    parsed = forms.ParsedObservation()
    if request.method == "POST":
        parsed = forms.parse_observation(request.form, day=day, today=today)
        if not parsed.errors:
            return _save_observation(patient, day, parsed)
        db.session.rollback()
    status = 422 if parsed.errors else 200
    context = {"patient": patient, "day": day, "today": today, "parsed": parsed}
    return render_template("diary/observe.html", **context, **pages.observe_extras(today)), status


def _save_observation(patient, day: date, parsed: forms.ParsedObservation) -> ResponseReturnValue:
    try:
        db.commit_once(
            lambda _again: services.record_observation(
                patient=patient,
                local_date=day,
                observation=services.Observation(**parsed.values),
                client_id=parsed.client_id,
                observer=current_user,
            )
        )
    except services.SubmissionConflict:
        db.session.rollback()
        flash(_("This form was already sent with different answers."), "error")
        return redirect(url_for("diary.observe", patient_id=patient.id)), 303
    flash(_("Thank you. Your observation is saved."), "success")
    return redirect(url_for("careteam.record", patient_id=patient.id))


@bp.route(f"{P}/symptoms", methods=["GET", "POST"])
@login_required
def symptoms(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.WRITE_DIARY)
    error = None
    if request.method == "POST":
        codes, labels, error = forms.parse_symptom_choice(request.form)
        if error is None:
            services.set_tracked_symptoms(patient=patient, codes=codes, custom_labels=labels)
            db.session.commit()
            flash(_("Your symptom list is saved."), "success")
            return redirect(url_for("diary.entry", patient_id=patient.id))
    tracked = queries.tracked_symptoms(patient)
    context = {"patient": patient, "tracked": tracked, "error": error}
    return render_template("diary/symptoms.html", **context), 422 if error else 200
