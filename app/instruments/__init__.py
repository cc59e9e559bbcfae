"""Standardized questionnaires: definitions as data, scoring, schedules, answering, FHIR."""

from __future__ import annotations

from flask import Flask

from app.instruments import loader, wording
from app.instruments.labels import (
    BAND_LABELS,
    SCHEDULE_LABELS,
    STATUS_LABELS,
    SUBSCALE_LABELS,
    language_version,
)
from app.instruments.needs import DOMAIN_LABELS, RESULT_LABELS, REVIEW_LABELS


def init_app(app: Flask) -> None:
    """Load and validate every definition (refusing to start on error); template labels."""
    app.extensions["heed.instruments"] = loader.load_all()
    app.jinja_env.globals.update(
        language_version=language_version,
        BAND_LABELS=BAND_LABELS,
        SUBSCALE_LABELS=SUBSCALE_LABELS,
        SCHEDULE_LABELS=SCHEDULE_LABELS,
        OCCURRENCE_STATUS_LABELS=STATUS_LABELS,
        score_text=wording.score_text,
        score_change_text=wording.score_change_text,
        change_text=wording.change_text,
        incomplete_text=wording.incomplete_text,
        instrument_title=instrument_title,
        SOCIAL_DOMAIN_LABELS=DOMAIN_LABELS,
        SOCIAL_RESULT_LABELS=RESULT_LABELS,
        SOCIAL_REVIEW_LABELS=REVIEW_LABELS,
    )


def instrument_title(instrument_id: str) -> str:
    """The published name ("GAD-7"), never the code ("gad7")."""
    definition = loader.registry().get(instrument_id)
    return definition.short_title if definition is not None else instrument_id
