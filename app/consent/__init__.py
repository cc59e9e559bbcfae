"""Versioned consent: documents by purpose and language, consent records with a PDF of
exactly what was agreed, withdrawal, and the one consent-state query (`queries`)."""

from __future__ import annotations

from flask import Flask

from app.consent import labels


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        CONSENT_PURPOSE_LABELS=labels.PURPOSE_LABELS,
        CONSENT_METHOD_LABELS=labels.METHOD_LABELS,
        CONSENT_DECISION_LABELS=labels.DECISION_LABELS,
        CONSENT_STATUS_LABELS=labels.STATUS_LABELS,
    )
