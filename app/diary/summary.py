"""The diary at a glance for other pages: the record page's two-week summary and whether to
offer the caregiver-observation form (the section receivers are in `app.diary.hooks`)."""

from __future__ import annotations

from datetime import timedelta
from statistics import mean
from typing import Any

from flask_login import current_user

from app import audit
from app.access import Action, may
from app.auth.models import Role
from app.careteam.models import Patient
from app.diary import queries
from app.diary.insights import heaviness

SUMMARY_DAYS = 14


def diary_summary(patient: Patient) -> dict[str, Any] | None:
    """Last two weeks at a glance for the record page, when the viewer may see the diary."""
    if not current_user.is_authenticated or not may(current_user, Action.VIEW_DIARY, patient):
        return None
    today = queries.local_today(patient)
    start = today - timedelta(days=SUMMARY_DAYS - 1)
    entries = queries.entries_between(patient, start, today)
    observations = queries.observations_between(patient, start, today)
    audit.record("diary.summary_view", patient_id=patient.id)
    heavy = [h for e in entries if (h := heaviness(e)) is not None]
    moods = [e.mood for e in entries if e.mood is not None]
    return {
        "days": SUMMARY_DAYS,
        "recorded": len(entries),
        "latest": entries[-1].local_date if entries else None,
        "symptoms": round(mean(heavy), 1) if heavy else None,
        "mood": round(mean(moods), 1) if moods else None,
        "observations": len(observations),
    }


def may_observe(patient: Patient) -> bool:
    """Whether to offer the caregiver-observation form on the record page."""
    return (
        current_user.is_authenticated
        and current_user.role == Role.CAREGIVER
        and may(current_user, Action.SUBMIT_OBSERVATION, patient)
    )
