"""The follow-up scheduling form: a local date and time in the patient's zone, a clinician on
the team, in person or telehealth with a link."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.followups.models import AppointmentStatus, Modality
from app.forms import BaseForm

MODALITY_LABELS = {Modality.IN_PERSON: _l("In person"), Modality.TELEHEALTH: _l("Telehealth")}
STATUS_LABELS = {
    AppointmentStatus.PLANNED: _l("Planned"),
    AppointmentStatus.DONE: _l("Done"),
    AppointmentStatus.MISSED: _l("Missed"),
    AppointmentStatus.CANCELLED: _l("Cancelled"),
}


class ScheduleForm(BaseForm):
    clinician = SelectField(
        _l("With"), validators=[DataRequired(message=_l("Choose a clinician."))]
    )
    day = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter a date."))])
    at = TimeField(_l("Time"), validators=[InputRequired(message=_l("Enter a time."))])
    modality = RadioField(
        _l("How"),
        choices=[SelectChoice(m.value, MODALITY_LABELS[m]) for m in Modality],
        default=Modality.IN_PERSON.value,
        validators=[InputRequired(message=_l("Choose in person or telehealth."))],
    )
    telehealth_url = URLField(
        _l("Video link (telehealth)"),
        validators=[Optional(), Length(max=500)],
        description=_l("The https:// link the patient uses to join."),
    )

    def validate(self, extra_validators=None) -> bool:  # type: ignore[override]
        ok = super().validate(extra_validators)
        link = (self.telehealth_url.data or "").strip()
        self.telehealth_url.data = link or None
        if self.modality.data == Modality.TELEHEALTH:
            parts = urlsplit(link)
            if not link:
                self.telehealth_url.errors = [
                    *self.telehealth_url.errors,
                    _l("Enter the video link for a telehealth follow-up."),
                ]
                ok = False
            elif parts.scheme != "https" or not parts.netloc:
                self.telehealth_url.errors = [
                    *self.telehealth_url.errors,
                    _l("Enter a secure link that starts with https://."),
                ]
                ok = False
        return ok


class StatusForm(BaseForm):
    status = HiddenField(validators=[DataRequired()])
