"""The reminder schedule forms: patients set the diary reminder, caregivers the weekly check-in.

Each role's form holds only the fields its page shows, so a field a person never sees can
neither block the save nor change their schedule."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField, SubmitField, TimeField
from wtforms.validators import InputRequired, ValidationError

from app.forms import BaseForm

WEEKDAYS = [
    SelectChoice(0, _l("Monday")),
    SelectChoice(1, _l("Tuesday")),
    SelectChoice(2, _l("Wednesday")),
    SelectChoice(3, _l("Thursday")),
    SelectChoice(4, _l("Friday")),
    SelectChoice(5, _l("Saturday")),
    SelectChoice(6, _l("Sunday")),
]
NOT_SCHEDULE = frozenset({"csrf_token", "submit"})


def _time(label):
    return TimeField(label, validators=[InputRequired(message=_l("Enter a time like 19:30."))])


class QuietHoursForm(BaseForm):
    quiet_start = _time(_l("Quiet hours start"))
    quiet_end = _time(_l("Quiet hours end"))
    submit = SubmitField(_l("Save reminders"))

    def validate_quiet_end(self, field) -> None:
        if self.quiet_start.data is not None and field.data == self.quiet_start.data:
            raise ValidationError(_l("Quiet hours must start and end at different times."))

    def schedule_changes(self) -> dict[str, Any]:
        """The schedule fields this form shows, as keyword arguments for `update_schedule`."""
        return {name: value for name, value in self.data.items() if name not in NOT_SCHEDULE}


class PatientScheduleForm(QuietHoursForm):
    diary_enabled = BooleanField(_l("Send me a daily diary reminder"))
    diary_time = _time(_l("Diary reminder time"))
    sms_diary_replies = BooleanField(_l("Let me answer the quick diary by replying to the text"))


class CaregiverScheduleForm(QuietHoursForm):
    checkin_weekday = SelectField(_l("Check-in day"), choices=WEEKDAYS, coerce=int)
    checkin_time = _time(_l("Check-in time"))
