"""Standardized questionnaires: definitions as data, scoring, schedules, answering, FHIR."""

from __future__ import annotations

from flask import Flask

from app.instruments import loader
from app.instruments.labels import (
    BAND_LABELS,
    SCHEDULE_LABELS,
    STATUS_LABELS,
    SUBSCALE_LABELS,
    language_version,
)


def init_app(app: Flask) -> None:
    """Load and validate every definition (refusing to start on error); template labels."""
    app.extensions["heed.instruments"] = loader.load_all()
    app.jinja_env.globals.update(
        language_version=language_version,
        BAND_LABELS=BAND_LABELS,
        SUBSCALE_LABELS=SUBSCALE_LABELS,
        SCHEDULE_LABELS=SCHEDULE_LABELS,
        OCCURRENCE_STATUS_LABELS=STATUS_LABELS,
    )
