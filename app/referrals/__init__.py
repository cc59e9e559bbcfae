"""Closed-loop referrals: to a discipline or clinician of the clinic, or to an outside service
of the clinic's directory; FHIR SDOH Clinical Care status pattern, one-time links for outside
services, the patient's "Did you get help?", overdue alerts, registry, agenda and metrics."""

from __future__ import annotations

from flask import Flask

from app.referrals import labels


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        REFERRAL_STATUS_LABELS=labels.STATUS_LABELS,
        REFERRAL_PATIENT_WORDS=labels.PATIENT_WORDS,
        referral_patient_word=labels.patient_word,
        REFERRAL_URGENCY_LABELS=labels.URGENCY_LABELS,
        REFERRAL_HELP_KINDS=labels.HELP_KINDS,
        REFERRAL_SHARE_LABELS=labels.SHARE_LABELS,
        REFERRAL_ANSWER_LABELS=labels.ANSWER_LABELS,
    )
