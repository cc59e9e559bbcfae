"""The versioned JSON API (`/api/v1`), its OpenAPI 3.1 document, personal access tokens and the
FHIR read endpoint.

A composition-level package (beside `cli`, `demo`, `features`, `jobs`): it exposes several
features' services and queries (diary, instruments, care plan, alerts, follow-ups) and no
feature imports it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # The API authenticates writes itself: a token needs no CSRF token; the browser session
    # sends it in the X-CSRFToken header, checked in `auth.authenticate`.
    app.extensions["csrf"].exempt(app.blueprints["api"])
