"""Cursor pagination: a page of items after an opaque cursor (the sort key of the last item
the caller saw), and the cursor of the next page when there is one."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _

from app.api.problems import Problem, field_errors

T = TypeVar("T")
DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def encode(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode(cursor: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise Problem(
            400, errors=field_errors({"cursor": _("Not a cursor this API gave.")})
        ) from None


def limit() -> int:
    raw = request.args.get("limit", str(DEFAULT_LIMIT))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise Problem(
            400,
            errors=field_errors({"limit": _("A whole number from 1 to %(most)s.", most=MAX_LIMIT)}),
        )
    return int(raw)


def page(
    items: Sequence[T], *, key: Callable[[T], Any], render: Callable[[T], dict[str, Any]]
) -> dict[str, Any]:
    """`items` sorted by `key` (ascending, unique); the page after `?cursor=`, `?limit=` long."""
    size = limit()
    raw = request.args.get("cursor")
    after = decode(raw) if raw else None
    remaining = [item for item in items if after is None or _after(key(item), after)]
    chosen = remaining[:size]
    more = len(remaining) > size
    return {
        "items": [render(item) for item in chosen],
        "next_cursor": encode(key(chosen[-1])) if more and chosen else None,
    }


def _after(value: Any, cursor: Any) -> bool:
    try:
        return value > (tuple(cursor) if isinstance(value, tuple) else cursor)
    except TypeError:
        raise Problem(
            400, errors=field_errors({"cursor": _("Not a cursor this API gave.")})
        ) from None
