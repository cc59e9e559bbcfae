"""The care coordinator's registry at 360 px (issue 16): from the menu, filter by a chip, sort
by a column, download the CSV of the same filter; in Arabic too. Every page passes check_page
(axe and no page-level horizontal scroll: the table scrolls inside its own region)."""

from __future__ import annotations

import pytest

from tests.browser.people import seeded_people
from tests.browser.test_journeys import check_page, open_menu, sign_in, sign_out

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_coordinator_filters_sorts_and_downloads(live, phone_page, locale):
    people = seeded_people(live, locale, "registry")
    page = phone_page
    sign_in(page, people.email("coordinator"))
    open_menu(page)
    page.locator("nav a[href$='/registry']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/registry")
    check_page(page)
    assert page.locator("main table tbody th[scope=row]").count() >= 10

    page.locator("main .registry-filters a[href*='show=attention']").click()
    page.wait_for_load_state()
    assert "show=attention" in page.url
    current = page.locator("main .registry-filters a[aria-current='page']")
    assert "show=attention" in current.get_attribute("href")
    check_page(page)

    page.locator("main thead a[href*='sort=phq9&']").click()
    page.wait_for_load_state()
    assert "sort=phq9" in page.url and "show=attention" in page.url
    assert page.locator("main thead th[aria-sort='ascending']").count() == 1
    check_page(page)

    link = page.locator("main a[href*='/registry.csv']")
    href = link.get_attribute("href")
    assert "show=attention" in href and "sort=phq9" in href
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text().startswith("patient,weeks_in_treatment,")
    sign_out(page)
