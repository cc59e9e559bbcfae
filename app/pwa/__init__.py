"""Installable, offline diary: the web app manifest, the service worker (served from the site
root so its scope covers the app), the offline fallback page, and the marks that tell the
service worker which pages it may keep (the signed-in patient's own diary forms only).

The queue of entries saved offline lives in the browser (app/static/js/pwa.js, IndexedDB),
bound to the signed-in account; see docs/offline.md."""

from __future__ import annotations

from flask import Flask, Response, request, url_for
from flask_login import current_user

from app.web.offline import is_patient

SHELL_HEADER = "X-Heed-Offline"
OWNER_HEADER = "X-Heed-Offline-Owner"
ALIAS_HEADER = "X-Heed-Offline-Alias"
SHELLS = {"diary.entry": "entry", "diary.quick": "quick"}
"""The diary forms a patient may open offline (their own, and only theirs)."""


def _mark_shell(response: Response) -> Response:
    """Let the service worker keep the signed-in patient's own diary form (access already let
    this patient write this diary: a patient writes only their own). Nothing else is marked,
    so staff pages and other people's data are never kept."""
    mode = SHELLS.get(request.endpoint or "")
    if mode is None or request.method != "GET" or response.status_code != 200:
        return response
    if not is_patient():
        return response
    response.headers[SHELL_HEADER] = "shell"
    response.headers[OWNER_HEADER] = str(current_user.id)
    if (request.view_args or {}).get("day") is None:
        # Today's form also answers /diary and /diary/quick (which redirect when online).
        response.headers[ALIAS_HEADER] = url_for("diary.start", mode=mode)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_mark_shell)
