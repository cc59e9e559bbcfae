"""The experience-survey form, generated from the instrument definition (never per instrument).
Items may be left unanswered (the survey is voluntary); at least one must be answered."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.forms import BaseForm
from app.prems.instruments import PremInstrument

FIELD_PREFIX = "item_"
NOTHING_ANSWERED = _l("Answer at least one question, or leave this page to skip the survey.")


class SurveyForm(BaseForm):
    def answers(self, instrument: PremInstrument) -> dict[str, int | None]:
        found: dict[str, int | None] = {}
        for item_id in instrument.item_ids:
            data = self[FIELD_PREFIX + item_id].data
            found[item_id] = int(data) if data not in (None, "", "None") else None
        return found


def survey_form(instrument: PremInstrument, **kwargs: object) -> SurveyForm:
    """One radio group per item, in the instrument's own language (exact text)."""

    class Form(SurveyForm):
        pass

    choices = [SelectChoice(str(value), label) for value, label in instrument.options]
    for item_id, text in instrument.items:
        setattr(
            Form, FIELD_PREFIX + item_id, RadioField(text, choices=choices, validators=[Optional()])
        )
    return Form(**kwargs)
