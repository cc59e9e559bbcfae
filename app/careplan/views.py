"""Care-plan pages. Every route goes through app.access and is audited."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit
from app.access import Action, may, patient_or_404
from app.careplan import diff, forms, queries, services, wording
from app.careplan.content import PlanContent
from app.careteam.models import Patient
from app.db import db
from app.forms import INT_LIMIT
from app.signals import care_plan_proposal, care_plan_saved
from app.web.origin import origin_or_none
from app.web.sections import sections_for

bp = Blueprint("careplan", __name__, url_prefix="/patients", template_folder="templates")


@bp.context_processor
def _wording() -> dict[str, object]:
    return {
        "describe_measure": wording.describe_measure,
        "progress_details": wording.progress_details,
        "kind_label": wording.kind_label,
        "TEAM_STATUS": wording.TEAM_STATUS,
        "PATIENT_STATUS": wording.PATIENT_STATUS,
        "SECTION_LABELS": wording.SECTION_LABELS,
        "FIELD_LABELS": wording.FIELD_LABELS,
        "CHANGE_LABELS": wording.CHANGE_LABELS,
    }


def _audit_read(patient: Patient, action: str, object_id: object | None = None) -> None:
    """Object-level read event (the patient-level one is written by patient_or_404)."""
    audit.record(
        f"care_plan.{action}",
        patient_id=patient.id,
        object_type="care_plan_version" if object_id else None,
        object_id=str(object_id) if object_id else None,
    )
    db.session.commit()


@bp.get("/<uuid:patient_id>/care-plan")
@login_required
def view(patient_id: UUID) -> ResponseReturnValue:
    return _plan_page(patient_or_404(patient_id, Action.VIEW_CARE_PLAN), forms.CommentForm())


def _plan_page(patient: Patient, comment_form: forms.CommentForm) -> str:
    """The plan with its comments; a refused comment comes back marked next to its box."""
    latest = queries.latest_version(patient)
    plan = latest.plan if latest else PlanContent()
    today = queries.patient_today(patient)
    if latest:
        _audit_read(patient, "read", latest.id)
    return render_template(
        "careplan/view.html",
        patient=patient,
        latest=latest,
        plan=plan,
        today=today,
        progress=queries.plan_progress(patient, plan, today),
        comments=queries.comments(patient),
        comment_form=comment_form,
        is_patient=patient.user_id == current_user.id,
        can_edit=may(current_user, Action.EDIT_CARE_PLAN, patient),
        can_comment=may(current_user, Action.COMMENT_CARE_PLAN, patient),
        sections=sections_for("careplan", patient, plan=plan),
    )


@bp.route("/<uuid:patient_id>/care-plan/edit", methods=["GET", "POST"])
@login_required
def edit(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.EDIT_CARE_PLAN)
    latest, today = queries.latest_version(patient), queries.patient_today(patient)
    base = latest.version if latest else 0
    origin = origin_or_none(request.values.get("origin"))
    proposal = _proposal(patient, origin)
    page = {"patient": patient, "latest": latest, "origin": origin, "proposal": proposal}
    if request.method == "GET":
        draft = _draft(proposal)
        form = forms.PlanForm.initial(
            latest.plan if latest else PlanContent(), base, today=today, proposed=draft
        )
        return render_template("careplan/edit.html", form=form, draft=draft, **page)
    form, status = forms.PlanForm(today=today), 400
    if form.validate_on_submit() and form.content is not None:
        try:
            saved = services.save_version(
                patient=patient, author=current_user, content=form.content, base_version=form.base
            )
        except services.StalePlan as stale:
            db.session.rollback()
            _refused(patient.id)
            flash(
                _(
                    "Version %(number)d was saved while you were editing, so nothing was saved. "
                    "Copy your changes, open the latest version and edit again.",
                    number=stale.latest,
                ),
                "error",
            )
            status = 409
        else:
            care_plan_saved.send(
                current_app._get_current_object(),
                patient_id=patient.id,
                version_id=saved.id,
                version=saved.version,
                origin=origin,
            )
            db.session.commit()
            flash(_("The plan is saved as version %(number)d.", number=saved.version), "info")
            return redirect(url_for("careplan.view", patient_id=patient.id))
    return render_template("careplan/edit.html", form=form, **page), status


def _proposal(patient: Patient, origin: str | None) -> object | None:
    """What the feature that made `origin` proposes (shown above the editor), if any."""
    if origin is None:
        return None
    answers = care_plan_proposal.send(
        current_app._get_current_object(), patient=patient, origin=origin
    )
    return next((answer for _, answer in answers if answer is not None), None)


def _draft(proposal: object | None) -> tuple[str, str] | None:
    """Where the proposal's text is written into the editor (a new intervention unless the
    proposal names another section), unsaved until the clinician saves."""
    if proposal is None:
        return None
    section = getattr(proposal, "section", None) or "interventions"
    return section, str(getattr(proposal, "text", "") or "")


def _refused(patient_id) -> None:
    audit.record("care_plan.save_refused", patient_id=patient_id, outcome=audit.Outcome.DENIED)
    db.session.commit()


@bp.get("/<uuid:patient_id>/care-plan/versions")
@login_required
def versions(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_CARE_PLAN)
    _audit_read(patient, "versions")
    return render_template(
        "careplan/versions.html", patient=patient, versions=queries.versions(patient)
    )


def _version_number(arg: str) -> int | None:
    """A version number from the query string; malformed or beyond any stored number is None."""
    number = request.args.get(arg, type=int)
    return number if number is not None and 0 < number <= INT_LIMIT else None


@bp.get("/<uuid:patient_id>/care-plan/diff")
@login_required
def compare(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_CARE_PLAN)
    old_n, new_n = _version_number("from"), _version_number("to")
    old = queries.version(patient, old_n) if old_n else None
    new = queries.version(patient, new_n) if new_n else None
    if old is None or new is None:
        return render_template(
            "careplan/diff.html",
            patient=patient,
            versions=queries.versions(patient),
            error=_("Choose two versions of this plan that exist."),
        ), 404
    _audit_read(patient, "diff", new.id)
    return render_template(
        "careplan/diff.html",
        patient=patient,
        old=old,
        new=new,
        rows=diff.compare(old.plan, new.plan),
        versions=queries.versions(patient),
    )


@bp.post("/<uuid:patient_id>/care-plan/comments")
@login_required
def comment(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.COMMENT_CARE_PLAN)
    form = forms.CommentForm()
    if not form.validate_on_submit():
        return _plan_page(patient, form), 400
    latest = queries.latest_version(patient)
    services.add_comment(
        patient=patient,
        author=current_user,
        body=form.body.data,
        plan_version=latest.version if latest else None,
    )
    db.session.commit()
    flash(_("Your comment was sent to your care team."), "info")
    return redirect(url_for("careplan.view", patient_id=patient.id, _anchor="comments"))
