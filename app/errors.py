"""Friendly error pages in the user's language; a CSRF failure is a 400 that explains itself."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.db import db

log = logging.getLogger(__name__)


def _page(status: int, message: str | None = None) -> ResponseReturnValue:
    return render_template("errors/error.html", status=status, message=message), status


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    status = exc.code or 500
    if status not in (400, 403, 404, 405, 410, 413, 429):
        return exc
    return _page(status)


def _csrf_error(_exc: CSRFError) -> ResponseReturnValue:
    return _page(
        400,
        _(
            "This form has expired or was sent from another page. Please go back, reload and try again."
        ),
    )


def _server_error(exc: Exception) -> ResponseReturnValue:
    log.exception("unhandled error: %s", type(exc).__name__)
    db.session.rollback()
    return _page(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, _server_error)
