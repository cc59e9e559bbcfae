"""Human labels for the core's stored codes (roles, disciplines, consent scopes, and the audit
actions of access checks, care teams, consents and data rights), translatable.

Each feature declares the labels of the audit actions it records in its own `labels.py`
(`AUDIT_ACTION_LABELS`); `app.features.wire` adds them with `add_audit_action_labels`, so the
patient's access log labels every action. tests/test_structure.py checks that every action
recorded anywhere has a label in every shipped locale."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.auth.models import Discipline, Role, User
from app.careteam.models import ConsentScope

ROLE_LABELS = {
    Role.PATIENT: _l("Patient"),
    Role.CAREGIVER: _l("Caregiver"),
    Role.CLINICIAN: _l("Clinician"),
    Role.COORDINATOR: _l("Care coordinator"),
    Role.ADMIN: _l("Administrator"),
}
DISCIPLINE_LABELS = {
    Discipline.PRIMARY_CARE: _l("Primary care"),
    Discipline.PSYCHOLOGY: _l("Psychology"),
    Discipline.PSYCHIATRY: _l("Psychiatry"),
    Discipline.SOCIAL_WORK: _l("Social work"),
    Discipline.PHYSIOTHERAPY: _l("Physiotherapy"),
    Discipline.OCCUPATIONAL_THERAPY: _l("Occupational therapy"),
    Discipline.NUTRITION: _l("Nutrition"),
    Discipline.NURSING: _l("Nursing"),
}
SCOPE_LABELS = {
    ConsentScope.RECEIVE_CHECKINS: _l("Receive check-in prompts"),
    ConsentScope.SUBMIT_OBSERVATIONS: _l("Submit observations"),
    ConsentScope.VIEW_DIARY_SUMMARY: _l("See my diary summary"),
    ConsentScope.VIEW_SCORES: _l("See my questionnaire scores"),
}
CORE_AUDIT_ACTION_LABELS = {
    "patient.view_record": _l("Opened the record"),
    "account.password_change": _l("Changed their password"),
    "patient.view_access_log": _l("Viewed the access log"),
    "patient.view_diary": _l("Viewed the diary"),
    "patient.view_scores": _l("Viewed questionnaire scores"),
    "patient.submit_observation": _l("Submitted an observation"),
    "patient.break_glass": _l("Emergency access (break-glass)"),
    "patient.write_diary": _l("Opened the diary form"),
    "patient.enroll": _l("Enrolled the patient"),
    "care_team.add": _l("Added a care-team member"),
    "care_team.remove": _l("Removed a care-team member"),
    "caregiver.link": _l("Linked a caregiver"),
    "consent.grant": _l("Granted a consent scope"),
    "consent.revoke": _l("Revoked a consent scope"),
    "consent.sms_grant": _l("Recorded consent to text messages"),
    "patient.export": _l("Downloaded the data"),
    "patient.erase": _l("Erased the data"),
    "patient.manage_team": _l("Opened the care-team settings"),
    "patient.manage_caregivers": _l("Opened the sharing settings"),
    "patient.export_data": _l("Opened the data page"),
    "patient.erase_data": _l("Asked to erase the data"),
    "patient.answer_questionnaire": _l("Opened a questionnaire to answer"),
    "patient.assign_instrument": _l("Opened questionnaire assignments"),
    "patient.acknowledge_alert": _l("Opened an alert to acknowledge"),
    "patient.submit_checkin": _l("Opened a caregiver check-in"),
    "patient.view_care_plan": _l("Opened the care plan"),
    "patient.edit_care_plan": _l("Opened the care-plan editor"),
    "patient.comment_care_plan": _l("Commented on the care plan"),
    "patient.contact_view": _l("Viewed the contact details"),
    "patient.view_messages": _l("Viewed the text message log"),
    "patient.view_message_bodies": _l("Viewed text message contents"),
    # SMS (owned by app/sms; i13-prompts moves these to app/sms/labels.py).
    "sms.opt_out": _l("Stopped text messages (STOP)"),
    "sms.number_flagged": _l("Phone number refused by the SMS provider"),
    "sms.text_kept": _l("A text message was kept for the care team to read"),
    "sms.texts_view": _l("Read the text messages from the patient and caregivers"),
    "patient.view_summary": _l("Opened the pre-visit summary"),
    "patient.export_summary": _l("Opened the pre-visit summary export"),
    "patient.schedule_followup": _l("Opened the follow-ups"),
    "patient.view_consent": _l("Opened the consent records"),
    "patient.record_consent": _l("Opened the consent form"),
    "request.refused": _l("A request was refused"),
}
OUTCOME_LABELS = {"allowed": _l("Allowed"), "denied": _l("Denied")}


def person_role(user: User) -> str:
    """'Clinician · Psychology' style label for a person."""
    role = str(ROLE_LABELS[user.role])
    if user.discipline is not None:
        return f"{role} · {DISCIPLINE_LABELS[user.discipline]}"
    return role


def add_audit_action_labels(app: Flask, labels: Mapping[str, object]) -> None:
    """Add a feature's audit-action labels; an action has exactly one owner."""
    known: dict[str, object] = app.jinja_env.globals["AUDIT_ACTION_LABELS"]  # type: ignore[assignment]
    if taken := sorted(known.keys() & labels.keys()):
        raise ValueError(f"audit actions labelled twice: {', '.join(taken)}")
    known.update(labels)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        ROLE_LABELS=ROLE_LABELS,
        DISCIPLINE_LABELS=DISCIPLINE_LABELS,
        SCOPE_LABELS=SCOPE_LABELS,
        AUDIT_ACTION_LABELS=dict(CORE_AUDIT_ACTION_LABELS),
        OUTCOME_LABELS=OUTCOME_LABELS,
        person_role=person_role,
    )
