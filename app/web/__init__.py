"""The web edge every feature shares: error pages, security headers, `/healthz`, safe
redirects, the sections of the pages several features fill (`app.web.sections`), and the SVG
chart builder the diary and the trend views share (`app.web.charts`).

Ids in URLs are typed by the route with Werkzeug's built-in ``<uuid:...>`` converter: it
matches only the canonical hyphenated form, hands the view a `uuid.UUID`, and a malformed id
matches no route, so it answers 404 before any view runs and `app.access` audits the refusal
(signed-in users). Views never parse an id from the URL themselves.

Jinja filters and globals that templates of more than one feature use are registered by core
(here or `app.i18n`), never by whichever feature happened to need them first;
tests/test_structure.py holds every template to that.
"""

from __future__ import annotations

from flask import Flask

from app.web import errors, headers, health, offline


def init_app(app: Flask) -> None:
    headers.init_app(app)
    errors.init_app(app)
    offline.init_app(app)
    app.register_blueprint(health.bp)
