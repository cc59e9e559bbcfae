"""Case conferences (systematic case review): scheduling, an automatic agenda frozen 24 hours
before, attendance, frozen summary snapshots, structured notes, and decisions tracked to done.
See docs/conferences.md."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.conferences import labels
    from app.trends.labels import FLAG_LABELS
    from app.web.teamcare import reason_text

    app.jinja_env.globals.update(
        CONF_MODALITY=labels.MODALITY_LABELS,
        CONF_ATTENDANCE=labels.ATTENDANCE_LABELS,
        CONF_ACTION_KINDS=labels.ACTION_KIND_LABELS,
        CONF_ACTION_STATUS=labels.ACTION_STATUS_LABELS,
        CONF_FLAGS={int(flag): label for flag, label in FLAG_LABELS.items()},
        CONF_REASON=reason_text,
    )
