"""FHIR R4 `Patient/$everything`: the patient's own FHIR export, or for their care team the
part of it the team may see on Heed's pages.

The patient (`export_data`) gets the whole Bundle of their data export, audited as the export.
A clinician on the patient's care team or a coordinator of the patient's clinic (`view_record`,
as the record page decides) gets the export's sections that an action of theirs covers
(`SECTION_ACTIONS`, decided by `app.access.may` as the pages are), audited as the record's
opening plus `api.fhir_read`. Anyone else (caregivers, admins, other clinics, an ended team
membership) is answered 404, audited as a denial."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from app import audit
from app.access import Action, may, patient_or_404
from app.auth.models import Role, User
from app.careteam.models import Patient
from app.datarights import services as datarights
from app.datarights.registry import Section

# The roles whose pages open a patient's record as their care team (the clinician on the team,
# the clinic's coordinator: `view_record` decides which patients).
TEAM_ROLES = frozenset({Role.CLINICIAN, Role.COORDINATOR})

# Each export section that carries FHIR resources, and the action its page needs. A section
# not listed here is left out of the care team's Bundle (tests/api/test_fhir.py checks that
# every section with resources is listed).
SECTION_ACTIONS: dict[str, Action] = {
    "profile": Action.VIEW_CONTACT,  # name, phone, email, language
    "access_log": Action.VIEW_ACCESS_LOG,  # coordinators, not clinicians
    "consents": Action.VIEW_CONSENT,
    "diary": Action.VIEW_DIARY,  # with notes and caregivers' observations, as the record shows
    "questionnaires": Action.VIEW_SCORES,
    "caregiver_checkins": Action.VIEW_SCORES,
    "referrals": Action.REFER,
    "lesson_recommendations": Action.VIEW_RECORD,
    "case_reviews": Action.VIEW_RECORD,  # the patient-facing part only, as in the export
    "followups": Action.SCHEDULE_FOLLOWUP,
    "text_messages": Action.VIEW_MESSAGE_BODIES,  # the texts Heed sent: coordinators only
    "texts_to_care_team": Action.READ_PATIENT_TEXTS,
    # Experience surveys are reported only in aggregate: the care team never sees a patient's
    # own answers, so only the patient's own export (`export_data`) carries them.
    "experience_surveys": Action.EXPORT_DATA,
}


def patient_for_bundle(patient_id: Any) -> Patient:
    """The patient whose Bundle the caller may read (audited either way), or 404."""
    team = current_user.role in TEAM_ROLES
    return patient_or_404(patient_id, Action.VIEW_RECORD if team else Action.EXPORT_DATA)


def team_sections(user: User, patient: Patient) -> list[Section]:
    """The export's sections this care-team member may see on the pages (the exporters of
    the others are not run)."""
    allowed: dict[Action, bool] = {}

    def wanted(name: str) -> bool:
        action = SECTION_ACTIONS.get(name)
        if action is None:
            return False
        if action not in allowed:
            allowed[action] = may(user, action, patient)
        return allowed[action]

    return datarights.collect(patient, wanted=wanted)


def everything(patient: Patient) -> dict[str, Any]:
    """The Bundle for the caller `patient_for_bundle` let through."""
    if current_user.role not in TEAM_ROLES:
        return datarights.as_fhir_bundle(patient)  # the patient's own export
    bundle = datarights.fhir_bundle(team_sections(current_user, patient))
    audit.record("api.fhir_read", patient_id=patient.id, object_type="export", object_id="fhir")
    return bundle
