"""The words app/static/js/pwa.js shows, in the viewer's language (handed over as JSON data:
the script never carries its own English)."""

from __future__ import annotations

from flask_babel import gettext as _


def messages() -> dict[str, str]:
    # %(n)s, %(date)s and %(reason)s are filled in by the script.
    return {
        "saved": _(
            "Saved on this phone. It will be sent to Heed when you are back online."
        ),
        "offline": _(
            "You are offline. What you save stays on this phone until the connection returns."
        ),
        "sending": _("Sending what was saved on this phone…"),
        "all_sent": _("Everything saved on this phone has been sent."),
        "not_sent": _("Could not send yet. Heed will try again when you are online."),
        "waiting": _("Waiting to be sent"),
        "signin": _(
            "Your session has ended. Sign in again to send it; nothing has been lost."
        ),
        "conflict": _(
            "This day was changed somewhere else after you saved it on this phone. "
            "Choose which version to keep."
        ),
        "refused": _("Heed could not accept this entry:"),
        "this_phone": _("Saved on this phone"),
        "elsewhere": _("Saved in Heed"),
        "keep_mine": _("Keep the version from this phone"),
        "keep_other": _("Keep the version saved in Heed"),
        "kept_other": _("You kept the version saved in Heed."),
        "sent_at": _("Sent %(date)s"),
        "discard": _("Delete from this phone"),
        "open_day": _("Open this day"),
        "sign_in": _("Sign in"),
        "empty_answers": _("No answers"),
        "quick": _("Quick entry"),
        "entry": _("Full diary"),
        "unsent_count": _("Not sent yet: %(n)s"),
        "others": _(
            "This phone also holds diary entries saved by another account. "
            "Heed sends them only when that person signs in."
        ),
    }
