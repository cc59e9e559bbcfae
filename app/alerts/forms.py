"""Alert forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.alerts.models import NOTE_MAX
from app.forms import BaseForm, IntegerField


class AcknowledgeForm(BaseForm):
    note = TextAreaField(
        _l("Note"),
        validators=[
            DataRequired(message=_l("Write a short note on what was done.")),
            Length(max=NOTE_MAX, message=_l("Use at most %(max)d characters.")),
        ],
    )


class AlertSettingsForm(BaseForm):
    no_diary_days = IntegerField(
        _l("Alert when there is no diary entry for this many days"),
        validators=[
            InputRequired(message=_l("Enter a number of days.")),
            NumberRange(min=1, max=60, message=_l("Use a whole number from %(min)d to %(max)d.")),
        ],
    )
    symptom_rise_points = IntegerField(
        _l("Alert when a symptom stays this many points above usual for 3 days"),
        validators=[
            InputRequired(message=_l("Enter a number of points.")),
            NumberRange(min=1, max=10, message=_l("Use a whole number from %(min)d to %(max)d.")),
        ],
    )
    worsening_alerts = BooleanField(
        _l("Alert when a questionnaire score worsens beyond its threshold")
    )
    submit = SubmitField(_l("Save thresholds"))
