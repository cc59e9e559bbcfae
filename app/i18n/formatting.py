"""Jinja filters that format for the viewer's language: every template may use them, so core
(i18n) registers them, never the feature that happened to need them first."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask
from flask_babel import format_decimal, get_locale

from app.i18n import bidi


def in_zone(moment: datetime, zone: str, fmt: str = "medium") -> str:
    """A UTC moment as wall-clock time in `zone`, in the viewer's language (Babel)."""
    return format_datetime(moment, fmt, tzinfo=_zone(zone), locale=get_locale())


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    """ZoneInfo keeps only 8 zones strongly cached: a list over 20 zones would reread them."""
    return ZoneInfo(name)


FILTERS = {
    "bdi": bidi.bdi,
    "isolate": bidi.isolate,
    "decimal": format_decimal,
    "in_zone": in_zone,
}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
