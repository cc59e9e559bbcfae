"""Time zones grouped by region for pickers: localized region and city names (Babel/CLDR),
the person's likely zones first. Pure apart from the cached Babel lookups."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import get_timezone_location
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# IANA's continents and oceans, in the order a picker shows them; anything else (UTC, Etc/…,
# legacy names like US/Eastern) goes under OTHER.
REGIONS: dict[str, LazyString] = {
    "Africa": _l("Africa"),
    "America": _l("Americas"),
    "Antarctica": _l("Antarctica"),
    "Arctic": _l("Arctic"),
    "Asia": _l("Asia"),
    "Atlantic": _l("Atlantic Ocean"),
    "Australia": _l("Australia"),
    "Europe": _l("Europe"),
    "Indian": _l("Indian Ocean"),
    "Pacific": _l("Pacific Ocean"),
}
OTHER = _l("Other time zones")
LIKELY = _l("Suggested for you")
MAX_NEIGHBOURS = 6  # zones of the same region and the same current offset as the person's


def region_of(zone: str) -> str | None:
    head = zone.split("/", 1)[0]
    return head if head in REGIONS and "/" in zone else None


@lru_cache(maxsize=8)
def _labels(locale: str) -> dict[str, str]:
    """Every zone's city in `locale` ("Ciudad de México"), or its id where CLDR has none."""
    labels = {}
    for zone in available_timezones():
        if region_of(zone) is None:
            labels[zone] = zone
            continue
        try:
            labels[zone] = get_timezone_location(zone, locale=locale, return_city=True)
        except (LookupError, ValueError):
            labels[zone] = zone.split("/", 1)[1].replace("_", " ")
    return labels


def _sort_key(label: str) -> str:
    return unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().casefold()


def likely_zones(anchors: Iterable[str | None], *, now: datetime | None = None) -> list[str]:
    """The anchors (the person's zone, their clinic's), then up to MAX_NEIGHBOURS zones of the
    first anchor's region that have its UTC offset right now."""
    known = available_timezones()
    chosen = list(dict.fromkeys(a for a in anchors if a and a in known))
    if not chosen or region_of(chosen[0]) is None:
        return chosen
    now = now or datetime.now(UTC)
    offset = now.astimezone(ZoneInfo(chosen[0])).utcoffset()
    region = region_of(chosen[0])
    neighbours = sorted(
        z
        for z in known
        if region_of(z) == region
        and z not in chosen
        and now.astimezone(ZoneInfo(z)).utcoffset() == offset
    )
    return chosen + neighbours[:MAX_NEIGHBOURS]


def grouped_zones(
    locale: str, likely: Sequence[str] = ()
) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group label, [(zone id, label), ...]), ...]: the likely zones first, then each region
    sorted by city, then the rest; every zone exactly once."""
    labels = _labels(locale)
    first = [z for z in likely if z in labels]
    groups: dict[str | None, list[tuple[str, str]]] = {}
    for zone, label in labels.items():
        if zone not in first:
            groups.setdefault(region_of(zone), []).append((zone, label))
    result = []
    if first:
        result.append((str(LIKELY), [(z, labels[z]) for z in first]))
    for key, name in REGIONS.items():
        if key in groups:
            result.append((str(name), sorted(groups[key], key=lambda c: _sort_key(c[1]))))
    if None in groups:
        result.append((str(OTHER), sorted(groups[None], key=lambda c: _sort_key(c[0]))))
    return result
