"""The time-zone picker: every zone once, grouped by region with localized names, the person's
likely zones first, and the page renders <optgroup>s (works without JavaScript)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import available_timezones

from app.i18n.zones import grouped_zones, likely_zones
from tests.factories import PASSWORD

JANUARY = datetime(2027, 1, 15, 12, tzinfo=UTC)


def test_every_zone_once_likely_first_regions_localized():
    likely = likely_zones(["America/Mexico_City", "Europe/Madrid"], now=JANUARY)
    assert likely[:2] == ["America/Mexico_City", "Europe/Madrid"]
    assert "America/Chicago" in likely  # same region, same offset in January
    assert len(likely) <= 2 + 6
    groups = grouped_zones("es", likely)
    names = [name for name, _ in groups]
    assert names[0] == "Suggested for you"  # lazy strings outside a request: English
    assert [z for z, _ in groups[0][1]] == likely
    zones = [z for _, options in groups for z, _ in options]
    assert sorted(zones) == sorted(available_timezones())  # each exactly once
    labels = dict(option for _, options in groups for option in options)
    assert labels["America/Mexico_City"] == "Ciudad de México"
    assert labels["Europe/Berlin"] == "Berlín"
    assert labels["UTC"] == "UTC"
    assert names[-1] == "Other time zones"


def test_unknown_anchors_are_ignored():
    assert likely_zones([None, "Mars/Olympus", "UTC"], now=JANUARY) == ["UTC"]
    assert likely_zones([], now=JANUARY) == []


def test_settings_show_regions_in_the_persons_language(app, make, client, auth):
    clinic = make.clinic()  # Europe/Berlin
    user = make.patient(clinic, locale="es", timezone="America/Mexico_City").user
    auth.login(user.email, PASSWORD)
    html = client.get("/auth/settings").get_data(as_text=True)
    select = html.split('id="timezone"')[1].split("</select>")[0]
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups[0] == "Sugeridas para usted"
    assert {"África", "América", "Europa", "Asia", "Océano Pacífico"} <= set(groups)
    suggested = select.split("<optgroup")[1]
    assert 'value="America/Mexico_City"' in suggested and 'value="Europe/Berlin"' in suggested
    assert re.search(
        r'<option selected value="America/Mexico_City">Ciudad de México</option>', select
    )
    assert 'data-zone-search="Buscar zonas horarias"' in html
    assert "/static/js/timezone.js" in html
