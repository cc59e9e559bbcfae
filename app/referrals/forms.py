"""Referral forms: a new referral (or a re-routed one), a status change, an outside service's
answer, the patient's answer, a directory entry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import BaseForm, MultiCheckboxField, email_field, text_field
from app.referrals.labels import (
    ANSWER_LABELS,
    HELP_KINDS,
    SHARE_LABELS,
    TARGET_LABELS,
    URGENCY_LABELS,
)
from app.referrals.models import TEXT_MAX, PatientAnswer, TargetKind, Urgency

TOO_LONG = _l("Use at most %(max)d characters.")


def _text(label: str, *, required: str | None, description: str | None = None) -> TextAreaField:
    first = DataRequired(message=required) if required else Optional()
    return TextAreaField(
        label,
        validators=[first, Length(max=TEXT_MAX, message=TOO_LONG)],
        description=description,
    )


class ReferralForm(BaseForm):
    target_kind = RadioField(
        _l("Refer to"),
        choices=[SelectChoice(k.value, TARGET_LABELS[k]) for k in TargetKind],
        default=TargetKind.DISCIPLINE.value,
        validators=[InputRequired(message=_l("Choose who the referral goes to."))],
    )
    discipline = SelectField(_l("Discipline"), choices=[], validate_choice=False)
    clinician = SelectField(_l("Clinician"), choices=[], validate_choice=False)
    service = SelectField(_l("Service from the directory"), choices=[], validate_choice=False)
    need = HiddenField()
    reason = _text(_l("Reason for the referral"), required=_l("Give the reason for the referral."))
    question = _text(_l("Question to answer (optional)"), required=None)
    urgency = RadioField(
        _l("Urgency"),
        choices=[SelectChoice(u.value, URGENCY_LABELS[u]) for u in Urgency],
        default=Urgency.ROUTINE.value,
        validators=[InputRequired(message=_l("Choose how urgent it is."))],
    )
    shared = MultiCheckboxField(
        _l("What the receiver may see"),
        choices=[SelectChoice(k, v) for k, v in SHARE_LABELS.items()],
        default=["reason"],
    )
    consent = BooleanField(
        _l("The patient agreed to share what is ticked above with this service"),
    )


class StatusForm(BaseForm):
    status = HiddenField(validators=[DataRequired()])
    note = _text(_l("Reason or outcome"), required=None)


class LinkAnswerForm(BaseForm):
    status = HiddenField(validators=[DataRequired()])
    note = _text(_l("Reason or outcome"), required=None)


class PatientAnswerForm(BaseForm):
    answer = RadioField(
        _l("Did you get help?"),
        choices=[SelectChoice(a.value, ANSWER_LABELS[a]) for a in PatientAnswer],
        validators=[InputRequired(message=_l("Choose an answer."))],
    )


class ServiceForm(BaseForm):
    name = text_field(_l("Name"), max_length=200)
    help_kinds = MultiCheckboxField(
        _l("Kinds of help"),
        choices=[SelectChoice(k, v) for k, v in HELP_KINDS.items()],
        validators=[DataRequired(message=_l("Choose at least one kind of help."))],
    )
    languages = MultiCheckboxField(_l("Languages spoken"), choices=[])
    address = text_field(_l("Address"), max_length=300, required=False)
    phone = text_field(_l("Phone"), max_length=40, required=False)
    email = email_field(_l("Email for referrals (optional)"), required=False)
    hours = text_field(_l("Opening hours"), max_length=200, required=False)
    accepts = text_field(_l("How it accepts referrals"), max_length=300, required=False)
    active = BooleanField(_l("Active (offered for new referrals)"), default=True)
