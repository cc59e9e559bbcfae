from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.forms import BaseForm, new_password_fields
from app.i18n import timezone_choices, valid_timezone
from app.security import InvalidPhoneNumber, normalize_phone

EMAIL_MAX = 254


def _email_field(label: str) -> EmailField:
    return EmailField(
        label,
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=EMAIL_MAX, message=_l("That email address is too long.")),
            Email(
                message=_l("Enter a valid email address, like name@example.org."),
                check_deliverability=False,
            ),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


class LoginForm(BaseForm):
    email = _email_field(_l("Email"))
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Enter your password.")),
            Length(max=128, message=_l("That password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class ResetRequestForm(BaseForm):
    email = _email_field(_l("Email"))
    submit = SubmitField(_l("Send me a reset link"))


class SetPasswordForm(BaseForm):
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Save password"))


class PreferencesForm(BaseForm):
    locale = SelectField(_l("Language"), choices=[])
    timezone = SelectField(_l("Time zone"), choices=[])
    phone = StringField(
        _l("Mobile phone (optional)"),
        validators=[Optional(), Length(max=32, message=_l("That phone number is too long."))],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    submit = SubmitField(_l("Save settings"))

    def __init__(self, *args: object, locales: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = [
            SelectChoice(code, name, render_kw={"lang": code}) for code, name in locales.items()
        ]
        self.timezone.choices = [SelectChoice(tz) for tz in timezone_choices()]

    def validate_timezone(self, field: SelectField) -> None:
        if valid_timezone(field.data) is None:
            raise ValidationError(_l("Choose a time zone from the list."))

    def validate_phone(self, field: StringField) -> None:
        try:
            field.data = normalize_phone(field.data)
        except InvalidPhoneNumber as exc:
            raise ValidationError(
                _l("Enter a valid mobile number, with the country code, like +1 202 555 0143.")
            ) from exc
