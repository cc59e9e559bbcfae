"""Alert rules: their codes, labels and how urgent they are. Rules are raised by the features
that detect them (questionnaires, diary, SMS) through `services.raise_alert`."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.signals import ask_last, instrument_names

CRITICAL_ANSWER = "critical_answer"
WORSENING_PREFIX = "worsening:"  # + instrument id, e.g. "worsening:phq9"
SYMPTOM_RISE = "symptom_rise"
NO_DIARY = "no_diary"
SMS_FAILURE = "sms_failure"
SMS_OPT_OUT = "sms_opt_out"
# A text from the patient or a caregiver for a person to read (urgent: Heed does not judge it).
MESSAGE_TO_READ = "message_to_read"
# A referral the patient's referrer sent got no answer within its urgency's days (app/referrals).
REFERRAL_OVERDUE = "referral_overdue"

RULE_LABELS = {
    CRITICAL_ANSWER: _l(
        "Critical answer on PHQ-9 item 9 (thoughts of being better off dead or of self-harm)"
    ),
    SYMPTOM_RISE: _l("Symptoms rose by the set number of points or more for 3 days in a row"),
    NO_DIARY: _l("No diary entry for the set number of days"),
    SMS_FAILURE: _l("Text messages could not be delivered"),
    SMS_OPT_OUT: _l("The patient stopped text messages"),
    MESSAGE_TO_READ: _l("A text message from the patient or a caregiver to read"),
    REFERRAL_OVERDUE: _l("A referral got no answer in time"),
}


def worsening_rule(instrument_id: str) -> str:
    return f"{WORSENING_PREFIX}{instrument_id}"


def rule_label(rule_code: str, instrument_titles: dict[str, str] | None = None) -> str:
    if rule_code.startswith(WORSENING_PREFIX):
        instrument = rule_code.removeprefix(WORSENING_PREFIX)
        titles = instrument_titles
        if titles is None:
            _answered, titles = ask_last(instrument_names, current_app._get_current_object())
        title = (titles or {}).get(instrument, instrument)
        return str(_l("Worsening on %(instrument)s beyond its threshold", instrument=title))
    label = RULE_LABELS.get(rule_code)
    return str(label) if label is not None else rule_code
