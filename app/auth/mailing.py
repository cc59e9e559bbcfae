"""Account emails (invitation, password reset), rendered in the recipient's language."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app import mail
from app.auth.models import User


def send_invitation(user: User, token: str) -> None:
    if not user.email:
        return
    with force_locale(user.locale):
        link = url_for("auth.accept_invitation", token=token, _external=True)
        mail.send(
            to=user.email,
            subject=_("You are invited to Heed"),
            body=render_template("auth/email_invitation.txt", link=link),
        )


def send_password_reset(user: User, token: str) -> None:
    if not user.email:
        return
    with force_locale(user.locale):
        link = url_for("auth.reset_password", token=token, _external=True)
        mail.send(
            to=user.email,
            subject=_("Reset your Heed password"),
            body=render_template("auth/email_reset.txt", link=link),
        )
