"""Administration: clinics and staff, and the logged break-glass action. No patient data."""

from __future__ import annotations

import uuid
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from app.admin import services
from app.admin.forms import BreakGlassForm, InviteStaffForm
from app.auth import services as auth_services
from app.auth.mailing import INVITATION_NOT_SENT, send_invitation, send_security_notice
from app.auth.mfa import services as mfa
from app.auth.mfa.forms import ResetSecondFactorForm
from app.auth.models import Discipline, Role, User
from app.careteam.models import Clinic
from app.db import db

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def admin_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if current_user.role != Role.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/")
@admin_required
def index() -> ResponseReturnValue:
    clinics = db.session.scalars(select(Clinic).order_by(Clinic.name)).all()
    staff = db.session.scalars(
        select(User)
        .where(User.role.in_([Role.CLINICIAN, Role.COORDINATOR, Role.ADMIN]))
        .order_by(User.display_name)
    ).all()
    return render_template(
        "admin/index.html", clinics=clinics, staff=staff, break_glass=BreakGlassForm()
    )


@bp.route("/invite", methods=["GET", "POST"])
@admin_required
def invite() -> ResponseReturnValue:
    form = InviteStaffForm()
    clinics = db.session.scalars(select(Clinic).order_by(Clinic.name))
    form.clinic.choices = [SelectChoice(str(c.id), c.name) for c in clinics]
    if form.validate_on_submit():
        clinic = db.session.get(Clinic, uuid.UUID(form.clinic.data))
        try:
            user, token = auth_services.create_invited_user(
                email=form.email.data,
                display_name=form.display_name.data.strip(),
                role=Role(form.role.data),
                discipline=Discipline(form.discipline.data) if form.discipline.data else None,
                clinic_id=uuid.UUID(form.clinic.data),
                locale=current_user.locale,
                # Dates read the same as for the rest of the clinic until they choose a zone.
                timezone=clinic.timezone if clinic else "UTC",
            )
        except auth_services.AccountError as error:
            form.email.errors.append(error.message)
        else:
            if send_invitation(user, token):  # before the commit: a failed email saves nothing
                db.session.commit()
                flash(_("Invitation sent."), "info")
                return redirect(url_for("admin.index"))
            db.session.rollback()
            form.email.errors.append(INVITATION_NOT_SENT)
            return render_template("admin/invite.html", form=form), 503
    return render_template("admin/invite.html", form=form)


@bp.post("/break-glass")
@admin_required
def break_glass() -> ResponseReturnValue:
    form = BreakGlassForm()
    if form.validate_on_submit():
        patient = services.break_glass(
            admin=current_user, patient_ref=form.patient_ref.data, reason=form.reason.data
        )
        if patient is not None:
            db.session.commit()
            flash(_("Emergency access granted for one hour. This access is logged."), "info")
            return redirect(url_for("careteam.record", patient_id=patient.id))
        form.patient_ref.errors.append(_("No patient has that reference."))
    return render_template("admin/break_glass.html", form=form), 400


@bp.route("/second-factor", methods=["GET", "POST"])
@admin_required
def reset_second_factor() -> ResponseReturnValue:
    """Remove a person's second factors (lost phone or key, and codes) by their sign-in email,
    with a written reason; they are signed out, emailed, and set up a new factor at their
    next sign-in. The page shows no name: patients' identities stay out of administration."""
    form = ResetSecondFactorForm(email=request.args.get("email", "")[:254])
    if form.validate_on_submit():
        person = db.session.scalar(
            select(User).where(User.email == auth_services.normalize_email(form.email.data))
        )
        if person is None or not mfa.has_second_factor(person):
            form.email.errors.append(_("No account with that email has a second factor."))
        else:
            mfa.reset(user=person, reason=form.reason.data)
            db.session.commit()
            if send_security_notice(person, "reset"):
                flash(_("The second factor is reset. The person was told by email."), "info")
            else:
                flash(
                    _("The second factor is reset, but the email to the person failed."),
                    "warning",
                )
            return redirect(url_for("admin.index"))
    return render_template("admin/reset_second_factor.html", form=form)
