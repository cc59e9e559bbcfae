"""Alert forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import BaseForm


class AcknowledgeForm(BaseForm):
    note = TextAreaField(
        _l("Note"),
        validators=[
            DataRequired(message=_l("Write a short note on what was done.")),
            Length(max=1000),
        ],
    )
