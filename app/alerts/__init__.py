"""Alerts for the care team: rules, one open alert per rule, routing to an inbox, escalation."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    @app.context_processor
    def _alert_badge() -> dict[str, object]:
        from flask_login import current_user

        from app.alerts.queries import open_count_for

        def open_alerts() -> int:
            return open_count_for(current_user) if current_user.is_authenticated else 0

        return {"open_alert_count": open_alerts}
