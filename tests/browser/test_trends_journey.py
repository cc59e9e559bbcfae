"""A clinician prepares a follow-up: upcoming list with flags, a demo patient's summary, another
period, the print view (PDF and screenshot checked); the same summary in Arabic, mirrored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import Discipline, Role, User
from app.careteam import services as careteam
from app.careteam.models import Patient
from app.db import db
from app.demo import DEMO_PASSWORD
from app.security import hash_password
from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_clinician_prepares_a_follow_up(phone_page, tmp_path):
    page = phone_page
    sign_in(page, "clinician@example.org")
    check_page(page)
    rows = page.locator("main .upcoming-row")
    assert rows.count() >= 5
    assert page.locator("main .upcoming-row .flag-chip").count() >= 1
    assert "Today" in page.locator("main .upcoming-day").first.inner_text()
    rows.first.locator(".upcoming-link").click()
    page.wait_for_load_state()
    assert "/summary" in page.url
    assert page.locator("h1").inner_text().startswith("Pre-visit summary")
    assert page.locator("main svg.chart").count() >= 10
    check_page(page)

    page.locator("nav.span-nav a[href*='period=90']").click()
    page.wait_for_load_state()
    assert (
        page.locator("nav.span-nav a[aria-current='page']")
        .get_attribute("href")
        .endswith("period=90")
    )
    check_page(page)

    page.locator("main a[href*='/summary/print']").click()
    page.wait_for_load_state()
    check_page(page)
    assert page.locator(".print-view h2#scores-heading").is_visible()
    assert "PHQ-9" in page.locator(".print-view .score-table").inner_text()
    shot = tmp_path / "print.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 2, f"the print view takes {pages} A4 pages"
    page.emulate_media(media="screen")
    sign_out(page)


def test_summary_in_arabic_for_an_arabic_speaking_clinician(live, phone_page):
    with live.app.app_context():
        user = db.session.scalar(select(User).where(User.email == "tabib@example.org"))
        if user is None:
            user = User(
                email="tabib@example.org",
                role=Role.CLINICIAN,
                discipline=Discipline.PSYCHIATRY,
                display_name="د. سالم",
                locale="ar",
                timezone="Asia/Riyadh",
                password_hash=hash_password(DEMO_PASSWORD),
            )
            lead = db.session.scalar(select(User).where(User.email == "clinician@example.org"))
            user.clinic_id = lead.clinic_id
            db.session.add(user)
            db.session.flush()
        patient = db.session.scalar(
            select(Patient)
            .join(User, User.id == Patient.user_id)
            .where(User.email == "patient@example.org")
        )
        careteam.add_to_team(patient=patient, member=user)
        db.session.commit()
        patient_id = patient.id
    page = phone_page
    sign_in(page, "tabib@example.org")
    page.goto(f"/patients/{patient_id}/summary?period=90")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    plot = page.locator("main svg.chart g.plot").first
    assert plot.get_attribute("transform") == "translate(340 0) scale(-1 1)"
    check_page(page)
    page.goto(f"/patients/{patient_id}/summary/print?period=90")
    assert page.locator("html").get_attribute("dir") == "rtl"
    check_page(page)
