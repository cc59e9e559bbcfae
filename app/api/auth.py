"""Who calls the API: a personal access token (`Authorization: Bearer ...`), or Heed's own pages
through the browser session, whose writes carry the CSRF token in the `X-CSRFToken` header."""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.api import tokens
from app.api.models import TokenScope
from app.api.problems import Problem
from app.db import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC = frozenset({"api.openapi", "api.reference"})  # the documentation, open to all
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="heed"'}


def authenticate() -> None:
    """The blueprint's first hook: an authenticated caller, or a 401 problem."""
    g.api_token = None
    if request.endpoint in PUBLIC:
        return
    header = request.headers.get("Authorization")
    if header is not None:
        from_token(header)
        return
    if not current_user.is_authenticated:
        raise Problem(401, headers=CHALLENGE)
    if request.method not in SAFE_METHODS:
        try:
            current_app.extensions["csrf"].protect()
        except CSRFError:
            detail = _("The page's security token is missing or expired. Reload and try again.")
            raise Problem(403, detail=detail) from None


def from_token(header: str) -> None:
    """`Bearer <secret>`: the token's person acts for this request only (no session is made
    or changed); a read token may only read; over the rate limit is 429 with Retry-After."""
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Problem(401, headers=CHALLENGE)
    limit = current_app.config["API_RATE_LIMIT_PER_MINUTE"]
    presented = tokens.present(secret.strip(), limit=limit)
    if presented.token is None or presented.user is None:
        db.session.rollback()
        raise Problem(401, headers=CHALLENGE)
    if presented.retry_after:
        db.session.rollback()
        raise Problem(429, headers={"Retry-After": str(presented.retry_after)})
    if request.method not in SAFE_METHODS and presented.token.scope != TokenScope.WRITE:
        raise Problem(403)
    # Flask-Login's per-request user: `current_user` is the token's person from here on.
    g._login_user = presented.user
    g.api_token = presented.token
