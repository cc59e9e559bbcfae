"""Versioned consent pages: a patient's consents (give, withdraw, download, check a PDF), and
the clinic's documents (draft, preview, publish, counts per version) for coordinators/admins."""

from __future__ import annotations

import hashlib
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app import audit
from app.access import Action, may, patient_or_404
from app.auth.models import Role
from app.careteam.models import Patient
from app.consent import queries, receipt, services
from app.consent.forms import (
    GiveForm,
    MaterialForm,
    PublishForm,
    VerifyForm,
    VersionForm,
    WithdrawForm,
)
from app.consent.labels import PURPOSE_LABELS
from app.consent.models import ConsentMethod, ConsentPurpose, ConsentVersion, VersionStatus
from app.db import db, utcnow
from app.forms import uuid_or_none
from app.i18n import recipient_locale

bp = Blueprint("consent", __name__, url_prefix="/patients", template_folder="templates")
documents_bp = Blueprint("consent_documents", __name__, url_prefix="/consent")


def _is_patient() -> bool:
    return current_user.role == Role.PATIENT


def _locale(patient: Patient) -> str:
    return recipient_locale(patient.user.locale)


def _overview(
    patient: Patient, status: int = 200, verify: VerifyForm | None = None, verified: object = None
) -> ResponseReturnValue:
    return render_template(
        "consent/overview.html",
        patient=patient,
        state=queries.state(patient, _locale(patient)),
        records=queries.records_for(patient.id),
        links=queries.caregiver_links(patient.id),
        withdraw_form=WithdrawForm(formdata=None),
        verify_form=verify or VerifyForm(formdata=None),
        verified=verified,
        may_record=may(current_user, Action.RECORD_CONSENT, patient),
        is_patient=_is_patient(),
        zone=patient.user.timezone,
    ), status


@bp.get("/<uuid:patient_id>/consent")
@login_required
def overview(patient_id: UUID) -> ResponseReturnValue:
    return _overview(patient_or_404(patient_id, Action.VIEW_CONSENT))


@bp.route("/<uuid:patient_id>/consent/give", methods=["GET", "POST"])
@login_required
def give(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.RECORD_CONSENT)
    current = queries.published(patient.clinic_id, _locale(patient))
    versions = [current[p] for p in ConsentPurpose if p in current]
    form = GiveForm()
    form.agree.choices = [
        SelectChoice(v.purpose.value, PURPOSE_LABELS[v.purpose]) for v in versions
    ]
    if _is_patient():
        del form.method
    shown = ",".join(str(v.id) for v in versions)
    if not form.is_submitted():
        form.shown.data = shown  # no box is ticked in advance: consent is an active choice
    status = 200
    if form.is_submitted() and form.shown.data != shown:
        # The documents changed between showing and posting: nothing is saved; what the
        # person typed and ticked stays, and they read the current text.
        flash(
            _(
                "The consent text changed while you were reading it. Please read the current "
                "version below and confirm again. Nothing was saved."
            ),
            "error",
        )
        form.shown.data = shown
        status = 409
    elif form.validate_on_submit():
        chosen = [v for v in versions if v.purpose.value in form.agree.data]
        if not chosen:
            form.agree.errors = [_("Tick at least one box to agree, or leave this page.")]
        else:
            method = ConsentMethod.SELF if _is_patient() else ConsentMethod(form.method.data)
            now = utcnow()
            content = receipt.build(
                patient=patient,
                versions=chosen,
                method=method,
                signed_name=form.signed_name.data,
                recorded_by=current_user,
                now=now,
            )
            given = services.give(
                patient=patient,
                versions=chosen,
                method=method,
                signed_name=form.signed_name.data,
                recorded_by=current_user,
                pdf=content,
                now=now,
            )
            db.session.commit()
            flash(_("Thank you. Your consent is recorded."), "success")
            return redirect(
                url_for("consent.record", patient_id=patient.id, record_id=given.record_ids[0])
            )
    if form.is_submitted() and status == 200:
        status = 400
    return render_template(
        "consent/give.html", patient=patient, form=form, versions=versions, is_patient=_is_patient()
    ), status


@bp.get("/<uuid:patient_id>/consent/records/<uuid:record_id>")
@login_required
def record(patient_id: UUID, record_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_CONSENT)
    found = queries.record_for(patient.id, record_id) or abort(404)
    return render_template(
        "consent/record.html", patient=patient, record=found, zone=patient.user.timezone
    )


@bp.get("/<uuid:patient_id>/consent/records/<uuid:record_id>/pdf")
@login_required
def pdf(patient_id: UUID, record_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_CONSENT)
    found = queries.record_for(patient.id, record_id) or abort(404)
    stored = queries.pdf(found.pdf_sha256) if found.pdf_sha256 else None
    if stored is None:
        abort(404)
    if hashlib.sha256(stored.content).hexdigest() != found.pdf_sha256:
        return render_template("consent/tampered.html", patient=patient), 409
    audit.record(
        "consent.pdf_download",
        patient_id=patient.id,
        object_type="consent_pdf",
        object_id=found.pdf_sha256,
    )
    db.session.commit()
    return (
        stored.content,
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="consent-{found.pdf_sha256[:12]}.pdf"',
        },
    )


