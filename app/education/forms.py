"""Education forms: a clinician recommends a lesson or attaches one to a care-plan item; the
patient marks a practice done (or undone) for one of the last days."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired

from app.education.content import LESSONS, PATIENT_KEYS
from app.forms import BaseForm
from app.i18n import formatting

PRACTICE_BACKFILL_DAYS = 6  # today and the six days before, like the diary's quick entry


class RecommendForm(BaseForm):
    lesson = SelectField(_l("Lesson"), validators=[DataRequired(message=_l("Choose a lesson."))])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.lesson.choices = [("", _l("Choose a lesson"))] + [
            (k, LESSONS[k].title) for k in PATIENT_KEYS
        ]


class AttachForm(RecommendForm):
    item = SelectField(
        _l("Goal or intervention"),
        validators=[DataRequired(message=_l("Choose a goal or an intervention."))],
    )

    def __init__(self, *args: object, items: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.item.choices = [("", _l("Choose a goal or an intervention")), *items]


class PracticeForm(BaseForm):
    day = SelectField(_l("Day"), validators=[DataRequired(message=_l("Choose a day."))])
    undo = HiddenField()

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        days = [today - timedelta(days=n) for n in range(PRACTICE_BACKFILL_DAYS + 1)]
        self.day.choices = [(d.isoformat(), formatting.weekday_day(d)) for d in days]
        if not self.day.data:
            self.day.data = today.isoformat()

    @property
    def chosen_day(self) -> date:
        return date.fromisoformat(self.day.data)
