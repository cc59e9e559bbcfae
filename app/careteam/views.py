"""Patient record pages, enrollment, care-team and caregiver management. All through app.access."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import Form, SelectChoice

from app import audit
from app.access import Action, caregiver_scopes, may, patient_or_404
from app.auth.mailing import INVITATION_NOT_SENT, send_invitation
from app.auth.models import Role, User
from app.auth.services import AccountError
from app.careteam import queries, services
from app.careteam.contact import contact_card
from app.careteam.forms import (
    AddMemberForm,
    CaregiverInviteForm,
    CaregiverScopesForm,
    EnrollForm,
    RemoveMemberForm,
)
from app.careteam.models import CaregiverLink, ConsentChannel, Patient
from app.db import db, utcnow
from app.forms import uuid_or_none
from app.i18n.bidi import isolate
from app.labels import person_role
from app.web.sections import sections_for

bp = Blueprint("careteam", __name__, url_prefix="/patients", template_folder="templates")


@bp.app_context_processor
def _permissions() -> dict[str, object]:
    def can(action: str, patient: Patient) -> bool:
        return current_user.is_authenticated and may(current_user, Action(action), patient)

    return {"can": can}


@bp.get("/<uuid:patient_id>")
@login_required
def record(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_RECORD)
    scopes = (
        caregiver_scopes(current_user, patient, now=utcnow())
        if current_user.role == Role.CAREGIVER
        else None
    )
    sections = sections_for("record", patient)
    contact = contact_card(viewer=current_user, patient=patient)
    db.session.commit()
    return render_template(
        "careteam/record.html",
        patient=patient,
        contact=contact,
        team=queries.care_team(patient),
        scopes=scopes,
        sections=sections,
    )


@bp.get("/<uuid:patient_id>/access-log")
@login_required
def access_log(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_ACCESS_LOG)
    is_self = patient.user_id == current_user.id
    events = audit.events_for_patient(
        patient.id, exclude_actor=current_user.id if is_self else None
    )
    actors = queries.users_by_id({e.actor_id for e in events if e.actor_id is not None})
    return render_template(
        "careteam/access_log.html", patient=patient, events=events, actors=actors, is_self=is_self
    )


@bp.route("/enroll", methods=["GET", "POST"])
@login_required
def enroll() -> ResponseReturnValue:
    if current_user.role not in (Role.CLINICIAN, Role.COORDINATOR) or current_user.clinic is None:
        abort(403)
    form = EnrollForm(
        data={"timezone": current_user.clinic.timezone, "locale": current_user.locale},
        clinic_zone=current_user.clinic.timezone,
    )
    if form.validate_on_submit():
        try:
            patient, invitation = services.enroll_patient(
                enrolled_by=current_user,
                clinic=current_user.clinic,
                display_name=form.display_name.data,
                email=form.email.data or None,
                phone=form.phone.data or None,
                locale=form.locale.data,
                readable_locales=form.readable_locales.data or [],
                timezone=form.timezone.data,
                sms_consent_channel=ConsentChannel(form.sms_consent.data)
                if form.sms_consent.data
                else None,
            )
        except AccountError as error:
            form.email.errors.append(error.message)
        else:
            if _deliver_invitation(invitation, form):
                db.session.commit()
                return redirect(url_for("careteam.record", patient_id=patient.id))
    return render_template(
        "careteam/enroll.html", form=form, wording=services.SMS_CONSENT_WORDING
    ), _status(form)


def _status(form: Form) -> int:
    return 503 if INVITATION_NOT_SENT in form.email.errors else 200


def _deliver_invitation(invitation: services.Invitation, form: Form) -> bool:
    """Email the invitation before committing: if it cannot be sent, nothing is saved."""
    if invitation.token and invitation.user.email:
        if not send_invitation(invitation.user, invitation.token):
            db.session.rollback()
            form.email.errors.append(INVITATION_NOT_SENT)
            return False
        flash(_("Saved. An invitation to set up access was emailed."), "info")
    elif invitation.token:
        flash(
            _(
                "Saved. There is no email address: the invitation will be sent by text message once text messaging is set up for this clinic."
            ),
            "info",
        )
    else:
        flash(_("Saved."), "info")
    return True


@bp.route("/<uuid:patient_id>/team", methods=["GET", "POST"])
@login_required
def team(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.MANAGE_TEAM)
    form = AddMemberForm()
    candidates = queries.staff_who_can_join(patient)
    form.member.choices = [
        SelectChoice(str(u.id), f"{isolate(u.display_name)} · {person_role(u)}") for u in candidates
    ]
    if form.validate_on_submit():
        member = db.session.get(User, uuid.UUID(form.member.data))
        services.add_to_team(
            patient=patient, member=member, is_lead=form.is_lead.data, actor=current_user
        )
        db.session.commit()
        flash(_("%(name)s joined the care team.", name=isolate(member.display_name)), "info")
        return redirect(url_for("careteam.team", patient_id=patient.id))
    history = queries.team_history(patient)
    return render_template(
        "careteam/team.html", patient=patient, form=form, history=history, remove=RemoveMemberForm()
    )


@bp.post("/<uuid:patient_id>/team/remove")
@login_required
def remove_member(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.MANAGE_TEAM)
    form = RemoveMemberForm()
    member = uuid_or_none(form.member_id.data)
    user = db.session.get(User, member) if member else None
    if not form.validate_on_submit() or user is None:
        abort(400)
    services.remove_from_team(patient=patient, member=user, actor=current_user)
    db.session.commit()
    flash(
        _(
            "%(name)s left the care team. The change is kept in the team history.",
            name=user.display_name,
        ),
        "info",
    )
    return redirect(url_for("careteam.team", patient_id=patient.id))


def _expiry(patient: Patient, day) -> datetime | None:
    """Sharing ends at the start of `day` in the patient's time zone."""
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(patient.user.timezone)).astimezone(UTC)


