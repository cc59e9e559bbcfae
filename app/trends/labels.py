"""Translatable labels for flags and periods of the trend views."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.trends.analytics import Flag

FLAG_LABELS = {
    Flag.OPEN_ALERT: _l("Open alert"),
    Flag.WORSENING: _l(
        "Questionnaire worse than the previous or the first score (threshold or band)"
    ),
    Flag.SYMPTOM_RISE: _l("Symptoms up by 2 or more for 3 days"),
    Flag.LOW_ADHERENCE: _l("Diary on fewer than half of the last 14 days"),
    Flag.OVERDUE_QUESTIONNAIRE: _l("Questionnaire overdue"),
    Flag.NO_DATA_SINCE_VISIT: _l("No data since the last visit"),
}
PERIOD_LABELS = {
    "since_last": _l("Since the last visit"),
    "30": _l("30 days"),
    "90": _l("90 days"),
    "365": _l("365 days"),
}

AUDIT_ACTION_LABELS = {
    "trends.summary_export": _l("Downloaded the pre-visit summary (CSV)"),
    "trends.upcoming_view": _l("Viewed the upcoming follow-ups"),
    "trends.caseload_view": _l("Viewed the caseload"),  # before the registry replaced it
    "trends.metrics_view": _l("Viewed the pathway metrics"),
}
"""Labels of the audit actions this feature records (the patient's access log shows them)."""