@bp.post("/<uuid:patient_id>/consent/verify")
@login_required
def verify(patient_id: UUID) -> ResponseReturnValue:
    """Check a PDF someone holds: its SHA-256 must be one this patient's records carry."""
    patient = patient_or_404(patient_id, Action.VIEW_CONSENT)
    form = VerifyForm()
    if not form.validate_on_submit():
        return _overview(patient, 400, verify=form)
    digest = hashlib.sha256(form.pdf.data.read()).hexdigest()
    match = next((r for r in queries.records_for(patient.id) if r.pdf_sha256 == digest), None)
    if match is None:
        form.pdf.errors = [
            _(
                "This PDF does not match any consent record of this patient: it "
                "may have been changed. Its SHA-256 is %(digest)s.",
                digest=digest,
            )
        ]
        return _overview(patient, 422, verify=form)
    return _overview(patient, verified=match)


@bp.post("/<uuid:patient_id>/consent/withdraw")
@login_required
def withdraw(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.RECORD_CONSENT)
    form = WithdrawForm()
    if _is_patient():
        del form.method
    purpose = form.purpose.data if form.purpose.data in set(ConsentPurpose) else None
    link_id = uuid_or_none(form.link.data) if form.link.data else None
    links = {link.id: link for link in queries.caregiver_links(patient.id)}
    if (
        not form.validate_on_submit()
        or purpose is None
        or (form.link.data and link_id not in links)
    ):
        flash(_("That could not be withdrawn. Please try again."), "error")
        return _overview(patient, 400)
    services.withdraw(
        patient=patient,
        purpose=ConsentPurpose(purpose),
        method=ConsentMethod.SELF if _is_patient() else ConsentMethod(form.method.data),
        recorded_by=current_user,
        link=links.get(link_id) if link_id else None,
    )
    db.session.commit()
    flash(_("Withdrawn. This takes effect now."), "success")
    return redirect(url_for("consent.overview", patient_id=patient.id))


# -- The clinic's documents (coordinators and admins) -----------------------------------------


def _clinic_id() -> UUID:
    if current_user.role not in (Role.COORDINATOR, Role.ADMIN) or current_user.clinic_id is None:
        abort(404)
    return current_user.clinic_id


@documents_bp.get("/documents")
@login_required
def documents() -> ResponseReturnValue:
    return render_template("consent/documents.html", versions=queries.versions(_clinic_id()))


@documents_bp.route("/documents/new", methods=["GET", "POST"])
@login_required
def new_version() -> ResponseReturnValue:
    clinic_id = _clinic_id()
    form = VersionForm()
    if form.validate_on_submit():
        version = services.draft(
            clinic_id=clinic_id,
            purpose=ConsentPurpose(form.purpose.data),
            locale=form.locale.data,
            title=form.title.data,
            body=form.body.data,
            author=current_user,
        )
        db.session.commit()
        flash(_("Draft saved. Preview it, then publish it."), "success")
        return redirect(url_for("consent_documents.version", version_id=version.id))
    return render_template("consent/edit.html", form=form, version=None), (
        400 if form.is_submitted() else 200
    )


def _version(version_id: UUID) -> ConsentVersion:
    return queries.version_in(_clinic_id(), version_id) or abort(404)


@documents_bp.route("/documents/<uuid:version_id>", methods=["GET", "POST"])
@login_required
def version(version_id: UUID) -> ResponseReturnValue:
    """Preview; a draft can be edited here (a published version cannot: 409)."""
    found = _version(version_id)
    form = VersionForm(obj=found)
    form.purpose.data, form.locale.data = found.purpose.value, found.locale
    if form.is_submitted():
        if found.status != VersionStatus.DRAFT:
            flash(_("A published version never changes. Write a new version instead."), "error")
            return _version_page(found, VersionForm(formdata=None, obj=found), 409)
        if form.validate_on_submit():
            services.edit(version=found, title=form.title.data, body=form.body.data)
            db.session.commit()
            flash(_("Draft saved."), "success")
            return redirect(url_for("consent_documents.version", version_id=found.id))
    return _version_page(found, form, 400 if form.is_submitted() else 200)


def _version_page(found: ConsentVersion, form: VersionForm, status: int) -> ResponseReturnValue:
    return render_template(
        "consent/edit.html",
        form=form,
        version=found,
        publish_form=PublishForm(formdata=None),
        material_form=MaterialForm(formdata=None),
    ), status


@documents_bp.post("/documents/<uuid:version_id>/publish")
@login_required
def publish(version_id: UUID) -> ResponseReturnValue:
    found = _version(version_id)
    form = PublishForm()
    if not form.validate_on_submit() or found.status != VersionStatus.DRAFT:
        flash(_("Only a draft can be published."), "error")
        return _version_page(found, VersionForm(formdata=None, obj=found), 409)
    services.publish(version=found, by=current_user, material=form.material.data)
    db.session.commit()
    flash(_("Published. Patients are asked to review it on their next visit."), "success")
    return redirect(url_for("consent_documents.documents"))


@documents_bp.post("/documents/<uuid:version_id>/material")
@login_required
def material(version_id: UUID) -> ResponseReturnValue:
    found = _version(version_id)
    if not MaterialForm().validate_on_submit():
        abort(400)
    try:
        services.mark_material(version=found)
    except services.ConsentError:
        flash(_("Only a published version not yet marked can be marked material."), "error")
        return _version_page(found, VersionForm(formdata=None, obj=found), 409)
    db.session.commit()
    flash(_("Marked material: earlier consents to this purpose no longer count."), "success")
    return redirect(url_for("consent_documents.documents"))