@bp.route("/<uuid:patient_id>/caregivers", methods=["GET", "POST"])
@login_required
def caregivers(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.MANAGE_CAREGIVERS)
    form = CaregiverInviteForm(prefix="invite")
    if form.validate_on_submit():
        try:
            invitation = services.invite_caregiver(
                patient=patient,
                display_name=form.display_name.data,
                email=form.email.data or None,
                phone=form.phone.data or None,
                relationship_label=form.relationship_label.data,
                scopes=form.chosen_scopes(),
                expires_at=_expiry(patient, form.expires_on.data),
            )
        except AccountError as error:
            form.email.errors.append(error.message)
        else:
            if _deliver_invitation(invitation, form):
                db.session.commit()
                return redirect(url_for("careteam.caregivers", patient_id=patient.id))
    sharing = queries.caregivers_of(patient)
    scope_forms = {
        item.link.id: CaregiverScopesForm(
            prefix=f"link-{item.link.id.hex}",
            formdata=None,
            data={
                "scopes": [s.value for s in item.scopes],
                "expires_on": _local_day(patient, item.expires_at),
            },
        )
        for item in sharing
    }
    return render_template(
        "careteam/caregivers.html",
        patient=patient,
        form=form,
        sharing=sharing,
        scope_forms=scope_forms,
    ), _status(form)


def _local_day(patient: Patient, moment: datetime | None):
    return moment.astimezone(ZoneInfo(patient.user.timezone)).date() if moment else None


@bp.post("/<uuid:patient_id>/caregivers/<uuid:link_id>")
@login_required
def update_caregiver(patient_id: UUID, link_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.MANAGE_CAREGIVERS)
    link = db.session.get(CaregiverLink, link_id)
    if link is None or link.patient_id != patient.id:
        abort(404)
    form = CaregiverScopesForm(prefix=f"link-{link.id.hex}")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("careteam.caregivers", patient_id=patient.id))
    services.set_caregiver_scopes(
        link=link,
        scopes=form.chosen_scopes(),
        expires_at=_expiry(patient, form.expires_on.data),
        changed_by=current_user,
    )
    db.session.commit()
    flash(
        _(
            "Sharing with %(name)s is updated. It applies from their next visit or message.",
            name=link.caregiver.display_name,
        ),
        "info",
    )
    return redirect(url_for("careteam.caregivers", patient_id=patient.id))
