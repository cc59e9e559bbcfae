"""Follow-up appointments: scheduling (care team), the patient's next follow-up (home section)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask
from flask_babel import get_locale

from app.followups import forms


def in_zone(moment: datetime, zone: str, fmt: str = "medium") -> str:
    """A UTC moment as wall-clock time in `zone`, in the viewer's language (Babel)."""
    return format_datetime(moment, fmt, tzinfo=_zone(zone), locale=get_locale())


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    """ZoneInfo keeps only 8 zones strongly cached: a list over 20 zones would reread them."""
    return ZoneInfo(name)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["in_zone"] = in_zone
    app.jinja_env.globals.update(
        MODALITY_LABELS=forms.MODALITY_LABELS, APPOINTMENT_STATUS_LABELS=forms.STATUS_LABELS
    )
