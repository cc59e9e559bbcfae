"""A redeemed one-time link signs its owner in for exactly one task.

The session carries the task grant and a `task only` mark. Before every request the mark is
checked: the grant's own pages (declared by the feature that owns the task) are allowed; any
other page ends the restricted session and asks for the password. The pages come from the
purpose's prompt kind (`app.prompts.kinds`). Access checks and audit then
work as for a normal sign-in, because the person really is the task's owner.
"""

from __future__ import annotations

from flask import Flask, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from app.auth.models import User
from app.db import db
from app.prompts.kinds import TaskGrant, catalogue
from app.session_keys import TASK_GRANT, TASK_ONLY
from app.sms import magic
from app.web.errors import json_error, wants_json

# Pages any restricted session may open: named one by one, never by blueprint, so that a new
# page (like the message log) is outside the task until its feature declares it.
ALWAYS_ALLOWED = frozenset(
    {
        "static",
        "auth.logout",
        "i18n.switch_locale",
        "sms.magic_link",
        "sms.redeem_magic_link",
        "sms.task",
        # the installable app's files, which name no one: the browser fetches them on every
        # page (app/pwa), and a task session must not end because it did
        "pwa.manifest",
        "pwa.service_worker",
        "pwa.offline",
    }
)


def start(grant: TaskGrant) -> None:
    """Sign the grant's owner in for this task only (a full session of the same person stays)."""
    if (
        current_user.is_authenticated
        and current_user.id == grant.user_id
        and not session.get(TASK_ONLY)
    ):
        magic.store_grant(grant)
        return
    user = db.session.get(User, grant.user_id)
    if user is None or not user.active:
        return
    logout_user()
    login_user(user, remember=False)
    magic.store_grant(grant)
    session[TASK_ONLY] = True


def _covered(endpoint: str | None) -> bool:
    if endpoint is None or endpoint in ALWAYS_ALLOWED:
        return True
    grant = magic.current_grant()
    # Grants name their pages by the URL's text; routes type their ids (`<uuid:...>`).
    args = {name: str(value) for name, value in (request.view_args or {}).items()}
    return bool(grant and catalogue().covers(grant, endpoint, args))


def _guard() -> ResponseReturnValue | None:
    if not session.get(TASK_ONLY) or _covered(request.endpoint):
        return None
    logout_user()
    session.pop(TASK_ONLY, None)
    session.pop(TASK_GRANT, None)
    if wants_json():
        return json_error(
            401, "unauthorized", "password_required", _("Please sign in to continue.")
        )
    flash(_l("Please sign in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app: Flask) -> None:
    app.before_request(_guard)
