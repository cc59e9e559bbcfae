from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from app.forms import BaseForm


class EraseForm(BaseForm):
    password = PasswordField(
        _l("Your password"),
        validators=[
            DataRequired(message=_l("Enter your password.")),
            Length(max=128, message=_l("That password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    understood = BooleanField(
        _l("I understand that this cannot be undone and that I will no longer be able to sign in."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Erase my data"))
