"""The trends' receivers: links to the pre-visit summary and follow-ups on the record page."""

from __future__ import annotations

from flask_login import current_user

from app.access import Action, may
from app.careteam.models import Patient
from app.web.sections import Section, provider


@provider("record")
def summary_links(patient: Patient) -> Section | None:
    """Links to the pre-visit summary and follow-ups on the record page, for the care team
    (first on the page: order 0, before the alerts)."""
    if not current_user.is_authenticated or not may(current_user, Action.VIEW_SUMMARY, patient):
        return None
    schedule = may(current_user, Action.SCHEDULE_FOLLOWUP, patient)
    return Section("trends/_record_links.html", {"schedule": schedule}, order=0)
