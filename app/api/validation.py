"""A refused body's field errors in the caller's language: each pydantic error type the API's
schemas can produce has a translatable message that carries its limits (`ctx`); any other type
gets a generic translated message, so pydantic's English never reaches the caller."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.api.schemas import TIME

WHOLE_NUMBER = _l("Enter a whole number.")
A_DATE = _l("Enter a date as YYYY-MM-DD.")
MESSAGES = {
    "missing": _l("This value is required."),
    "int_type": WHOLE_NUMBER,
    "int_parsing": WHOLE_NUMBER,
    "int_from_float": WHOLE_NUMBER,
    "string_type": _l("Enter text."),
    "string_too_long": _l("At most %(max_length)s characters."),
    "string_too_short": _l("At least %(min_length)s characters."),
    "string_pattern_mismatch": _l("This value is not in the expected format."),
    "greater_than_equal": _l("At least %(ge)s."),
    "less_than_equal": _l("At most %(le)s."),
    "greater_than": _l("More than %(gt)s."),
    "less_than": _l("Less than %(lt)s."),
    "list_type": _l("Send a list."),
    "too_long": _l("At most %(max_length)s items."),
    "too_short": _l("At least %(min_length)s items."),
    "literal_error": _l("Choose one of: %(expected)s."),
    "enum": _l("Choose one of: %(expected)s."),
    "date_type": A_DATE,
    "date_parsing": A_DATE,
    "date_from_datetime_parsing": A_DATE,
    "datetime_type": _l("Enter a date and time (ISO 8601)."),
    "datetime_parsing": _l("Enter a date and time (ISO 8601)."),
    "bool_type": _l("Enter true or false."),
    "bool_parsing": _l("Enter true or false."),
    "dict_type": _l("Send a JSON object."),
    "model_type": _l("Send a JSON object."),
    "extra_forbidden": _l("This field is not known."),
    # The diary body's own checks (`schemas.DiaryBody`).
    "unknown_field": _l("This field is not known."),
    "symptom_score": _l("A whole number from 0 to 10."),
    "site_code": _l("A body site code."),
}
PATTERNS = {TIME: _l("Enter a time as HH:MM (24-hour clock).")}
GENERIC = _l("This value is not valid.")
_QUOTED = re.compile(r"'([^']*)'")


def message(error: ErrorDetails) -> str:
    """The error's message in the current locale, with its limits."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in PATTERNS:
        return str(PATTERNS[ctx["pattern"]])
    if "expected" in ctx:  # pydantic's "'a', 'b' or 'c'": the values without the English "or"
        ctx["expected"] = ", ".join(_QUOTED.findall(str(ctx["expected"]))) or ctx["expected"]
    template = MESSAGES.get(kind)
    if template is None:
        return str(GENERIC)
    try:
        return str(template) % {key: _plain(value) for key, value in ctx.items()}
    except (KeyError, TypeError, ValueError):
        return str(GENERIC)


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float | str) else str(value)


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """`[{field, detail, type}]`: the field by its name in the body (a diary check names its
    own), the localized detail, pydantic's error type for programs."""
    found = []
    for error in exc.errors(include_url=False):
        ctx = error.get("ctx") or {}
        field = ".".join(str(part) for part in error["loc"]) or str(ctx.get("field", "body"))
        found.append({"field": field, "detail": message(error), "type": error["type"]})
    return found
