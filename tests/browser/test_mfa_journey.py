"""A clinician's two-factor journey at 360 px, in English and Arabic: enrol an authenticator
app (the code computed from the key shown as text), add a passkey with Chromium's virtual
authenticator, then sign in with the app, with the passkey alone, and with a recovery code."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pyotp
import pytest

from app.auth.mfa import totp
from app.auth.models import Discipline, Role, User
from app.careteam.models import Clinic
from app.db import db, utcnow
from app.demo import DEMO_PASSWORD
from app.security import hash_password
from tests.browser.fixtures import PHONE
from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser


@pytest.fixture
def mfa_live(live) -> Iterator[str]:
    """The live server as http://localhost:<port> (a WebAuthn relying party id must be a
    domain, not an IP address), with second factors required of staff."""
    port = live.url.rsplit(":", 1)[1]
    base = f"http://localhost:{port}"
    saved = {k: live.app.config[k] for k in ("PUBLIC_BASE_URL", "REQUIRE_STAFF_2FA")}
    live.app.config.update(PUBLIC_BASE_URL=base, REQUIRE_STAFF_2FA=True)
    yield base
    live.app.config.update(saved)


def _new_clinician(live, locale: str) -> str:
    email = f"mfa-{locale}-{uuid.uuid4().hex[:8]}@example.org"
    with live.app.test_request_context():
        clinic = db.session.query(Clinic).first()
        db.session.add(
            User(
                email=email,
                password_hash=hash_password(DEMO_PASSWORD),
                role=Role.CLINICIAN,
                discipline=Discipline.PSYCHOLOGY,
                clinic_id=clinic.id,
                display_name="Dr. Two Factor" if locale == "en" else "د. عاملان",
                locale=locale,
                timezone="UTC",
            )
        )
        db.session.commit()
    return email


def _code_after(secret: str, used_step: int) -> str:
    """A code the server has not seen: the current step's, or the next one (±1 accepted)."""
    step = max(totp.time_step(utcnow()), used_step + 1)
    return pyotp.TOTP(secret).generate_otp(step)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_clinician_enrols_and_signs_in_with_each_factor(browser, live, mfa_live, locale):
    email = _new_clinician(live, locale)
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, base_url=mfa_live, locale=locale
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    try:
        # 1. The password alone opens only the enrolment page.
        sign_in(page, email)
        assert page.url.endswith("/auth/second-factor/setup")
        if locale == "ar":
            assert page.locator("html").get_attribute("dir") == "rtl"
        check_page(page)
        page.goto("/")
        assert "/auth/login" in page.url
        page.goto("/auth/second-factor/setup")
        secret = "".join(page.locator("[data-totp-secret]").inner_text().split())
        page.locator("#code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#code-error").is_visible()
        check_page(page)
        enrol_step = totp.time_step(utcnow())
        page.locator("#code").fill(pyotp.TOTP(secret).generate_otp(enrol_step))
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("[data-recovery-codes]")
        codes = page.locator("[data-recovery-codes] code").all_inner_texts()
        assert len(codes) == 10
        check_page(page)
        page.locator("main a.button.primary").click()
        page.wait_for_load_state()
        assert "/auth/" not in page.url

        # 2. A passkey, added through the browser's ceremony.
        page.goto("/auth/security/passkeys/new")
        check_page(page)
        page.locator("#name").fill("Phone" if locale == "en" else "هاتفي")
        page.locator("[data-passkey-button]").click()
        page.wait_for_url("**/auth/security")
        assert page.get_by_text("Phone" if locale == "en" else "هاتفي").is_visible()
        check_page(page)
        sign_out(page)

        # 3. Password, then the authenticator app.
        sign_in(page, email)
        assert page.url.endswith("/auth/second-factor")
        check_page(page)
        page.locator("#code").fill(_code_after(secret, enrol_step))
        page.locator("main form.stack button[type=submit]").first.click()
        page.wait_for_load_state()
        assert "/auth/" not in page.url
        check_page(page)
        sign_out(page)

        # 4. The passkey alone, from the sign-in page.
        page.goto("/auth/login")
        page.locator("form.passkey-sign-in [data-passkey-button]").click()
        page.wait_for_url(lambda url: "/auth/" not in url)
        assert page.locator("form[action$='/auth/logout']").count() == 1
        sign_out(page)

        # 5. Password, then a recovery code.
        sign_in(page, email)
        page.locator("main a[href$='/auth/second-factor/recovery']").click()
        page.wait_for_load_state()
        check_page(page)
        page.locator("#code").fill(codes[0])
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert "/auth/" not in page.url
        assert re.search(r"9", page.locator(".flash").first.inner_text())
        check_page(page)
    finally:
        context.close()


def test_administrator_opens_the_reset_form_from_the_staff_list(phone_page):
    page = phone_page
    sign_in(page, "admin@example.org")
    check_page(page)
    page.locator("a[href*='/admin/second-factor?email=']").first.click()
    page.wait_for_url("**/admin/second-factor?email=*")
    assert "@" in page.locator("#email").input_value()
    page.locator("#reason").fill("")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#reason-error").is_visible()
    check_page(page)
