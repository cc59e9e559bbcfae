"""Translatable labels of the referrals feature: statuses (staff and patient words), urgency,
the directory's kinds of help, the audit actions it records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.referrals.models import PatientAnswer, Status, TargetKind, Urgency

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.REQUESTED: _l("Requested"),
    Status.ACCEPTED: _l("Accepted"),
    Status.REJECTED: _l("Declined"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.COMPLETED: _l("Completed"),
    Status.FAILED: _l("Failed"),
    Status.CANCELLED: _l("Cancelled"),
}

# Plain words for the patient (findhelp's de-facto wording for the last two).
PATIENT_WORDS = {
    "sent": _l("Sent"),
    "contact": _l("They will contact you"),
    "got_help": _l("Got help"),
    "no_help": _l("Couldn't get help"),
    "cancelled": _l("Stopped"),
}


def patient_word(status: Status, answer: PatientAnswer | None) -> str:
    """The patient's word for where a referral stands; their own answer counts first."""
    if answer == PatientAnswer.GOT_HELP:
        return "got_help"
    if answer == PatientAnswer.NO_HELP:
        return "no_help"
    return {
        Status.REQUESTED: "sent",
        Status.ACCEPTED: "contact",
        Status.IN_PROGRESS: "contact",
        Status.COMPLETED: "got_help",
        Status.REJECTED: "no_help",
        Status.FAILED: "no_help",
    }.get(status, "cancelled")


ANSWER_LABELS = {
    PatientAnswer.GOT_HELP: _l("Got help"),
    PatientAnswer.NO_HELP: _l("Couldn't get help"),
}

URGENCY_LABELS = {
    Urgency.ROUTINE: _l("Routine"),
    Urgency.SOON: _l("Soon"),
    Urgency.URGENT: _l("Urgent"),
}

TARGET_LABELS = {
    TargetKind.DISCIPLINE: _l("A discipline of the clinic"),
    TargetKind.CLINICIAN: _l("A clinician of the clinic"),
    TargetKind.SERVICE: _l("An outside service from the directory"),
}

# Kinds of help a directory service offers. The first four are the social-needs codes
# (`app.web.teamcare`, "food", "housing", "transportation", "utilities").
HELP_KINDS = {
    "food": _l("Food"),
    "housing": _l("Housing"),
    "transportation": _l("Transportation"),
    "utilities": _l("Utilities (heating, power, water)"),
    "money": _l("Money and benefits"),
    "legal": _l("Legal advice"),
    "work": _l("Work and training"),
    "company": _l("Company and support groups"),
}
NEED_CODES = ("food", "housing", "transportation", "utilities")

SHARE_LABELS = {
    "contact": _l("The patient's name and phone number"),
    "reason": _l("The reason for the referral"),
    "question": _l("The question to answer"),
}

REFUSAL_MESSAGES = {
    "forbidden": _l("This change is not possible at this step of the referral."),
    "reason_required": _l("Give a reason."),
    "outcome_required": _l("Describe the outcome."),
}

AUDIT_ACTION_LABELS = {
    "referral.create": _l("Created a referral"),
    "referral.view": _l("Viewed a referral"),
    "referral.status": _l("Changed a referral's status"),
    "referral.link_issued": _l("Issued a one-time link for an outside service"),
    "referral.service_view": _l("An outside service opened a referral"),
    "referral.patient_answer": _l("Answered whether a referral helped"),
    "referral.list": _l("Viewed the referral list"),
    "patient.refer": _l("Opened the patient's referrals"),
    "patient.view_own_referrals": _l("Opened their referral question"),
}
"""Labels of the audit actions this feature records (the patient's access log shows them)."""
