"""Twilio webhooks: POST /sms/inbound and POST /sms/status.

Not patient routes: they authenticate by X-Twilio-Signature (checked against
PUBLIC_BASE_URL + path, fail closed) instead of a login, and are exempt from CSRF.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from flask.typing import ResponseReturnValue

from app.db import db
from app.sms import services
from app.sms.gateway import twiml, valid_signature

bp = Blueprint("sms_webhooks", __name__, url_prefix="/sms")


def _require_signature() -> None:
    path = request.full_path.rstrip("?")
    url = current_app.config["PUBLIC_BASE_URL"] + path
    params = {key: request.form.get(key, "") for key in request.form}
    if not valid_signature(
        url=url, params=params, signature=request.headers.get("X-Twilio-Signature")
    ):
        abort(403)


@bp.post("/inbound")
def inbound() -> ResponseReturnValue:
    _require_signature()
    if not request.form.get("MessageSid"):
        abort(400)
    result = services.handle_inbound(
        sid=request.form.get("MessageSid", ""),
        from_number=request.form.get("From", ""),
        body=request.form.get("Body", ""),
        opt_out_type=request.form.get("OptOutType"),
    )
    db.session.commit()
    return Response(twiml(result.reply), mimetype="text/xml")


@bp.post("/status")
def status() -> ResponseReturnValue:
    _require_signature()
    services.handle_status(
        sid=request.form.get("MessageSid", ""),
        status=request.form.get("MessageStatus", ""),
        error_code=request.form.get("ErrorCode"),
    )
    db.session.commit()
    return Response(status=204)
