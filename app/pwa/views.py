"""The manifest, the service worker and the offline page: public, and free of personal data."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.i18n import text_direction

bp = Blueprint("pwa", __name__, template_folder="templates")

PRECACHE = (
    "css/heed.css",
    "icons/sprite.svg",
    "favicon.svg",
    "js/heed.js",
    "js/diary.js",
    "js/pwa.js",
    "js/pwa-form.js",
    "js/pwa-panel.js",
    "js/pwa-queue.js",
    "app-icons/heed-192.png",
    "app-icons/heed-512.png",
)
"""Static files every offline page needs; the worker keeps other static files as they load."""

POST_TIMEOUT_SECONDS = 10
"""How long a diary form posted online waits for Heed's answer before the worker keeps the entry
on the phone instead (tests shorten it with the app setting PWA_POST_TIMEOUT_SECONDS)."""

ICONS = (
    ("app-icons/heed-192.png", "192x192", "any"),
    ("app-icons/heed-512.png", "512x512", "any"),
    ("app-icons/heed-maskable-512.png", "512x512", "maskable"),
)


@cache
def _static_version(static_folder: str) -> str:
    """A digest of the static files and the worker: a new one installs a new worker."""
    digest = hashlib.sha256()
    root = Path(static_folder)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from the root so its scope is the whole app."""
    static = Path(current_app.static_folder or "")
    settings = {
        "version": _static_version(str(static)),
        "precache": [url_for("static", filename=name) for name in PRECACHE],
        "static": url_for("static", filename=""),
        "offline": url_for("pwa.offline"),
        "post_timeout": 1000
        * int(current_app.config.get("PWA_POST_TIMEOUT_SECONDS", POST_TIMEOUT_SECONDS)),
    }
    body = f"const HEED = {json.dumps(settings)};\n" + (static / "js" / "sw.js").read_text()
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest in the visitor's language."""
    body = {
        "name": "Heed",
        "short_name": "Heed",
        "description": _("Your diary and questionnaires for your care team."),
        "lang": str(get_locale()).replace("_", "-"),
        "dir": text_direction(),
        "id": "/",
        "start_url": url_for("home.index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0e6b70",
        "icons": [
            {
                "src": url_for("static", filename=src),
                "sizes": sizes,
                "type": "image/png",
                "purpose": purpose,
            }
            for src, sizes, purpose in ICONS
        ],
        "shortcuts": [
            {"name": _("Quick entry"), "url": url_for("diary.start", mode="quick")},
            {"name": _("My diary"), "url": url_for("diary.start", mode="entry")},
        ],
    }
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline() -> str:
    """Shown by the service worker when a page needs the network and there is none."""
    return render_template("pwa/offline.html")
