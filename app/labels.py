"""Human labels for stored codes (roles, disciplines, consent scopes, audit actions), translatable."""

from __future__ import annotations

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
AUDIT_ACTION_LABELS = {
    "patient.view_record": _l("Opened the record"),
    "patient.view_access_log": _l("Viewed the access log"),
    "patient.view_diary": _l("Viewed the diary"),
    "patient.view_scores": _l("Viewed questionnaire scores"),
    "patient.submit_observation": _l("Submitted an observation"),
    "patient.break_glass": _l("Emergency access (break-glass)"),
    "patient.write_diary": _l("Opened the diary form"),
    "diary.entry_create": _l("Saved a diary entry"),
    "diary.entry_amend": _l("Changed a diary entry"),
    "diary.observation_create": _l("Added a caregiver observation"),
    "diary.symptoms_update": _l("Changed the tracked symptoms"),
    "diary.summary_view": _l("Viewed the diary summary"),
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
    "instruments.assign": _l("Assigned a questionnaire"),
    "instruments.assignment_update": _l("Changed a questionnaire schedule"),
    "instruments.assignment_active": _l("Resumed a questionnaire schedule"),
    "instruments.assignment_paused": _l("Paused a questionnaire schedule"),
    "instruments.assignment_ended": _l("Ended a questionnaire schedule"),
    "instruments.response_view": _l("Viewed questionnaire answers"),
    "instruments.response_save": _l("Saved questionnaire answers"),
    "instruments.response_submit": _l("Submitted a questionnaire"),
    "instruments.response_export": _l("Exported a questionnaire response (FHIR)"),
    "instruments.scores_view": _l("Viewed questionnaire scores"),
    "instruments.checkin_submit": _l("Submitted a caregiver check-in"),
    "alert.create": _l("An alert was raised"),
    "alert.acknowledge": _l("Acknowledged an alert"),
    "patient.view_care_plan": _l("Opened the care plan"),
    "patient.edit_care_plan": _l("Opened the care-plan editor"),
    "patient.comment_care_plan": _l("Commented on the care plan"),
    "care_plan.read": _l("Read a care-plan version"),
    "care_plan.versions": _l("Viewed the care-plan versions"),
    "care_plan.diff": _l("Compared care-plan versions"),
    "care_plan.version_create": _l("Saved a new care-plan version"),
    "care_plan.save_refused": _l("Care-plan save refused (plan changed meanwhile)"),
    "care_plan.comment_add": _l("Added a care-plan comment"),
    "alert.repeat": _l("An open alert was raised again"),
    "alert.escalate": _l("An unacknowledged alert was escalated"),
    "alert.settings": _l("Changed the alert thresholds"),
    "alert.notify_again": _l(
        "An open urgent alert was raised again; the care team is emailed again"
    ),
    "alert.source_change": _l("An answer that raised an alert was changed afterwards"),
    "patient.contact_view": _l("Viewed the contact details"),
    "patient.view_messages": _l("Viewed the text message log"),
    "patient.view_message_bodies": _l("Viewed text message contents"),
    "sms.opt_out": _l("Stopped text messages (STOP)"),
    "sms.number_flagged": _l("Phone number refused by the SMS provider"),
    "sms.text_kept": _l("A text message was kept for the care team to read"),
    "sms.texts_view": _l("Read the text messages from the patient and caregivers"),
    "patient.view_summary": _l("Opened the pre-visit summary"),
    "patient.export_summary": _l("Opened the pre-visit summary export"),
    "trends.summary_export": _l("Downloaded the pre-visit summary (CSV)"),
    "patient.schedule_followup": _l("Opened the follow-ups"),
    "followup.schedule": _l("Scheduled a follow-up"),
    "followup.status": _l("Changed a follow-up's status"),
    "request.refused": _l("A request was refused"),
}
OUTCOME_LABELS = {"allowed": _l("Allowed"), "denied": _l("Denied")}


def person_role(user: User) -> str:
    """'Clinician · Psychology' style label for a person."""
    role = str(ROLE_LABELS[user.role])
    if user.discipline is not None:
        return f"{role} · {DISCIPLINE_LABELS[user.discipline]}"
    return role


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        ROLE_LABELS=ROLE_LABELS,
        DISCIPLINE_LABELS=DISCIPLINE_LABELS,
        SCOPE_LABELS=SCOPE_LABELS,
        AUDIT_ACTION_LABELS=AUDIT_ACTION_LABELS,
        OUTCOME_LABELS=OUTCOME_LABELS,
        person_role=person_role,
    )
