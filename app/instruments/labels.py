"""Translatable labels for band codes, subscales, schedules and states (UI text, not item text)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.i18n.names import language_name

BAND_LABELS = {
    "minimal": _l("Minimal"),
    "mild": _l("Mild"),
    "moderate": _l("Moderate"),
    "moderately_severe": _l("Moderately severe"),
    "severe": _l("Severe"),
    # PHQ-15 somatic symptom severity
    "low": _l("Low"),
    "medium": _l("Medium"),
    "high": _l("High"),
    # PHQ-4
    "normal": _l("Normal"),
}
SUBSCALE_LABELS = {"phq2": _l("PHQ-2 (depression)"), "gad2": _l("GAD-2 (anxiety)")}
SCHEDULE_LABELS = {
    "once": _l("Once"),
    "every_n_days": _l("Every N days"),
    "weekly": _l("Weekly on chosen days"),
    "before_followup": _l("N days before each follow-up"),
    "active": _l("Active"),
    "paused": _l("Paused"),
    "ended": _l("Ended"),
}
STATUS_LABELS = {
    "open": _l("Open"),
    "in_progress": _l("Started"),
    "completed": _l("Completed"),
    "missed": _l("Missed"),
    "upcoming": _l("Not open yet"),
}


def language_version(tag: str, *, in_sentence: bool = False) -> str:
    """The language and country version of an answered text, named in the viewer's language:
    'es-US' -> 'Spanish (United States)' for an English reader, 'en' -> 'English'. Capitalized
    to start a table cell; `in_sentence` keeps the language's own case ('español (…)')."""
    return language_name(tag, in_sentence=in_sentence)


AUDIT_ACTION_LABELS = {
    "instruments.assign": _l("Assigned a questionnaire"),
    "instruments.assignment_update": _l("Changed a questionnaire schedule"),
    "instruments.assignment_active": _l("Resumed a questionnaire schedule"),
    "instruments.assignment_paused": _l("Paused a questionnaire schedule"),
    "instruments.assignment_ended": _l("Ended a questionnaire schedule"),
    "instruments.response_view": _l("Viewed questionnaire answers"),
    "instruments.response_save": _l("Saved questionnaire answers"),
    "instruments.response_submit": _l("Submitted a questionnaire"),
    "instruments.response_export": _l("Exported a questionnaire response (FHIR)"),
    "instruments.social_needs_view": _l("Viewed social-needs screening results"),
    "instruments.social_need_review": _l("Recorded whether a social need is confirmed"),
    "instruments.scores_view": _l("Viewed questionnaire scores"),
    "instruments.checkin_submit": _l("Submitted a caregiver check-in"),
    "instruments.period_item": _l("Recorded whether the period question applies"),
}
"""Labels of the audit actions this feature records (the patient's access log shows them)."""
