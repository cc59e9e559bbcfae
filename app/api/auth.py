"""Who calls the API: a personal access token (`Authorization: Bearer ...`), or Heed's own pages
through the browser session, whose writes carry the CSRF token in the `X-CSRFToken` header."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.api.problems import Problem

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="heed"'}


def authenticate() -> None:
    """The blueprint's first hook: an authenticated caller, or a 401 problem."""
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is not None:
        from_token(header)
        return
    if not current_user.is_authenticated:
        raise Problem(401, headers=CHALLENGE)
    if request.method not in SAFE_METHODS:
        try:
            current_app.extensions["csrf"].protect()
        except CSRFError as exc:
            raise Problem(403, detail=str(exc.description)) from None


def from_token(header: str) -> None:
    """Set up in the next step (personal access tokens)."""
    raise Problem(401, headers=CHALLENGE)
