"""Versioned consent's receivers: the patient's consents on their home page (asking them to
review a new version on their next visit) and the consent state on a patient's record."""

from __future__ import annotations

from flask_login import current_user

from app.access import Action, may
from app.careteam.models import Patient
from app.consent import queries
from app.i18n import recipient_locale
from app.web.sections import Section, provider


@provider("home")
def review_on_home(patient: Patient) -> Section | None:
    if not current_user.is_authenticated or current_user.id != patient.user_id:
        return None
    review = queries.needs_review(patient, recipient_locale(patient.user.locale))
    # After the quick diary and its progress: on a bad day the diary comes first.
    return Section("consent/_home.html", {"consent": {"review": review}}, order=7)


@provider("record")
def state_on_record(patient: Patient) -> Section | None:
    if not current_user.is_authenticated or not may(current_user, Action.VIEW_CONSENT, patient):
        return None
    state = queries.state(patient, recipient_locale(patient.user.locale))
    return Section("consent/_record.html", {"consent": {"state": state}}, order=3)
