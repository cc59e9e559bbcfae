from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SubmitField

from app.forms import (
    BaseForm,
    current_password_field,
    email_field,
    fill_locale_choices,
    fill_timezone_choices,
    locale_field,
    new_password_fields,
    phone_field,
    timezone_field,
)


class LoginForm(BaseForm):
    email = email_field(_l("Email"))
    password = current_password_field(_l("Password"), required=_l("Enter your password."))
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class ResetRequestForm(BaseForm):
    email = email_field(_l("Email"))
    submit = SubmitField(_l("Send me a reset link"))


class SetPasswordForm(BaseForm):
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Save password"))


class ChangePasswordForm(BaseForm):
    """The signed-in person's own password: the current one, then the new one twice."""

    current_password = current_password_field(
        _l("Current password"), required=_l("Enter your current password.")
    )
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Change password"))


class PreferencesForm(BaseForm):
    locale = locale_field(_l("Language"))
    timezone = timezone_field(_l("Time zone"))
    phone = phone_field(_l("Mobile phone (optional)"))
    submit = SubmitField(_l("Save settings"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        fill_locale_choices(self.locale)
        user = kwargs.get("obj")
        clinic = getattr(user, "clinic", None)
        fill_timezone_choices(
            self.timezone, [getattr(user, "timezone", None), clinic.timezone if clinic else None]
        )


class SmsConsentForm(BaseForm):
    """Agree to, or stop, text messages (the wording shown is stored with the consent)."""

    agree = SubmitField(_l("I agree to receive text messages"))
    stop = SubmitField(_l("Stop all text messages"))


class OnboardingForm(BaseForm):
    """Finish or skip the introduction (the page to continue to travels as `next`)."""

    next = HiddenField()
    finish = SubmitField(_l("Start using Heed"))
    skip = SubmitField(_l("Skip the introduction"))
