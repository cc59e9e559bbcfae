"""Account emails (invitation, password reset), rendered in the recipient's language."""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import mail
from app.auth.models import User
from app.i18n import force_recipient_locale

# Shown on the inviting form when the email failed; the view then saves nothing.
INVITATION_NOT_SENT = _l(
    "The invitation email could not be sent, so nothing was saved. "
    "Check the address, or try again in a few minutes."
)


def _send_link(
    user: User, *, endpoint: str, token: str, subject: Callable[[], str], template: str
) -> bool:
    """Email a one-time link in the user's language; False if it could not be sent."""
    if not user.email:
        return False
    with force_recipient_locale(user.locale):
        link = url_for(endpoint, token=token, _external=True)
        body = render_template(template, link=link)
        return mail.send(to=user.email, subject=subject(), body=body)


def send_invitation(user: User, token: str) -> bool:
    return _send_link(
        user,
        endpoint="auth.accept_invitation",
        token=token,
        subject=lambda: _("You are invited to Heed"),
        template="auth/email_invitation.txt",
    )


def send_password_reset(user: User, token: str) -> bool:
    return _send_link(
        user,
        endpoint="auth.reset_password",
        token=token,
        subject=lambda: _("Reset your Heed password"),
        template="auth/email_reset.txt",
    )


SECURITY_NOTICES = {
    "enrolled": _l("A new second factor was added to your Heed account."),
    "removed": _l("A second factor was removed from your Heed account."),
    "recovery_code_used": _l("A recovery code was used to sign in to your Heed account."),
    "reset": _l(
        "An administrator reset the second factor of your Heed account. Set up a new one "
        "the next time you sign in."
    ),
}


def send_security_notice(user: User, kind: str) -> bool:
    """Tell the person about a change to how they sign in, in their language (no secrets)."""
    if not user.email:
        return False
    with force_recipient_locale(user.locale):
        body = render_template(
            "auth/email_security.txt",
            notice=str(SECURITY_NOTICES[kind]),
            link=url_for("auth.mfa_settings", _external=True),
        )
        return mail.send(to=user.email, subject=_("Sign-in security on Heed"), body=body)
