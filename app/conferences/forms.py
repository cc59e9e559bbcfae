"""Forms of case conferences: schedule, nominate/remove, attendance, note, decision, closing."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.conferences.labels import ACTION_KIND_LABELS, MODALITY_LABELS
from app.conferences.models import ActionKind, Modality
from app.conferences.services import TEXT_MAX
from app.forms import BaseForm

TOO_LONG = _l("Keep it under 4000 characters.")


def _text(label, *, required: bool = False) -> TextAreaField:
    first = DataRequired(message=_l("Give a reason.")) if required else Optional()
    return TextAreaField(label, [first, Length(max=TEXT_MAX, message=TOO_LONG)])


class ScheduleForm(BaseForm):
    day = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter a date."))])
    at = TimeField(_l("Time"), validators=[InputRequired(message=_l("Enter a time."))])
    modality = RadioField(
        _l("How"),
        choices=[SelectChoice(m.value, MODALITY_LABELS[m]) for m in Modality],
        default=Modality.IN_PERSON.value,
        validators=[InputRequired(message=_l("Choose in person or video call."))],
    )
    video_url = URLField(_l("Video link"), validators=[Optional(), Length(max=500)])
    members = SelectMultipleField(
        _l("Invite"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Invite at least one member."))],
        validate_choice=False,  # an unknown member is refused by the service, field marked
    )

    def validate(self, extra_validators=None) -> bool:  # type: ignore[override]
        ok = super().validate(extra_validators)
        link = (self.video_url.data or "").strip()
        self.video_url.data = link or None
        if self.modality.data == Modality.VIDEO:
            parts = urlsplit(link)
            if parts.scheme != "https" or not parts.netloc:
                self.video_url.errors = [
                    *self.video_url.errors,
                    _l("Enter a secure link that starts with https://."),
                ]
                ok = False
        return ok


class NominateForm(BaseForm):
    patient = SelectField(
        _l("Patient"),
        choices=[],
        validators=[DataRequired(message=_l("Choose a patient."))],
        validate_choice=False,  # checked by the service against the invited teams' patients
    )
    reason = _text(_l("Why discuss this patient?"), required=True)


class RemoveForm(BaseForm):
    reason = _text(_l("Why take this patient off the agenda?"), required=True)


class NoteForm(BaseForm):
    discussed = TextAreaField(
        _l("What was discussed"),
        [
            DataRequired(message=_l("Write what was discussed.")),
            Length(max=TEXT_MAX, message=TOO_LONG),
        ],
    )
    hypotheses = _text(_l("Working hypotheses"))
    disagreements = _text(_l("Disagreements"))
    uncertainty = _text(_l("What remains uncertain"))


class ActionForm(BaseForm):
    kind = SelectField(
        _l("Decision"),
        choices=[SelectChoice(k.value, ACTION_KIND_LABELS[k]) for k in ActionKind],
        validators=[DataRequired(message=_l("Choose a kind of decision."))],
    )
    description = TextAreaField(
        _l("What exactly"),
        [
            DataRequired(message=_l("Describe the decision.")),
            Length(max=TEXT_MAX, message=TOO_LONG),
        ],
    )
    owner = SelectField(_l("Owner"), validators=[DataRequired(message=_l("Choose an owner."))])
    due_on = DateField(_l("Due"), validators=[InputRequired(message=_l("Enter a date."))])


class CloseForm(BaseForm):
    reason = _text(_l("Reason (needed to decline)"))


class PlainForm(BaseForm):
    """CSRF only: freeze, start, finish, and attendance (one radio group per member, named
    `attendance-<member id>`, read by the view)."""
