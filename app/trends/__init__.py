"""Clinician trend views: upcoming follow-ups with flags, pre-visit summary (screen, print,
CSV), coordinator caseload and pathway metrics. Read-side only."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from app.access import Action, may
from app.careteam.models import Patient
from app.sections import Section, provider


@provider("record")
def summary_links(patient: Patient) -> Section | None:
    """Links to the pre-visit summary and follow-ups on the record page, for the care team."""
    if not current_user.is_authenticated or not may(current_user, Action.VIEW_SUMMARY, patient):
        return None
    schedule = may(current_user, Action.SCHEDULE_FOLLOWUP, patient)
    return Section("trends/_record_links.html", {"schedule": schedule}, order=1)


def init_app(app: Flask) -> None:
    from app.careplan import wording
    from app.diary import catalogs
    from app.instruments.labels import BAND_LABELS
    from app.trends import views
    from app.trends.labels import FLAG_LABELS, PERIOD_LABELS
    from app.trends.summary import PERIODS

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(
        FLAG_LABELS=FLAG_LABELS,
        PERIOD_LABELS=PERIOD_LABELS,
        PERIODS=PERIODS,
        TEAM_GOAL_STATUS=wording.TEAM_STATUS,
        goal_progress_details=wording.progress_details,
        BAND_LABELS=BAND_LABELS,
        DIARY_CATALOGS=catalogs,
    )
