"""Friendly error pages in the user's language; a CSRF failure is a 400 that explains itself.

JSON callers (a JSON body, or an Accept header preferring JSON to HTML) get the same answers as
JSON: ``{"error": ..., "reason": ..., "message": ...}`` with a machine-readable reason, e.g.
401 ``session_expired`` or 403 ``csrf_expired``, instead of a page or a redirect.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.db import db

log = logging.getLogger(__name__)

HANDLED = (400, 403, 404, 405, 410, 413, 429)


def wants_json() -> bool:
    """Whether the caller is a script expecting JSON rather than a browser expecting HTML."""
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return best == "application/json"


def json_error(status: int, error: str, reason: str, message: str = "") -> ResponseReturnValue:
    return jsonify(error=error, reason=reason, message=message), status


def _page(status: int, message: str | None = None) -> ResponseReturnValue:
    return render_template("errors/error.html", status=status, message=message), status


def _name(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    status = exc.code or 500
    if wants_json() and 400 <= status < 500:
        return json_error(status, _name(exc), _name(exc))
    if status not in HANDLED:
        return exc
    return _page(status)


def _csrf_reason(exc: CSRFError) -> str:
    text = (exc.description or "").lower()
    if "expired" in text:
        return "csrf_expired"
    if "missing" in text:
        return "csrf_missing"
    return "csrf_invalid"


def _csrf_error(exc: CSRFError) -> ResponseReturnValue:
    message = _(
        "This form has expired or was sent from another page. Please go back, reload and try again."
    )
    if wants_json():
        return json_error(403, "forbidden", _csrf_reason(exc), message)
    return _page(400, message)


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _refuse_nul_bytes() -> ResponseReturnValue | None:
    """A NUL character cannot be stored (PostgreSQL refuses it in text) and no keyboard types
    it: a request carrying one in its query, form or JSON body is refused before any view."""
    values = [v for source in (request.args, request.form) for _k, vs in source.lists() for v in vs]
    if not (_has_nul(values) or (request.is_json and _has_nul(request.get_json(silent=True)))):
        return None
    message = _(
        "The request contained a character that cannot be saved. Please remove it and try again."
    )
    if wants_json():
        return json_error(400, "bad_request", "nul_character", message)
    return _page(400, message)


def _server_error(exc: Exception) -> ResponseReturnValue:
    log.exception("unhandled error: %s", type(exc).__name__)
    db.session.rollback()
    if wants_json():
        return json_error(500, "server_error", "server_error")
    return _page(500)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul_bytes)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, _server_error)
