"""Forms. Questionnaire forms are generated from definitions, never written per instrument."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.forms import BaseForm, IntegerField, MultiCheckboxField
from app.i18n.formatting import viewer_today
from app.instruments.loader import Definition, Item
from app.instruments.models import ScheduleKind

FIELD_PREFIX = "item_"


def questionnaire_form(
    definition: Definition, locale: str, items: tuple[Item, ...], **kwargs: object
) -> BaseForm:
    """A form with one radio group per item, labelled in `locale` (an official text).

    Choices are not validated by WTForms: app.instruments.scoring.check_answers judges every
    posted value (including items the definition does not have) before anything is written.
    """
    text = definition.translations[locale]

    class QuestionnaireForm(BaseForm):
        submission_key = HiddenField()
        action = HiddenField()

    for item in items:
        labels = text.options[item.options]
        field = RadioField(
            text.items[item.id],
            choices=[SelectChoice(str(v), labels[str(v)]) for v in definition.values_for(item)],
            validate_choice=False,
            validators=[Optional()],
        )
        setattr(QuestionnaireForm, f"{FIELD_PREFIX}{item.id}", field)
    return QuestionnaireForm(**kwargs)


def posted_answers(formdata: dict[str, str]) -> dict[str, str]:
    """Every posted item answer, known to the definition or not (blank means unanswered)."""
    return {
        key.removeprefix(FIELD_PREFIX): value
        for key, value in formdata.items()
        if key.startswith(FIELD_PREFIX) and value != ""
    }


WEEKDAY_CHOICES = [
    SelectChoice("0", _l("Monday")),
    SelectChoice("1", _l("Tuesday")),
    SelectChoice("2", _l("Wednesday")),
    SelectChoice("3", _l("Thursday")),
    SelectChoice("4", _l("Friday")),
    SelectChoice("5", _l("Saturday")),
    SelectChoice("6", _l("Sunday")),
]
SCHEDULE_CHOICES = [
    SelectChoice(ScheduleKind.ONCE.value, _l("Once")),
    SelectChoice(ScheduleKind.EVERY_N_DAYS.value, _l("Every N days")),
    SelectChoice(ScheduleKind.WEEKLY.value, _l("Weekly on chosen days")),
    SelectChoice(ScheduleKind.BEFORE_FOLLOWUP.value, _l("N days before each follow-up")),
]


class AssignmentForm(BaseForm):
    instrument = SelectField(_l("Questionnaire"), validators=[DataRequired()])
    schedule_kind = RadioField(
        _l("Schedule"), choices=SCHEDULE_CHOICES, default=ScheduleKind.EVERY_N_DAYS.value
    )
    start_date = DateField(
        _l("First due date"),
        default=viewer_today,
        validators=[InputRequired(message=_l("Enter a date."))],
    )
    interval_days = IntegerField(
        _l("Every how many days"), default=14, validators=[Optional(), NumberRange(1, 365)]
    )
    weekdays = MultiCheckboxField(_l("On these days"), choices=WEEKDAY_CHOICES)
    days_before = IntegerField(
        _l("Days before each follow-up"), default=3, validators=[Optional(), NumberRange(0, 60)]
    )
    window_days = IntegerField(
        _l("Days the questionnaire stays open"),
        default=3,
        validators=[InputRequired(message=_l("Enter a number.")), NumberRange(1, 60)],
    )

    def validate(self, extra_validators=None) -> bool:  # type: ignore[override]
        ok = super().validate(extra_validators)
        kind = self.schedule_kind.data
        if kind == ScheduleKind.EVERY_N_DAYS and not self.interval_days.data:
            self.interval_days.errors = [*self.interval_days.errors, _l("Enter a number of days.")]
            ok = False
        if kind == ScheduleKind.WEEKLY and not self.weekdays.data:
            self.weekdays.errors = [*self.weekdays.errors, _l("Choose at least one day.")]
            ok = False
        if kind == ScheduleKind.BEFORE_FOLLOWUP and self.days_before.data is None:
            self.days_before.errors = [*self.days_before.errors, _l("Enter a number of days.")]
            ok = False
        return ok


class AssignmentStatusForm(BaseForm):
    status = HiddenField(validators=[DataRequired()])


# The patient record's `menstruates` (None: not recorded) as the form's choice values.
PERIOD_ITEM_VALUES: dict[str, bool | None] = {
    "unknown": None,
    "applies": True,
    "not_applicable": False,
}


class PeriodItemForm(BaseForm):
    """Whether PHQ-15 item 4 (periods) applies; the definition asks it unless known not to."""

    applies = RadioField(
        _l("PHQ-15 item 4: menstrual cramps or other problems with periods"),
        choices=[
            SelectChoice("unknown", _l("Not recorded: the item is asked")),
            SelectChoice("applies", _l("Applies: the item is asked")),
            SelectChoice("not_applicable", _l("Does not apply: the item is left out")),
        ],
        validators=[InputRequired(message=_l("Choose one of the options."))],
    )

    @staticmethod
    def value_of(menstruates: bool | None) -> str:
        return next(key for key, value in PERIOD_ITEM_VALUES.items() if value is menstruates)


def _scale(label: object) -> RadioField:
    return RadioField(
        label,
        choices=[SelectChoice(str(n), str(n)) for n in range(11)],
        validators=[InputRequired(message=_l("Choose a number from 0 to 10."))],
    )


class CheckinForm(BaseForm):
    """Custom, non-validated caregiver items (0-10 each)."""

    submission_key = HiddenField()
    observed_function = _scale(
        _l("How well did they manage everyday tasks today? (0 not at all, 10 fully)")
    )
    observed_activity = _scale(_l("How active were they today? (0 not at all, 10 very active)"))
    own_strain = _scale(_l("How strained do you feel yourself today? (0 not at all, 10 extremely)"))


class NeedReviewForm(BaseForm):
    """A clinician's review of one positive social-needs domain."""

    decision = RadioField(
        _l("Is this need confirmed with the patient?"),
        choices=[
            SelectChoice("confirmed", _l("Confirmed with the patient")),
            SelectChoice("not_confirmed", _l("Not confirmed")),
        ],
        validators=[InputRequired(message=_l("Choose one."))],
    )
