"""The one base form (CSRF on) and field helpers shared by every feature."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import wtforms
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    Field,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.i18n import valid_timezone
from app.i18n.names import locale_names
from app.i18n.zones import grouped_zones, likely_zones
from app.security import InvalidPhoneNumber, normalize_phone


def uuid_or_none(raw: object) -> uuid.UUID | None:
    """A UUID posted in a form field (hidden ids, submission keys), or None when it is not one.
    Ids in a URL are typed by the route instead (``<uuid:...>``, see app/web)."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


class BaseForm(FlaskForm):
    """Every form inherits CSRF protection; built-in WTForms messages follow the user's locale."""


PASSWORD_MIN, PASSWORD_MAX = 10, 128
INT_LIMIT = 2**31 - 1  # what a database INTEGER holds on every backend


class IntegerField(wtforms.IntegerField):
    """WTForms' IntegerField, refusing a number no INTEGER column could hold: a huge number is
    the field's usual "not a valid number" error, never an overflow in a validator or the
    database."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > INT_LIMIT:
            self.data = None
            raise ValueError(
                self.invalid_value_message or self.gettext("Not a valid integer value.")
            )


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def email_field(label: str, *, required: bool = True) -> EmailField:
    first = DataRequired(message=_l("Enter your email address.")) if required else Optional()
    return EmailField(
        label,
        validators=[
            first,
            Length(max=254, message=_l("That email address is too long.")),
            Email(
                message=_l("Enter a valid email address, like name@example.org."),
                check_deliverability=False,
            ),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


def _valid_phone(_form: Any, field: Field) -> None:
    if not field.data:
        return
    try:
        field.data = normalize_phone(field.data)
    except InvalidPhoneNumber as exc:
        raise ValidationError(
            _l("Enter a valid mobile number, with the country code, like +1 202 555 0143.")
        ) from exc


def phone_field(label: str) -> StringField:
    """Optional mobile number; valid input is normalized to E.164."""
    return StringField(
        label,
        validators=[
            Optional(),
            Length(max=32, message=_l("That phone number is too long.")),
            _valid_phone,
        ],
        filters=[_strip],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )


def text_field(label: str, *, max_length: int, required: bool = True) -> StringField:
    first = DataRequired(message=_l("This field is required.")) if required else Optional()
    return StringField(
        label,
        validators=[first, Length(max=max_length, message=_l("Use at most %(max)d characters."))],
        filters=[_strip],
    )


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered in a fieldset by the `checkboxes` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def locale_field(label: str) -> SelectField:
    return SelectField(label, choices=[])


def timezone_field(label: str) -> SelectField:
    """A time-zone picker; app/static/js/timezone.js adds a search box (labels below)."""
    return SelectField(
        label,
        choices=[],
        validators=[_valid_timezone],
        render_kw={
            "data-zone-search": _l("Search time zones"),
            "data-zone-hint": _l("Type a city, country or region, like Mexico or Berlin."),
            "data-zone-none": _l("No time zone matches. Try another city."),
        },
    )


def _valid_timezone(_form: Any, field: Field) -> None:
    if valid_timezone(field.data) is None:
        raise ValidationError(_l("Choose a time zone from the list."))


def fill_locale_choices(*fields: SelectField | SelectMultipleField) -> None:
    """Languages named in their own language; called per request (needs an app context)."""
    names = locale_names()
    for field in fields:
        field.choices = [
            SelectChoice(code, name, render_kw={"lang": code}) for code, name in names.items()
        ]


def fill_timezone_choices(field: SelectField, likely: Sequence[str | None] = ()) -> None:
    """Zones grouped by region (one <optgroup> each, names in the viewer's language), the
    person's likely zones first (`likely`: their zone, their clinic's; see app.i18n.zones).
    Called per request (needs the locale)."""
    groups = grouped_zones(str(get_locale()), likely_zones(likely))
    field.choices = {
        group: [SelectChoice(zone, label) for zone, label in options] for group, options in groups
    }


def current_password_field(label: str, *, required: str) -> PasswordField:
    """The person's present password (sign-in, changing it, confirming a sensitive step)."""
    return PasswordField(
        label,
        validators=[
            DataRequired(message=required),
            Length(max=PASSWORD_MAX, message=_l("That password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Enter a password.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l("Use between %(min)d and %(max)d characters."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm
