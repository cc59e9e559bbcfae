"""Flask-Login wiring: loading users by (id, session version), idle timeout for staff."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user

from app.auth.models import User
from app.db import db, utcnow
from app.web.errors import json_error, wants_json


class _LoginManager(LoginManager):
    """Flask-Login's manager; a JSON caller without a valid session gets a JSON 401 with the
    reason (its session expired or was ended, or it never signed in) instead of a redirect."""

    def unauthorized(self) -> ResponseReturnValue:
        if not wants_json():
            return super().unauthorized()
        cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        had_session = session.get("_user_id") is not None or cookie in request.cookies
        return _json_401("session_expired" if had_session else "login_required")


def _json_401(reason: str) -> ResponseReturnValue:
    return json_error(401, "unauthorized", reason, _("Please sign in to continue."))


login_manager = _LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.needs_refresh_message = _l("Please sign in again to continue.")
# "basic" marks the session non-fresh when the network changes instead of signing
# the user out, so a phone moving from Wi-Fi to mobile data stays signed in.
login_manager.session_protection = "basic"

LAST_SEEN = "_heed_last_seen"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    raw_id, _, version = user_id.partition(":")
    try:
        user = db.session.get(User, uuid.UUID(raw_id))
    except ValueError:
        return None
    if user is None or not user.is_active or str(user.session_version) != version:
        return None
    return user


def _enforce_idle_timeout() -> ResponseReturnValue | None:
    """Sign out clinicians, coordinators and admins after a period without requests."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if not current_user.is_staff:
        return None
    now = utcnow()
    last_seen = session.get(LAST_SEEN)
    timeout = current_app.config["STAFF_IDLE_TIMEOUT"]
    if last_seen is not None:
        try:
            idle = now - datetime.fromisoformat(last_seen)
        except (TypeError, ValueError):
            idle = timeout
        if idle >= timeout:
            logout_user()
            session.pop(LAST_SEEN, None)
            if wants_json():
                return _json_401("session_expired")
            flash(_l("You were signed out after a period of inactivity."), "info")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    session[LAST_SEEN] = now.isoformat()
    return None


def _enforce_second_factor() -> ResponseReturnValue | None:
    """REQUIRE_STAFF_2FA: a staff session without a second factor (one that began before the
    setting was turned on, say) ends; the next sign-in sets a factor up before anything opens."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if not current_app.config["REQUIRE_STAFF_2FA"] or not current_user.is_staff:
        return None
    from app.auth.mfa.services import has_second_factor

    if has_second_factor(current_user):
        return None
    logout_user()
    if wants_json():
        return _json_401("second_factor_required")
    flash(_l("Your account needs a second factor. Sign in to set one up."), "info")
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_enforce_idle_timeout)
    app.before_request(_enforce_second_factor)
