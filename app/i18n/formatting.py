"""The one set of date and number formats Heed shows, in the viewer's language and time zone.

Every template and every view that writes a date for a person uses these (no ``strftime``, no
``isoformat``, no raw Babel pattern elsewhere):

=============  ===============================  =========================================
filter         what                             English example
=============  ===============================  =========================================
``date``       a calendar day                   Dec 3, 2026 (``weekday=True``: Thu, Dec 3, 2026)
``datetime``   a moment                         Dec 3, 2026, 11:30 PM
``time``       a time of day                    11:30 PM
``month_day``  a day this year, in a sentence   Dec 3
``relative``   a moment from now                3 days ago, in 2 hours
``month``      a calendar month                 December 2026
``weekday_day`` a day in a week strip           Thu 3
``duration``   a length of time                 2 hours
``until``      an exclusive end                 until end of Dec 3 (a midnight end) /
                                                until Dec 3, 2026, 6:00 PM
``in_zone``    ``datetime`` in a named zone     (the patient's wall clock)
``zone_name``  a time zone by its place         Mexico (Mexico City)
=============  ===============================  =========================================

Moments (aware datetimes) are shown in the viewer's time zone (``flask_babel.get_timezone``),
or in ``zone=`` when given; plain dates are calendar days and are never shifted.
``viewer_today()`` is the viewer's local date, for defaults (due dates, metrics periods).
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime as DateTime
from datetime import time as Time
from datetime import timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask
from flask_babel import format_decimal, get_locale, get_timezone
from flask_babel import gettext as _

from app.db import utcnow
from app.i18n import bidi

DATE = "medium"
TIME = "short"
DATE_WITH_WEEKDAY = "yMMMEd"  # a skeleton: each locale orders and spells it its own way
MONTH_DAY = "MMMd"
MONTH = "yMMMM"
WEEKDAY_DAY = "EEEd"


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    """ZoneInfo keeps only 8 zones strongly cached: a list over 20 zones would reread them."""
    return ZoneInfo(name)


def _tz(zone: str | tzinfo | None) -> tzinfo:
    if zone is None:
        return get_timezone() or _zone("UTC")
    return _zone(zone) if isinstance(zone, str) else zone


def local(moment: DateTime, zone: str | tzinfo | None = None) -> DateTime:
    """An aware moment as wall-clock time in `zone` (default: the viewer's)."""
    if moment.tzinfo is None:  # stored UTC without tzinfo (SQLite)
        moment = moment.replace(tzinfo=_zone("UTC"))
    return moment.astimezone(_tz(zone))


def viewer_today(now: DateTime | None = None) -> Date:
    """Today in the viewer's time zone (not the server's UTC date)."""
    return local(now or utcnow()).date()


def _day(value: Date | DateTime, zone: str | tzinfo | None) -> Date:
    return local(value, zone).date() if isinstance(value, DateTime) else value


def date(
    value: Date | DateTime | None, *, weekday: bool = False, zone: str | tzinfo | None = None
) -> str:
    if value is None:
        return ""
    day, locale = _day(value, zone), get_locale()
    if weekday:
        return babel_dates.format_skeleton(DATE_WITH_WEEKDAY, day, locale=locale)
    return babel_dates.format_date(day, DATE, locale=locale)


def time(value: DateTime | Time | None, *, zone: str | tzinfo | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, DateTime):
        value = local(value, zone).time()
    return babel_dates.format_time(value, TIME, locale=get_locale())


def datetime(
    value: DateTime | None, *, weekday: bool = False, zone: str | tzinfo | None = None
) -> str:
    """Date (medium) and time (short) joined the way the locale joins them."""
    if value is None:
        return ""
    moment = local(value, zone)
    pattern = babel_dates.get_datetime_format(DATE, locale=get_locale())
    return (
        str(pattern)
        .replace("'", "")
        .replace("{0}", time(moment.time()))
        .replace("{1}", date(moment.date(), weekday=weekday))
    )


def month_day(value: Date | DateTime | None, *, zone: str | tzinfo | None = None) -> str:
    if value is None:
        return ""
    return babel_dates.format_skeleton(MONTH_DAY, _day(value, zone), locale=get_locale())


def month(value: Date | None) -> str:
    return "" if value is None else babel_dates.format_skeleton(MONTH, value, locale=get_locale())


def weekday_day(value: Date | None) -> str:
    if value is None:
        return ""
    return babel_dates.format_skeleton(WEEKDAY_DAY, value, locale=get_locale())


def weekday(value: Date, *, narrow: bool = False) -> str:
    """The day's name ("Thursday"), or its one-letter form for a calendar's column heads."""
    return babel_dates.format_date(value, "EEEEE" if narrow else "EEEE", locale=get_locale())


def duration(value: timedelta | None) -> str:
    if value is None:
        return ""
    return babel_dates.format_timedelta(value, threshold=1.0, locale=get_locale())


def zone_name(zone: str | tzinfo | None) -> str:
    """A time zone as people know it, in the viewer's language: 'Mexico (Mexico City)', not
    'America/Mexico_City'."""
    if zone is None:
        return ""
    try:
        return babel_dates.get_timezone_location(_tz(zone), locale=get_locale())
    except (LookupError, ValueError):
        return str(zone)


def capfirst(value: object) -> str:
    """The first letter upper case, the rest untouched (Jinja's `capitalize` lowercases the rest:
    German nouns, 'PHQ-9')."""
    text = "" if value is None else str(value)
    return text[:1].upper() + text[1:]


def relative(value: DateTime | Date | None, *, now: DateTime | None = None) -> str:
    """'3 days ago', 'in 2 hours' (a day for plain dates)."""
    if value is None:
        return ""
    now = now or utcnow()
    if isinstance(value, DateTime):
        delta = local(value) - local(now)
        return babel_dates.format_timedelta(delta, add_direction=True, locale=get_locale())
    delta = timedelta(days=(value - viewer_today(now)).days)
    return babel_dates.format_timedelta(
        delta, granularity="day", threshold=7, add_direction=True, locale=get_locale()
    )


def last_day(end: DateTime, zone: str | tzinfo | None = None) -> tuple[Date, bool]:
    """The last local day an exclusive end still covers, and whether it covers all of it
    (an end at local midnight ends the day before)."""
    moment = local(end, zone)
    if moment.time() == Time(0):
        return moment.date() - timedelta(days=1), True
    return moment.date(), False


def until(end: DateTime | None, *, zone: str | tzinfo | None = None) -> str:
    """An exclusive end as people read it: 'until end of Dec 3', not 'until 12/4, 12:00 AM'."""
    if end is None:
        return ""
    day, whole = last_day(end, zone)
    if whole:
        # Translators: an open period ends when this day ends, e.g. "until end of Dec 3".
        return _("until end of %(day)s", day=month_day(day))
    # Translators: an open period ends at this moment, e.g. "until Dec 3, 2026, 6:00 PM".
    return _("until %(moment)s", moment=datetime(end, zone=zone))


def in_zone(moment: DateTime, zone: str, weekday: bool = False) -> str:
    """A UTC moment as a wall-clock date and time in `zone`, in the viewer's language."""
    return datetime(moment, zone=zone, weekday=weekday)


FILTERS = {
    "bdi": bidi.bdi,
    "isolate": bidi.isolate,
    "decimal": format_decimal,
    "date": date,
    "time": time,
    "datetime": datetime,
    "month_day": month_day,
    "month": month,
    "weekday": weekday,
    "weekday_day": weekday_day,
    "duration": duration,
    "relative": relative,
    "until": until,
    "in_zone": in_zone,
    "zone_name": zone_name,
    "capfirst": capfirst,
}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals["viewer_today"] = viewer_today
