"""Message log (coordinators, care team, the patient), magic links, and the phone simulator."""

from __future__ import annotations

import uuid
from uuid import UUID

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.access import Action, may, patient_or_404
from app.db import db
from app.i18n import speak_link_language
from app.security import InvalidPhoneNumber, blind_index, normalize_phone
from app.sms import (
    labels,
    magic,
    queries,
    sections,  # noqa: F401 - registers the record page's patient texts
    services,
    task_session,
)
from app.sms.forms import MagicLinkForm, SimulatorReplyForm
from app.sms.models import ConsoleMessage

bp = Blueprint("sms", __name__, template_folder="templates")


@bp.get("/patients/<uuid:patient_id>/messages")
@login_required
def message_log(patient_id: UUID) -> ResponseReturnValue:
    patient = patient_or_404(patient_id, Action.VIEW_MESSAGES)
    is_self = patient.user_id == current_user.id
    show_bodies = may(current_user, Action.VIEW_MESSAGE_BODIES, patient)
    rows = queries.message_log(patient, recipient_only=patient.user_id if is_self else None)
    return render_template(
        "sms/messages.html",
        patient=patient,
        rows=rows,
        show_bodies=show_bodies,
        consents=queries.sms_consents(patient.user_id),
        labels=labels,
        is_self=is_self,
    )


@bp.get("/m/<token>")
def magic_link(token: str) -> ResponseReturnValue:
    link = magic.peek(token)
    speak_link_language(magic.owner_locale(token))
    if link is None:
        return render_template("sms/magic_invalid.html"), 410
    return render_template("sms/magic_confirm.html", form=MagicLinkForm(), token=token)


@bp.post("/m/<token>")
def redeem_magic_link(token: str) -> ResponseReturnValue:
    form = MagicLinkForm()
    if not form.validate_on_submit():
        abort(400)
    grant = magic.redeem(token)
    db.session.commit()
    if grant is None:
        speak_link_language(magic.owner_locale(token))
        return render_template("sms/magic_invalid.html"), 410
    task_session.start(grant)  # signs the owner in for this one task only
    return redirect(magic.resolve(grant) or url_for("sms.task"))


@bp.get("/m/task")
def task() -> ResponseReturnValue:
    """What a link opened, when its prompt kind gives no landing page (a fallback)."""
    grant = magic.current_grant()
    if grant is None:
        abort(404)
    return render_template("sms/task.html", grant=grant, labels=labels)


def _simulator_enabled() -> bool:
    config = current_app.config
    return config["SMS_BACKEND"] == "console" and config["HEED_ENV"] != "production"


@bp.route("/dev/phone", methods=["GET", "POST"])
def phone() -> ResponseReturnValue:
    """Development only, for signed-in staff: the console outbox per number, and replies
    through the real pipeline (anyone else could otherwise reply as any phone)."""
    if not _simulator_enabled():
        abort(404)
    if not current_user.is_authenticated or not current_user.is_staff:
        abort(403)
    numbers = queries.simulator_numbers()
    selected = request.values.get("phone") or (numbers[0][0] if numbers else "")
    form = SimulatorReplyForm(data={"phone": selected})
    if form.validate_on_submit():
        try:
            number = normalize_phone(form.phone.data)
        except InvalidPhoneNumber:
            abort(400)
        sid = "SMsim" + uuid.uuid4().hex
        result = services.handle_inbound(sid=sid, from_number=number, body=form.body.data)
        index = blind_index(number)
        db.session.add(
            ConsoleMessage(phone_index=index, phone=number, outgoing=False, body=form.body.data)
        )
        if result.reply:
            db.session.add(
                ConsoleMessage(phone_index=index, phone=number, outgoing=True, body=result.reply)
            )
        db.session.commit()
        return redirect(url_for("sms.phone", phone=number))
    thread = queries.console_thread(selected) if selected else []
    return render_template(
        "sms/phone.html", numbers=numbers, selected=selected, thread=thread, form=form
    )
