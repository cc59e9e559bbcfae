"""Translatable labels of the case-conferences feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.conferences.models import ActionKind, ActionStatus, Attendance, Modality

AUDIT_ACTION_LABELS = {
    "conference.schedule": _l("Scheduled a case conference"),
    "conference.view": _l("Viewed a case conference"),
    "conference.item_view": _l("Viewed a case-conference discussion"),
    "conference.nominate": _l("Put a patient on a case-conference agenda"),
    "conference.remove": _l("Took a patient off a case-conference agenda"),
    "conference.note": _l("Wrote a case-conference note"),
    "conference.action_add": _l("Recorded a case-conference decision"),
    "conference.action_close": _l("Closed a case-conference decision"),
    "conference.refused": _l("A case-conference change was refused"),
}
"""Labels of the audit actions this feature records (the patient's access log shows them)."""

MODALITY_LABELS = {Modality.IN_PERSON: _l("In person"), Modality.VIDEO: _l("Video call")}
ATTENDANCE_LABELS = {
    Attendance.INVITED: _l("Not recorded"),
    Attendance.PRESENT: _l("Present"),
    Attendance.ABSENT: _l("Absent"),
    Attendance.APOLOGIES: _l("Sent apologies"),
}
ACTION_KIND_LABELS = {
    ActionKind.CARE_PLAN: _l("Change the care plan"),
    ActionKind.RECOMMENDATION: _l("Recommendation to a clinician"),
    ActionKind.FOLLOWUP: _l("Schedule a follow-up"),
    ActionKind.QUESTIONNAIRE: _l("Assign a questionnaire"),
    ActionKind.PSYCHIATRIC_CONSULTATION: _l("Psychiatric consultation"),
    ActionKind.REFERRAL: _l("Make a referral"),
}
ACTION_STATUS_LABELS = {
    ActionStatus.OPEN: _l("Open"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.DECLINED: _l("Declined"),
}
