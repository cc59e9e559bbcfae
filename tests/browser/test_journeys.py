"""Phone-sized journeys in Debian's Chromium, with axe-core on every page visited."""

from __future__ import annotations

import pytest

from app.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def check_page(page) -> None:
    """No serious or critical axe violation, and nothing wider than the phone."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not serious, f"{page.url}:\n" + "\n".join(serious)
    # Against the viewport, not innerWidth: a mobile browser widens innerWidth to fit the page.
    overflow = page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360px"


def sign_in(page, email: str) -> None:
    page.goto("/auth/login")
    check_page(page)
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()


def open_menu(page) -> None:
    """On a phone the main navigation sits behind the top bar's Menu disclosure."""
    menu = page.locator("header details.menu")
    if menu.count() and not menu.evaluate("menu => menu.open"):
        menu.locator("summary").click()


def sign_out(page) -> None:
    open_menu(page)
    page.locator("form[action$='/auth/logout'] button").click()
    page.wait_for_url("**/auth/login")


def test_patient_switches_to_arabic_and_signs_out(phone_page):
    page = phone_page
    sign_in(page, "patient@example.org")
    assert page.locator("h1").inner_text().startswith("Hello")
    check_page(page)

    page.select_option("#locale-select", "ar")  # submits itself (progressive enhancement)
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert page.locator("html").get_attribute("lang") == "ar"
    check_page(page)

    page.locator("main #record-heading ~ p a.button").click()  # open my record
    page.wait_for_load_state()
    assert "/patients/" in page.url
    check_page(page)
    page.go_back()
    page.locator("main a.button[href$='/access-log']").click()  # who viewed my record
    page.wait_for_load_state()
    assert page.url.endswith("/access-log")
    check_page(page)
    page.go_back()
    page.locator("main a[href$='/caregivers']").click()  # people who support me
    page.wait_for_load_state()
    assert page.locator("h2").first.is_visible()
    check_page(page)

    page.goto("/auth/settings")
    check_page(page)
    page.go_back()
    sign_out(page)
    assert page.locator("html").get_attribute("dir") == "rtl"  # the choice stays on this device
    check_page(page)


def test_clinician_sees_their_patients_and_opens_a_record(phone_page):
    page = phone_page
    sign_in(page, "clinician@example.org")
    cards = page.locator("main .card-link")
    assert cards.count() == 13  # the demo's 12 patients and the registry demo's new one
    check_page(page)
    cards.first.click()
    page.wait_for_load_state()
    assert page.locator("h2#team-heading").is_visible()
    check_page(page)
    page.goto("/auth/settings")
    check_page(page)
    sign_out(page)


def test_coordinator_caseload_and_access_log(phone_page):
    page = phone_page
    sign_in(page, "coordinator@example.org")
    check_page(page)
    page.locator("main .card a[href$='/access-log']").first.click()
    page.wait_for_load_state()
    assert page.locator("table").is_visible()
    check_page(page)
    page.goto("/patients/enroll")
    check_page(page)
    page.locator("#display_name").fill("Browser Enrolled")
    page.locator("#phone").fill("+1 202 555 0190")
    page.select_option("#sms_consent", "verbal")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Browser Enrolled"
    page.locator("a[href$='/team']").click()
    page.wait_for_load_state()
    check_page(page)
    sign_out(page)


def test_caregiver_and_admin_home_pages(phone_page):
    page = phone_page
    sign_in(page, "cuidadora@example.org")
    assert page.locator("html").get_attribute("lang") == "es"
    check_page(page)
    sign_out(page)
    sign_in(page, "admin@example.org")
    check_page(page)
    page.goto("/admin/invite")
    check_page(page)
    sign_out(page)


def test_error_page_is_accessible(phone_page):
    phone_page.goto("/nothing/here")
    check_page(phone_page)
