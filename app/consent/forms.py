"""Forms of versioned consent: drafting a version, publishing, giving, withdrawing, and
checking a consent PDF someone holds against the stored records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.consent.labels import PURPOSE_LABELS
from app.consent.models import ConsentMethod
from app.forms import BaseForm, MultiCheckboxField, fill_locale_choices, locale_field, text_field

STAFF_METHODS = {
    ConsentMethod.VERBAL: _l("Verbal consent, given to me just now"),
    ConsentMethod.PAPER: _l("Signed paper form, which I have in front of me"),
}


class VersionForm(BaseForm):
    purpose = SelectField(
        _l("Purpose"), choices=[SelectChoice(p.value, label) for p, label in PURPOSE_LABELS.items()]
    )
    locale = locale_field(_l("Language"))
    title = text_field(_l("Title"), max_length=200)
    body = TextAreaField(
        _l("Full text"),
        description=_l("Plain text; an empty line starts a new paragraph."),
        validators=[
            DataRequired(message=_l("This field is required.")),
            Length(max=20000, message=_l("Use at most %(max)d characters.")),
        ],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        fill_locale_choices(self.locale)


class PublishForm(BaseForm):
    material = BooleanField(
        _l("This is a material change: earlier consents to this purpose stop counting")
    )


class MaterialForm(BaseForm):
    """A button: mark an already published version as a material change."""


class GiveForm(BaseForm):
    shown = HiddenField()
    agree = MultiCheckboxField(
        _l("I agree to"),
        choices=[],
        validate_choice=False,
    )
    signed_name = text_field(_l("Type your full name to sign"), max_length=200)
    method = SelectField(
        _l("How the patient gave consent"),
        choices=[SelectChoice(m.value, label) for m, label in STAFF_METHODS.items()],
    )

    def validate_agree(self, field: MultiCheckboxField) -> None:
        if not field.data:
            raise ValidationError(_l("Tick at least one box to agree, or leave this page."))


class WithdrawForm(BaseForm):
    purpose = HiddenField()
    link = HiddenField()
    method = SelectField(
        _l("How the patient withdrew"),
        choices=[SelectChoice(m.value, label) for m, label in STAFF_METHODS.items()],
    )


class VerifyForm(BaseForm):
    pdf = FileField(
        _l("A consent PDF to check"),
        validators=[FileRequired(message=_l("Choose a PDF file."))],
    )
