"""What every page hands to the offline diary's script (app/static/js/pwa.js): who is signed
in, where the service worker and the offline page are, which diary forms to keep for offline
use, and the script's words in the viewer's language. base.html renders it as a JSON data
block (never as code). The feature itself lives in app/pwa; docs/offline.md."""

from __future__ import annotations

import uuid

from flask import Flask, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from app.auth.models import Role
from app.session_keys import TASK_ONLY

PLACEHOLDER_ID = uuid.UUID(int=0)
API_KEY_NAMESPACE = uuid.UUID("6f1c2f0e-5d8a-4c1e-9a53-2b7f0c6e9d41")
"""The namespace in which the JSON API scopes an Idempotency-Key to the person
(`uuid5(namespace, "<user id>:<key>")`; app/api/diary.py imports it). The script posts a diary
form under the submission id the API will make of the key it keeps the entry under, so sending a
kept entry again after the form's post did arrive is a repeat of that submission
(docs/offline.md)."""
HISTORY_BLUEPRINTS = {"diary", "pwa"}
"""Pages that also list what was sent from this phone (every page lists what waits)."""


def is_patient() -> bool:
    return bool(
        current_user and current_user.is_authenticated and current_user.role == Role.PATIENT
    )


def _diary_api() -> str | None:
    """The diary PUT of the JSON API, with {patient} and {day} to fill in."""
    try:
        url = url_for("api.put_diary_entry", patient_id=PLACEHOLDER_ID, day="DAY")
    except BuildError:  # the API is not installed
        return None
    return url.replace(str(PLACEHOLDER_ID), "{patient}").replace("DAY", "{day}")


def pwa_context() -> dict[str, object]:
    """What base.html hands to app/static/js/pwa.js (as data, never as code)."""
    # The offline page is kept for whoever uses the phone next: it names no one.
    offline_page = request.endpoint == "pwa.offline"
    # A texted link's one-task session keeps the offline diary off: priming the diary pages
    # would leave the task, and the task guard would end the session mid-answer.
    task_only = bool(session.get(TASK_ONLY))
    signed_in = (
        bool(current_user and current_user.is_authenticated) and not offline_page and not task_only
    )
    patient = is_patient() and not offline_page and not task_only
    return {
        "user": str(current_user.id) if signed_in else None,
        "patient": patient,
        "worker": url_for("pwa.service_worker"),
        "offline": url_for("pwa.offline"),
        "prime": [url_for("diary.start", mode="quick"), url_for("diary.start", mode="entry")]
        if patient
        else [],
        "login": url_for("auth.login"),
        "api": _diary_api() if patient else None,
        "key_namespace": str(API_KEY_NAMESPACE) if patient else None,
        "offline_page": offline_page,
        "history": request.blueprint in HISTORY_BLUEPRINTS or request.endpoint == "home.index",
        "strings": messages() if patient else {},
    }


def messages() -> dict[str, str]:
    # %(n)s, %(date)s and %(reason)s are filled in by the script.
    return {
        "saved": _("Saved on this phone. It will be sent to Heed when you are back online."),
        "posting": _("Sending…"),
        "unreachable": _(
            "Heed could not be reached, so this entry is saved on this phone. "
            "It will be sent when the connection works again; nothing has been lost."
        ),
        "offline": _(
            "You are offline. What you save stays on this phone until the connection returns."
        ),
        "sending": _("Sending what was saved on this phone…"),
        "all_sent": _("Everything saved on this phone has been sent."),
        "not_sent": _("Could not send yet. Heed will try again when you are online."),
        "waiting": _("Waiting to be sent"),
        "signin": _("Your session has ended. Sign in again to send it; nothing has been lost."),
        "conflict": _(
            "This day was changed somewhere else after you saved it on this phone. "
            "Choose which version to keep."
        ),
        "refused": _("Heed could not accept this entry:"),
        "this_phone": _("Saved on this phone"),
        "elsewhere": _("Saved in Heed"),
        "keep_mine": _("Keep the version from this phone"),
        "keep_other": _("Keep the version saved in Heed"),
        "kept_other": _("You kept the version saved in Heed."),
        "sent_at": _("Sent %(date)s"),
        "discard": _("Delete from this phone"),
        "open_day": _("Open this day"),
        "sign_in": _("Sign in"),
        "empty_answers": _("No answers"),
        "quick": _("Quick entry"),
        "entry": _("Full diary"),
        "unsent_count": _("Not sent yet: %(n)s"),
        "others": _(
            "This phone also holds diary entries saved by another account. "
            "Heed sends them only when that person signs in."
        ),
    }


def init_app(app: Flask) -> None:
    @app.context_processor
    def _offline_context() -> dict[str, object]:
        return {"pwa_context": pwa_context}
