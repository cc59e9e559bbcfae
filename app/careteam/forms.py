from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from wtforms import BooleanField, DateField, HiddenField, SelectChoice, SelectField, SubmitField
from wtforms.validators import Optional, ValidationError

from app.careteam.models import ConsentChannel, ConsentScope
from app.db import utcnow
from app.forms import (
    BaseForm,
    MultiCheckboxField,
    email_field,
    fill_locale_choices,
    fill_timezone_choices,
    locale_field,
    phone_field,
    text_field,
    timezone_field,
)
from app.labels import SCOPE_LABELS

CONSENT_CHANNEL_LABELS = {
    ConsentChannel.VERBAL: _l("Yes, agreed verbally after hearing the wording below"),
    ConsentChannel.PAPER: _l("Yes, signed the wording below on paper"),
}


def _email_or_phone(form: EnrollForm | CaregiverInviteForm, valid: bool) -> bool:
    """A person must be reachable: email, mobile number, or both."""
    if form.email.data or form.phone.data or form.email.errors or form.phone.errors:
        return valid
    form.email.errors = [
        *form.email.errors,
        _l("Enter an email address or a mobile number (or both)."),
    ]
    return False


class EnrollForm(BaseForm):
    display_name = text_field(_l("Patient's name"), max_length=120)
    email = email_field(_l("Email (optional)"), required=False)
    phone = phone_field(_l("Mobile phone (optional)"))
    locale = locale_field(_l("Preferred language"))
    readable_locales = MultiCheckboxField(_l("Other languages the patient reads"), choices=[])
    timezone = timezone_field(_l("Time zone"))
    sms_consent = SelectField(
        _l("Text-message consent"),
        choices=[
            SelectChoice("", _l("Not asked yet: no text messages")),
            *(SelectChoice(c.value, label) for c, label in CONSENT_CHANNEL_LABELS.items()),
        ],
    )
    submit = SubmitField(_l("Enroll and invite"))

    def __init__(self, *args: object, clinic_zone: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        fill_locale_choices(self.locale, self.readable_locales)
        fill_timezone_choices(self.timezone, [clinic_zone])

    def validate(self, extra_validators: object = None) -> bool:
        return _email_or_phone(self, super().validate(extra_validators))

    def validate_sms_consent(self, field: SelectField) -> None:
        if field.data and not self.phone.data:
            raise ValidationError(_l("Text-message consent needs a mobile number."))


class AddMemberForm(BaseForm):
    member = SelectField(_l("Team member"), choices=[])
    is_lead = BooleanField(_l("Lead clinician"))
    submit = SubmitField(_l("Add to the team"))


class RemoveMemberForm(BaseForm):
    member_id = HiddenField()
    submit = SubmitField(_l("Remove"))


def _future_date(_form: object, field: DateField) -> None:
    if field.data is not None and field.data <= to_user_timezone(utcnow()).date():
        raise ValidationError(_l("Choose a date after today, or leave it empty."))


def scope_choices() -> list[SelectChoice]:
    return [SelectChoice(scope.value, label) for scope, label in SCOPE_LABELS.items()]


class CaregiverScopesForm(BaseForm):
    scopes = MultiCheckboxField(_l("What this person may do"), choices=[])
    expires_on = DateField(
        _l("Until (optional)"),
        validators=[Optional(), _future_date],
        description=_l(
            "Sharing stops at the start of this day. Leave empty to share until you change it."
        ),
    )
    submit = SubmitField(_l("Save sharing"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.scopes.choices = scope_choices()

    def chosen_scopes(self) -> list[ConsentScope]:
        return [ConsentScope(value) for value in self.scopes.data or []]


class CaregiverInviteForm(CaregiverScopesForm):
    display_name = text_field(_l("Their name"), max_length=120)
    relationship_label = text_field(_l("Relationship to you"), max_length=60)
    email = email_field(_l("Their email (optional)"), required=False)
    phone = phone_field(_l("Their mobile phone (optional)"))
    submit = SubmitField(_l("Invite"))

    def validate(self, extra_validators: object = None) -> bool:
        return _email_or_phone(self, super().validate(extra_validators))
