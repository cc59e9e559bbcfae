"""The personal access token forms (Settings → Access tokens)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from app.api.models import TokenScope
from app.forms import BaseForm

SCOPE_LABELS = {
    TokenScope.READ: _l("Read only: see what you may see in Heed"),
    TokenScope.WRITE: _l("Read and write: also fill in diary days"),
}


class TokenForm(BaseForm):
    name = StringField(
        _l("Name"),
        description=_l("What the token is for, so you recognise it later."),
        validators=[DataRequired(), Length(max=80)],
    )
    scope = RadioField(
        _l("What it may do"),
        choices=[SelectChoice(scope.value, label) for scope, label in SCOPE_LABELS.items()],
        default=TokenScope.READ.value,
        validators=[InputRequired()],
    )
    days = SelectField(
        _l("Expires after"),
        coerce=int,
        choices=[
            SelectChoice(30, _l("30 days")),
            SelectChoice(90, _l("90 days")),
            SelectChoice(365, _l("1 year")),
        ],
        default=90,
    )
    submit = SubmitField(_l("Create token"))


class RevokeForm(BaseForm):
    token_id = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Revoke"))
