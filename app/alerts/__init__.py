"""Alerts for the care team (created here; routing and escalation come with the alerts issue)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.alerts import views

    app.register_blueprint(views.bp)
