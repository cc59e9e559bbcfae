from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import BaseForm, current_password_field, email_field


def _code_field(label: str, *, numeric: bool) -> StringField:
    render = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
    if numeric:
        render["inputmode"] = "numeric"
    return StringField(
        label,
        validators=[
            DataRequired(message=_l("Enter the code.")),
            Length(max=24, message=_l("That code is too long.")),
        ],
        render_kw=render,
    )


class TotpCodeForm(BaseForm):
    code = _code_field(_l("6-digit code from your authenticator app"), numeric=True)
    submit = SubmitField(_l("Continue"))


class RecoveryCodeForm(BaseForm):
    code = _code_field(_l("Recovery code"), numeric=False)
    submit = SubmitField(_l("Continue"))


class RegenerateForm(BaseForm):
    """New recovery codes need a fresh second factor: a current authenticator code (or, for
    people without an authenticator app, a passkey used in the last five minutes)."""

    code = StringField(
        _l("6-digit code from your authenticator app"),
        validators=[Length(max=24, message=_l("That code is too long."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Create new recovery codes"))


class ConfirmPasswordForm(BaseForm):
    password = current_password_field(_l("Your password"), required=_l("Enter your password."))
    submit = SubmitField(_l("Remove"))


class PasskeyNameForm(BaseForm):
    name = StringField(
        _l("Name of this passkey"),
        description=_l("So you can tell your keys apart, for example “Work laptop”."),
        validators=[
            DataRequired(message=_l("Give the passkey a name.")),
            Length(max=60, message=_l("Use at most 60 characters.")),
        ],
    )
    submit = SubmitField(_l("Add a passkey"))


class ResetSecondFactorForm(BaseForm):
    email = email_field(_l("Their sign-in email"))
    reason = TextAreaField(
        _l("Reason"),
        description=_l("For example how you checked who asked. Logged; the person is told."),
        validators=[
            DataRequired(message=_l("Write the reason for the reset.")),
            Length(max=500, message=_l("Use at most 500 characters.")),
        ],
    )
    submit = SubmitField(_l("Reset the second factor"))
