"""Follow-up appointments: scheduling (care team), the patient's next follow-up (home section)."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from app.access import Action, may
from app.careteam.models import Patient
from app.db import utcnow
from app.diary.queries import patient_zone
from app.sections import Section, provider


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
    app.jinja_env.globals.update(
        MODALITY_LABELS=forms.MODALITY_LABELS, APPOINTMENT_STATUS_LABELS=forms.STATUS_LABELS
    )
