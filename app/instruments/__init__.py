"""Standardized questionnaires: definitions as data, scoring, schedules, answering, FHIR."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Load and validate every definition (refusing to start on error), register views."""
    from app.instruments import loader, panel, plan_sources, views

    app.extensions["heed.instruments"] = loader.load_all()
    app.register_blueprint(views.bp)
    app.register_blueprint(views.definitions_bp)
    panel.init_app(app)
    plan_sources.register()
