"""The versioned JSON API (`/api/v1`), its OpenAPI 3.1 document, personal access tokens and the
FHIR read endpoint.

Its own layer, between the composition modules and the features (see pyproject.toml's
import contracts and docs/api.md): it exposes several features' services and queries (diary,
instruments, care plan, alerts, follow-ups) and no feature imports it; the composition
modules may (app/schema.py lists its token model)."""

from __future__ import annotations

from flask import Flask, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from app.api import problems

API_PATHS = ("/api/v1/", "/fhir/")


def init_app(app: Flask) -> None:
    # The API authenticates writes itself: a token needs no CSRF token; the browser session
    # sends it in the X-CSRFToken header, checked in `auth.authenticate`.
    app.extensions["csrf"].exempt(app.blueprints["api"])
    # A path no route matches (one with a line break, say) under the API's prefixes is a
    # problem document too; every other path keeps the app's own not-found page.
    pages = app.error_handler_spec[None][None].get(HTTPException)

    def not_found(exc: HTTPException) -> ResponseReturnValue:
        if request.path.startswith(API_PATHS) or pages is None:
            return problems.from_http_error(exc)
        return pages(exc)

    app.register_error_handler(404, not_found)
