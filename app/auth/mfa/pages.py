"""What the second-factor pages share: their messages and the authenticator enrolment."""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app import audit
from app.auth.mfa import recovery, totp
from app.auth.mfa import services as mfa
from app.auth.mfa.forms import TotpCodeForm
from app.auth.models import User
from app.i18n import formatting

WRONG_CODE = _l(
    "That code is not right, has expired or was already used. Enter the newest code from your app."
)
WRONG_RECOVERY_CODE = _l("That recovery code is not right or was already used.")
PASSKEY_FAILED = _l("The passkey could not be checked. Try again, or choose another way.")
EXPIRED = _l("Signing in took more than 5 minutes. Please enter your password again.")


def locked_message(until: datetime) -> str:
    return _(
        "Too many failed attempts. Try again after %(time)s or reset your password.",
        time=formatting.datetime(until),
    )


def enrolment_page(user: User, form: TotpCodeForm, *, action: str) -> str:
    row = totp.factor(user)
    if row is None:  # pragma: no cover - callers start the enrolment first
        raise LookupError("no authenticator app being set up")
    uri = totp.provisioning_uri(row.secret, user.email or "Heed")
    return render_template(
        "auth/mfa_enrol.html",
        form=form,
        qr=Markup(totp.qr_svg(uri)),  # noqa: S704 - SVG built by segno from our own URI
        secret=totp.group(row.secret),
        action=action,
    )


def confirm_enrolment(user: User, form: TotpCodeForm) -> list[str] | None:
    """The first code confirms the app: audited, recovery codes (re)made; None if wrong."""
    if not totp.verify(user=user, code=form.code.data, pending=True):
        return None
    audit.record("auth.mfa_enrolled", object_type="totp", **mfa.about(user))
    codes = recovery.replace_codes(user=user)
    audit.record("auth.recovery_codes_generated", object_type="recovery_code", **mfa.about(user))
    return codes
