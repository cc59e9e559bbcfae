"""Forms: the phone simulator's reply box and the magic-link confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import BaseForm


class SimulatorReplyForm(BaseForm):
    phone = HiddenField(validators=[DataRequired()])
    body = StringField(
        _l("Reply as this phone"),
        validators=[DataRequired(message=_l("Type a reply.")), Length(max=320)],
    )


class MagicLinkForm(BaseForm):
    """Only CSRF: opening the task is a POST so link previews cannot use the link up."""
