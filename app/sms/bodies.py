"""Every SMS text Heed sends, rendered in the recipient's language.

No names, symptoms or scores: consent allows reminders with a link, nothing more.
Each must fit in two SMS segments in every locale (tests/sms/test_segments.py).
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from app.i18n import force_recipient_locale
from app.prompts.models import PromptPurpose


def diary_reminder(link: str) -> str:
    return _("Heed: time for today's diary. %(link)s Reply STOP to stop.", link=link)


def questionnaire_due(link: str) -> str:
    return _("Heed: a questionnaire is ready for you. %(link)s Reply STOP to stop.", link=link)


def questionnaire_closing(link: str) -> str:
    return _("Heed: your questionnaire closes soon. %(link)s Reply STOP to stop.", link=link)


def previsit_checkin(link: str) -> str:
    return _(
        "Heed: your visit is tomorrow. Please complete your check-in. %(link)s Reply STOP to stop.",
        link=link,
    )


def caregiver_checkin(link: str) -> str:
    return _("Heed: time for your weekly check-in. %(link)s Reply STOP to stop.", link=link)


PROMPT_BODIES: dict[PromptPurpose, Callable[[str], str]] = {
    PromptPurpose.DIARY_REMINDER: diary_reminder,
    PromptPurpose.QUESTIONNAIRE_DUE: questionnaire_due,
    PromptPurpose.QUESTIONNAIRE_CLOSING: questionnaire_closing,
    PromptPurpose.PREVISIT_CHECKIN: previsit_checkin,
    PromptPurpose.CAREGIVER_CHECKIN: caregiver_checkin,
}


def diary_with_replies(link: str, question: str) -> str:
    return _(
        "Heed: time for today's diary. %(question)s Or open %(link)s Reply STOP to stop.",
        question=question,
        link=link,
    )


# Replies (TwiML). None of them say anything personal.
def help_reply() -> str:
    return _(
        "Heed reminders from your care team. Reply STOP to stop, START to restart. "
        "For help, contact your clinic."
    )


def stopped_reply() -> str:
    return _("Heed: you will get no more texts. Reply START to get them again.")


def started_reply() -> str:
    return _("Heed: text reminders are on again. Reply STOP to stop.")


def unknown_number_reply() -> str:
    return _("This number does not receive Heed messages. Contact your clinic for help.")


def kept_reply(crisis: str) -> str:
    # Reply to a free-text message; %(crisis)s is the clinic's crisis line, e.g.
    # "Crisis line 555-0100". Keep it short: it must fit two SMS segments with the line.
    return _(
        "Heed: thank you, your care team will read this. Texts are not read around the "
        "clock. In a crisis call %(crisis)s",
        crisis=crisis,
    )


def kept_reply_without_line() -> str:
    return _(
        "Heed: thank you, your care team will read this. Texts are not read around the "
        "clock. In a crisis call your local emergency number."
    )


def saved_reply() -> str:
    return _("Heed: thank you, your answers are saved.")


def reask_reply(question: str, low: int, high: int) -> str:
    return _(
        "Please reply with a number from %(low)d to %(high)d. %(question)s",
        low=low,
        high=high,
        question=question,
    )


def render(locale: str, renderer: Callable[..., str], *args: object) -> str:
    """Render one text in the recipient's locale, or the default one when Heed does not ship
    it (inside an app context)."""
    with force_recipient_locale(locale):
        return renderer(*args)
