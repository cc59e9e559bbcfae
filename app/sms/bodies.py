"""The SMS texts of the transport itself (replies to keywords, kept texts, conversations),
rendered in the recipient's language. Prompt bodies belong to their prompt kinds (the features'
`hooks.py`).

No names, symptoms or scores: consent allows reminders with a link, nothing more.
Each must fit in two SMS segments in every locale (tests/sms/test_segments.py).
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from app.i18n import force_recipient_locale


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
