"""Sections the diary adds to other pages: today's status on the home page, and a compact
summary (plus the caregiver-observation link) on the record page."""

from __future__ import annotations

from datetime import timedelta
from statistics import mean
from typing import Any

from flask import Flask
from flask_login import current_user

from app import audit
from app.access import Action, may
from app.auth.models import Role
from app.careteam.models import Patient
from app.diary import queries
from app.diary.catalogs import SYMPTOMS
from app.sections import Section, provider

SUMMARY_DAYS = 14


@provider("home")
def diary_today(patient: Patient) -> Section | None:
    """For the patient's own home page: today's local date and whether it has an entry."""
    if not may(current_user, Action.WRITE_DIARY, patient):
        return None
    today = queries.local_today(patient)
    done = bool(queries.days_with_entries(patient, today, today))
    return Section("diary/_home_card.html", {"diary": {"today": today, "done": done}}, order=5)


@provider("record")
def record_section(patient: Patient) -> Section | None:
    summary = diary_summary(patient)
    observe = may_observe(patient)
    if summary is None and not observe:
        return None
    return Section(
        "diary/_record_summary.html", {"diary": summary, "may_observe": observe}, order=10
    )


def diary_summary(patient: Patient) -> dict[str, Any] | None:
    """Last two weeks at a glance for the record page, when the viewer may see the diary."""
    if not current_user.is_authenticated or not may(current_user, Action.VIEW_DIARY, patient):
        return None
    today = queries.local_today(patient)
    start = today - timedelta(days=SUMMARY_DAYS - 1)
    entries = queries.entries_between(patient, start, today)
    observations = queries.observations_between(patient, start, today)
    audit.record("diary.summary_view", patient_id=patient.id)
    heavy = [h for e in entries if (h := queries.heaviness(e)) is not None]
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


def init_app(app: Flask) -> None:
    from app.diary import plan_sources

    plan_sources.register()
    app.jinja_env.globals.update(SYMPTOM_CATALOG=SYMPTOMS)
