"""Follow-up appointments: scheduling (care team), the patient's next follow-up (home section)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from app.access import Action, may
from app.careteam.models import Patient
from app.db import utcnow
from app.diary.queries import patient_zone
from app.sections import Section, provider


def in_zone(moment: datetime, zone: str, fmt: str = "medium") -> str:
    """A UTC moment as wall-clock time in `zone`, in the viewer's language (Babel)."""
    return format_datetime(moment, fmt, tzinfo=_zone(zone), locale=get_locale())


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    """ZoneInfo keeps only 8 zones strongly cached: a list over 20 zones would reread them."""
    return ZoneInfo(name)


@provider("home")
def next_followup(patient: Patient) -> Section | None:
    """The patient's own next follow-up, on their home page."""
    if not may(current_user, Action.VIEW_NEXT_FOLLOWUP, patient):
        return None
    from app.followups import queries

    visit = queries.next_for_patient(patient, now=utcnow())
    context = {"visit": visit, "zone": str(patient_zone(patient))}
    return Section("followups/_home_next.html", {"followup": context}, order=8)


def init_app(app: Flask) -> None:
    from app.followups import forms, views

    app.register_blueprint(views.bp)
    app.jinja_env.filters["in_zone"] = in_zone
    app.jinja_env.globals.update(
        MODALITY_LABELS=forms.MODALITY_LABELS, APPOINTMENT_STATUS_LABELS=forms.STATUS_LABELS
    )
