"""Referral pages: a patient's referrals and the referral form (care team, coordinators), one
referral with its history and the changes its sides may make, the staff's referral list, the
clinic's directory (coordinators), the outside service's one-time link page (no sign-in) and
the patient's "Did you get help?" answer."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit, mail
from app.access import Action, patient_or_404
from app.auth.models import Role
from app.db import db, utcnow
from app.forms import fill_locale_choices
from app.referrals import pages, queries, services
from app.referrals.forms import (
    LinkAnswerForm,
    PatientAnswerForm,
    ReferralForm,
    ServiceForm,
    StatusForm,
)
from app.referrals.machine import Party, Refused, allowed_next
from app.referrals.models import LinkStep, PatientAnswer, Referral, Status, TargetKind
from app.signals import referral_created
from app.web.origin import origin_or_none

bp = Blueprint("referrals", __name__, template_folder="templates")


@bp.get("/referrals")
@login_required
def mine() -> ResponseReturnValue:
    if not pages.is_staff(current_user):
        abort(404)
    audit.record("referral.list", patient_id=None, object_type="referral_list")
    db.session.commit()
    return render_template(
        "referrals/mine.html",
        waiting=queries.waiting_for(current_user),
        sent=queries.sent_by(current_user),
        target_name=pages.target_name,
    )


@bp.route("/patients/<uuid:patient_id>/referrals", methods=["GET", "POST"])
@login_required
def for_patient(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.REFER)
    form = ReferralForm()
    origin = origin_or_none(request.values.get("origin"))
    pages.fill_choices(form, patient)
    if not form.is_submitted():
        pages.prefill(form, request.args)
    if form.validate_on_submit():
        referral = pages.submit(form, patient, send=request.form.get("action") != "draft")
        if referral is not None:
            referral_created.send(
                current_app._get_current_object(),
                patient_id=patient.id,
                referral_id=referral.id,
                sent=referral.status != Status.DRAFT,
                origin=origin,
            )
            return _after_create(referral)
    return render_template(
        "referrals/patient.html",
        patient=patient,
        form=form,
        origin=origin,
        rows=queries.for_patient(patient),
        target_name=pages.target_name,
    ), 400 if form.is_submitted() else 200


def _after_create(referral: Referral) -> ResponseReturnValue:
    link = None
    if referral.target_kind == TargetKind.SERVICE and referral.status == Status.REQUESTED:
        link = services.issue_link(referral=referral, step=LinkStep.RESPOND)
        _email_service(referral, link)
    db.session.commit()
    flash(
        _("Referral sent.") if referral.status == Status.REQUESTED else _("Draft saved."), "success"
    )
    if link is None:
        return redirect(url_for("referrals.detail", referral_id=referral.id))
    return _show_link(referral, link)


def _show_link(referral: Referral, raw: str) -> ResponseReturnValue:
    row = queries.row(referral.id)
    return render_template(
        "referrals/link_issued.html",
        row=row,
        link=url_for("referrals.outside", token=raw, _external=True),
    )


def _email_service(referral: Referral, raw: str) -> None:
    service = queries.service_of_clinic(referral.clinic_id, referral.service_id)
    if service is None or not service.email:
        return
    mail.send(
        to=service.email,
        subject=_("A referral is waiting for your answer"),
        body=_(
            "A clinic using Heed sent you a referral. Open it to accept or decline (the link works once): %(link)s",
            link=url_for("referrals.outside", token=raw, _external=True),
        ),
    )


@bp.get("/referrals/<uuid:referral_id>")
@login_required
def detail(referral_id: UUID) -> ResponseReturnValue:
    row, sides = pages.referral_or_404(referral_id)
    return _detail(row, sides)


def _detail(row: queries.Row, sides: set[Party], form: StatusForm | None = None, status: int = 200):
    referral = row.referral
    if referral.requester_id == current_user.id:
        services.mark_seen(referral=referral)
        db.session.commit()
    moves = {
        party: allowed_next(referral.status, party)
        for party in sides
        if not (party == Party.RECEIVER and referral.target_kind == TargetKind.SERVICE)
    }
    return render_template(
        "referrals/detail.html",
        row=row,
        moves=moves,
        form=form or StatusForm(formdata=None),
        history=queries.history(referral),
        rerouted_as=queries.rerouted_as(referral),
        due_by=services.due_by(referral),
        overdue=services.is_overdue(referral, now=utcnow()),
        target_name=pages.target_name(row),
        may_reroute=Party.REQUESTER in sides
        and referral.status == Status.REJECTED
        and referral.target_kind != TargetKind.SERVICE,
        may_link=Party.REQUESTER in sides
        and referral.target_kind == TargetKind.SERVICE
        and referral.status in (Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS),
    ), status


@bp.post("/referrals/<uuid:referral_id>/status")
@login_required
def change(referral_id: UUID) -> ResponseReturnValue:
    row, sides = pages.referral_or_404(referral_id)
    form = StatusForm()
    new = form.status.data if form.status.data in set(Status) else None
    if not form.validate_on_submit() or new is None:
        flash(_("This change is not possible at this step of the referral."), "error")
        return _detail(row, sides, form, 400)
    party = next(
        (
            p
            for p in (Party.RECEIVER, Party.REQUESTER)
            if p in sides and Status(new) in allowed_next(row.referral.status, p)
        ),
        None,
    )
    if party == Party.RECEIVER and row.referral.target_kind == TargetKind.SERVICE:
        party = None
    try:
        if party is None:
            raise Refused("forbidden")
        services.change_status(
            referral=row.referral,
            new=Status(new),
            party=party,
            actor=current_user,
            note=form.note.data,
        )
    except Refused as refused:
        db.session.rollback()
        form.note.errors = [*form.note.errors, pages.refusal_text(refused.code)]
        return _detail(queries.row(referral_id), sides, form, 400)
    db.session.commit()
    flash(_("Referral updated."), "success")
    return redirect(url_for("referrals.detail", referral_id=referral_id))


@bp.post("/referrals/<uuid:referral_id>/link")
@login_required
def new_link(referral_id: UUID) -> ResponseReturnValue:
    row, sides = pages.referral_or_404(referral_id)
    referral = row.referral
    if Party.REQUESTER not in sides or referral.target_kind != TargetKind.SERVICE:
        abort(404)
    if referral.status not in (Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS):
        abort(404)
    step = LinkStep.RESPOND if referral.status == Status.REQUESTED else LinkStep.OUTCOME
    raw = services.issue_link(referral=referral, step=step)
    db.session.commit()
    return _show_link(referral, raw)


@bp.route("/referrals/<uuid:referral_id>/reroute", methods=["GET", "POST"])
@login_required
def reroute(referral_id: UUID) -> ResponseReturnValue:
    row, sides = pages.referral_or_404(referral_id)
    declined = row.referral
    if Party.REQUESTER not in sides or declined.status != Status.REJECTED:
        abort(404)
    if declined.target_kind == TargetKind.SERVICE or queries.rerouted_as(declined) is not None:
        abort(404)
    form = ReferralForm()
    pages.fill_choices(form, row.patient, internal_only=True)
    if not form.is_submitted():
        form.reason.data, form.question.data = declined.reason, declined.question
        form.urgency.data = declined.urgency.value
    elif form.validate_on_submit():
        referral = pages.submit(form, row.patient, send=True, rerouted_from=declined)
        if referral is not None:
            return _after_create(referral)
    return render_template(
        "referrals/reroute.html", row=row, form=form, target_name=pages.target_name(row)
    ), 400 if form.is_submitted() else 200


# -- The patient: "Did you get help?" ----------------------------------------------------------


@bp.route("/referrals/<uuid:referral_id>/answer", methods=["GET", "POST"])
@login_required
def answer(referral_id: UUID) -> ResponseReturnValue:
    referral = db.session.get(Referral, referral_id)
    patient_id = referral.patient_id if referral is not None else referral_id
    patient = patient_or_404(patient_id, Action.VIEW_OWN_REFERRALS)
    if referral is None or current_user.role != Role.PATIENT or referral.status == Status.DRAFT:
        abort(404)
    row = queries.row(referral.id)
    form = PatientAnswerForm()
    if form.validate_on_submit():
        services.record_answer(referral=referral, answer=PatientAnswer(form.answer.data))
        db.session.commit()
        flash(_("Thank you. Your care team will see your answer."), "success")
        # The same page: a one-time link's task session may open only this one.
        return redirect(url_for("referrals.answer", referral_id=referral.id))
    return render_template(
        "referrals/answer.html",
        patient=patient,
        row=row,
        form=form,
        target_name=pages.target_name(row),
    ), 400 if form.is_submitted() else 200


# -- Outside services: the one-time link --------------------------------------------------------


@bp.route("/r/<token>", methods=["GET", "POST"])
def outside(token: str) -> ResponseReturnValue:
    try:
        link = services.open_link(token)
    except services.LinkGone:
        return render_template("referrals/link_gone.html"), 410
    row = queries.row(link.referral_id)
    if row is None:
        return render_template("referrals/link_gone.html"), 410
    form = LinkAnswerForm()
    if form.validate_on_submit() and form.status.data in set(Status):
        try:
            referral, following = services.use_link(
                raw=token, new=Status(form.status.data), note=form.note.data
            )
        except services.LinkGone:
            db.session.rollback()
            return render_template("referrals/link_gone.html"), 410
        except Refused as refused:
            db.session.rollback()
            form.note.errors = [*form.note.errors, pages.refusal_text(refused.code)]
        else:
            db.session.commit()
            return render_template(
                "referrals/outside_done.html",
                status=referral.status,
                link=url_for("referrals.outside", token=following, _external=True)
                if following
                else None,
            )
    elif form.is_submitted():
        form.note.errors = [*form.note.errors, pages.refusal_text("forbidden")]
    audit.record(
        "referral.service_view",
        patient_id=row.patient.id,
        object_type="referral",
        object_id=str(row.referral.id),
    )
    db.session.commit()
    return render_template(
        "referrals/outside.html", row=row, link=link, form=form, token=token
    ), 400 if form.is_submitted() else 200


# -- Directory (coordinators) --------------------------------------------------------------------


def _coordinator() -> None:
    if current_user.role != Role.COORDINATOR or current_user.clinic_id is None:
        abort(404)


@bp.get("/referrals/directory")
@login_required
def directory() -> ResponseReturnValue:
    if not pages.is_staff(current_user) or current_user.clinic_id is None:
        abort(404)
    return render_template(
        "referrals/directory.html",
        services=queries.services(current_user.clinic_id),
        may_edit=current_user.role == Role.COORDINATOR,
    )


@bp.route("/referrals/directory/new", methods=["GET", "POST"], defaults={"service_id": None})
@bp.route("/referrals/directory/<uuid:service_id>", methods=["GET", "POST"])
@login_required
def edit_service(service_id: UUID | None) -> ResponseReturnValue:
    _coordinator()
    service = None
    if service_id is not None:
        service = queries.service_of_clinic(current_user.clinic_id, service_id) or abort(404)
    form = ServiceForm(obj=service)
    fill_locale_choices(form.languages)
    if form.validate_on_submit():
        services.save_service(
            clinic_id=current_user.clinic_id,
            service=service,
            values={
                "name": form.name.data,
                "help_kinds": list(form.help_kinds.data),
                "languages": list(form.languages.data or []),
                "address": form.address.data or "",
                "phone": form.phone.data or "",
                "email": form.email.data or "",
                "hours": form.hours.data or "",
                "accepts": form.accepts.data or "",
                "active": form.active.data,
            },
        )
        db.session.commit()
        flash(_("Directory saved."), "success")
        return redirect(url_for("referrals.directory"))
    return render_template(
        "referrals/service_form.html", form=form, service=service
    ), 400 if form.is_submitted() else 200
