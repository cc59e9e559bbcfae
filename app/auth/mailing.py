"""Account emails (invitation, password reset), rendered in the recipient's language."""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app import mail
from app.auth.models import User


def _send_link(
    user: User, *, endpoint: str, token: str, subject: Callable[[], str], template: str
) -> None:
    if not user.email:
        return
    with force_locale(user.locale):
        link = url_for(endpoint, token=token, _external=True)
        mail.send(to=user.email, subject=subject(), body=render_template(template, link=link))


def send_invitation(user: User, token: str) -> None:
    _send_link(
        user,
        endpoint="auth.accept_invitation",
        token=token,
        subject=lambda: _("You are invited to Heed"),
        template="auth/email_invitation.txt",
    )


def send_password_reset(user: User, token: str) -> None:
    _send_link(
        user,
        endpoint="auth.reset_password",
        token=token,
        subject=lambda: _("Reset your Heed password"),
        template="auth/email_reset.txt",
    )
