"""Translatable labels for outbox statuses, reasons and prompt kinds (message log)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.careteam.models import WithdrawalSource
from app.prompts.models import OutboxStatus, PromptPurpose

PURPOSE_LABELS = {
    PromptPurpose.DIARY_REMINDER: _l("Diary reminder"),
    PromptPurpose.QUESTIONNAIRE_DUE: _l("Questionnaire ready"),
    PromptPurpose.QUESTIONNAIRE_CLOSING: _l("Questionnaire closing soon"),
    PromptPurpose.PREVISIT_CHECKIN: _l("Pre-visit check-in"),
    PromptPurpose.CAREGIVER_CHECKIN: _l("Caregiver weekly check-in"),
    PromptPurpose.REFERRAL_CHECKBACK: _l("Referral check-back"),
    PromptPurpose.EXPERIENCE_SURVEY: _l("Survey about a visit"),
}
STATUS_LABELS = {
    OutboxStatus.PLANNED: _l("Planned"),
    OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.UNKNOWN: _l("Being checked with the provider"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.DELIVERED: _l("Delivered"),
    OutboxStatus.UNDELIVERED: _l("Not delivered"),
    OutboxStatus.FAILED: _l("Failed"),
    OutboxStatus.CANCELLED: _l("Cancelled"),
    OutboxStatus.EXPIRED: _l("Expired"),
    OutboxStatus.SKIPPED: _l("Not sent"),
}
REASON_LABELS = {
    "completed": _l("Task already completed"),
    "opted_out": _l("Opted out of text messages"),
    "no_number": _l("No mobile number"),
    "number_flagged": _l("Number refused by the provider"),
    "no_caregiver_consent": _l("Check-in sharing no longer granted"),
    "quiet_hours": _l("Quiet hours lasted past the task's window"),
    "late": _l("Too late to send (outside the grace window)"),
    "rate_limited": _l("Provider busy; will retry"),
    "retries_exhausted": _l("Gave up after repeated failures"),
    "no_answer": _l("No answer from the provider; checking before any resend"),
    "server_error": _l("Provider error; checking before any resend"),
    "resend_after_check": _l("Provider had no record; sending again"),
    "render_failed": _l("The message could not be written; not sent"),
    "dispatch_error": _l("Unexpected error while sending; checking before any resend"),
}
WITHDRAWAL_LABELS = {
    WithdrawalSource.SETTINGS: _l("in settings"),
    WithdrawalSource.STOP: _l("by replying STOP"),
    WithdrawalSource.STAFF: _l("by the care team"),
    WithdrawalSource.ERASURE: _l("with data erasure"),
}


def reason_label(reason: str | None) -> str:
    if not reason:
        return ""
    if reason.startswith("twilio_"):
        return str(_l("Provider error %(code)s", code=reason.removeprefix("twilio_")))
    label = REASON_LABELS.get(reason)
    return str(label) if label is not None else reason
