from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from app.auth.models import Role
from app.forms import BaseForm, email_field, text_field
from app.labels import DISCIPLINE_LABELS, ROLE_LABELS

STAFF_ROLES = (Role.CLINICIAN, Role.COORDINATOR, Role.ADMIN)


class InviteStaffForm(BaseForm):
    display_name = text_field(_l("Name"), max_length=120)
    email = email_field(_l("Email"))
    role = SelectField(
        _l("Role"), choices=[SelectChoice(r.value, ROLE_LABELS[r]) for r in STAFF_ROLES]
    )
    discipline = SelectField(
        _l("Discipline (clinicians only)"),
        choices=[
            SelectChoice("", _l("None")),
            *(SelectChoice(d.value, label) for d, label in DISCIPLINE_LABELS.items()),
        ],
    )
    clinic = SelectField(_l("Clinic"), choices=[])
    submit = SubmitField(_l("Send invitation"))

    def validate_discipline(self, field: SelectField) -> None:
        if self.role.data == Role.CLINICIAN and not field.data:
            raise ValidationError(_l("Choose the clinician's discipline."))
        if self.role.data != Role.CLINICIAN and field.data:
            raise ValidationError(_l("Only clinicians have a discipline."))


class BreakGlassForm(BaseForm):
    patient_ref = StringField(
        _l("Patient reference"),
        validators=[DataRequired(message=_l("Enter the patient reference."))],
        description=_l("The record reference given to you by the care team."),
    )
    reason = TextAreaField(
        _l("Reason for emergency access"),
        validators=[
            DataRequired(message=_l("Explain why you need access.")),
            Length(min=10, max=500, message=_l("Use between %(min)d and %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Open the record (logged)"))

    def validate_patient_ref(self, field: StringField) -> None:
        try:
            uuid.UUID(field.data.strip())
        except ValueError as exc:
            raise ValidationError(_l("That is not a valid patient reference.")) from exc
