"""A patient's own data: download everything, or erase it."""

from __future__ import annotations

import json
from uuid import UUID

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app import mail
from app.access import Action, patient_or_404
from app.datarights import services
from app.datarights.forms import EraseForm
from app.db import db, utcnow
from app.i18n import remember_language
from app.security import verify_password

bp = Blueprint("datarights", __name__, url_prefix="/patients", template_folder="templates")

FORMATS = {
    "json": ("application/json", "json"),
    "csv": ("application/zip", "zip"),
    "fhir": ("application/fhir+json", "fhir.json"),
}


@bp.get("/<uuid:patient_id>/data")
@login_required
def index(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.EXPORT_DATA)
    return render_template("datarights/index.html", patient=patient, form=EraseForm())


@bp.get("/<uuid:patient_id>/data/export.<fmt>")
@login_required
def export(patient_id: UUID, fmt: str) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.EXPORT_DATA)
    if fmt not in FORMATS:
        return render_template("errors/error.html", status=404), 404
    if fmt == "json":
        body: str | bytes = services.as_json(patient)
    elif fmt == "csv":
        body = services.as_csv_zip(patient)
    else:
        body = json.dumps(services.as_fhir_bundle(patient), ensure_ascii=False, indent=2)
    db.session.commit()
    mimetype, extension = FORMATS[fmt]
    filename = f"heed-data-{utcnow():%Y%m%d}.{extension}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.post("/<uuid:patient_id>/data/erase")
@login_required
def erase(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.ERASE_DATA)
    form = EraseForm()
    if not form.validate_on_submit():
        return render_template("datarights/index.html", patient=patient, form=form), 400
    if not verify_password(current_user.password_hash, form.password.data):
        form.password.errors.append(_("That password is not right."))
        return render_template("datarights/index.html", patient=patient, form=form), 400
    email, locale = current_user.email, current_user.locale
    services.erase(patient)
    db.session.commit()
    if email:
        with force_locale(locale):
            mail.send(
                to=email,
                subject=_("Your Heed data was erased"),
                body=render_template("datarights/email_erased.txt"),
            )
    logout_user()
    remember_language(locale)
    flash(_("Your data was erased. Thank you for using Heed."), "info")
    return redirect(url_for("auth.login"))
