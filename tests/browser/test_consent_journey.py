"""E-consent journey at 360 px, in English and in Arabic: a patient reads and confirms, downloads
the PDF (its text and hash checked), withdraws SMS consent, and then no prompt is sent."""

from __future__ import annotations

import hashlib
import io
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest
from sqlalchemy import select

from app.auth.models import User
from app.careteam.models import Patient
from app.consent.models import ConsentDecision, ConsentPurpose, ConsentRecord
from app.db import db
from app.prompts.models import OutboxMessage, OutboxStatus
from app.prompts.planning import local_instant
from app.prompts.services import plan_due_prompts
from app.sms.dispatch import dispatch_due
from app.sms.gateway import ConsoleGateway
from tests.browser.test_journeys import check_page, sign_in, sign_out

pytestmark = pytest.mark.browser


def _prompts(app, user_id) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == user_id))
        )


@pytest.mark.parametrize(
    ("email", "title", "day"),
    [
        ("sam@example.org", "Text messages", date(2027, 2, 3)),
        ("omar@example.org", "الرسائل النصية", date(2027, 2, 4)),
    ],
)
def test_patient_consents_downloads_the_pdf_and_withdraws_sms(phone_page, live, email, title, day):
    page = phone_page
    with live.app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        user_id, zone = user.id, ZoneInfo(user.timezone)
        patient_id = db.session.scalar(select(Patient.id).where(Patient.user_id == user_id))

    sign_in(page, email)
    page.goto("/")
    check_page(page)
    page.locator("#consent-home-heading ~ p a.button").click()  # "Read and confirm"
    page.wait_for_load_state()
    assert title in page.locator("main").inner_text()
    check_page(page)
    page.locator("#agree-care").check()
    page.locator("#agree-sms").check()
    page.locator("#signed_name").fill("Sam Taylor" if email.startswith("sam") else "عمر حسن")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    check_page(page)
    digest = page.locator("#pdf-sha256").inner_text().strip()
    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    content = Path(download_info.value.path()).read_bytes()
    assert hashlib.sha256(content).hexdigest() == digest
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert title in text and ("Sam Taylor" in text or "عمر حسن" in text)

    # A reminder is planned; withdrawing SMS consent on the consent page cancels it.
    with live.app.app_context():
        plan_due_prompts(now=local_instant(day, time(19, 25), zone))
        db.session.commit()
    assert any(row.status == OutboxStatus.PLANNED for row in _prompts(live.app, user_id))
    page.goto(f"/patients/{patient_id}/consent")
    check_page(page)
    page.locator("#withdraw-sms button[type=submit]").click()
    page.wait_for_load_state()
    check_page(page)
    with live.app.app_context():
        dispatch_due(now=local_instant(day, time(19, 31), zone), gateway=ConsoleGateway())
        plan_due_prompts(now=local_instant(day, time(19, 25), zone).replace(day=day.day + 1))
        db.session.commit()
        latest = db.session.scalars(
            select(ConsentRecord)
            .where(
                ConsentRecord.patient_id == patient_id, ConsentRecord.purpose == ConsentPurpose.SMS
            )
            .order_by(ConsentRecord.recorded_at.desc())
        ).first()
        assert latest.decision == ConsentDecision.WITHDRAWN
    rows = _prompts(live.app, user_id)
    assert rows and all(row.status == OutboxStatus.CANCELLED for row in rows)
    sign_out(page)


def test_coordinator_publishes_a_version_and_records_a_paper_consent(phone_page, live):
    page = phone_page
    with live.app.app_context():
        user = db.session.scalars(select(User).where(User.email == "priya@example.org")).one()
        patient_id = db.session.scalar(select(Patient.id).where(Patient.user_id == user.id))
    sign_in(page, "coordinator@example.org")
    page.goto("/consent/documents")
    check_page(page)
    page.locator("main a.button.primary").click()
    page.wait_for_load_state()
    check_page(page)
    page.locator("#purpose").select_option("research")
    page.locator("#locale").select_option("en")
    page.locator("#title").fill("Research contact, second version")
    page.locator("#body").fill("We may ask you about studies.\n\nSaying no changes nothing.")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "Saying no changes nothing." in page.locator("article").inner_text()
    check_page(page)
    page.locator("form[action$='/publish'] button[type=submit]").click()
    page.wait_for_load_state()
    research = page.locator("li.card", has_text="research").filter(has_text="· English · Version 2")
    assert "0 patients consented" in research.inner_text()
    check_page(page)

    page.goto(f"/patients/{patient_id}/consent/give")
    assert "Research contact, second version" in page.locator("main").inner_text()
    check_page(page)
    page.locator("#agree-research").check()
    page.locator("#method").select_option("paper")
    page.locator("#signed_name").fill("Priya Shah")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    check_page(page)
    page.goto(f"/patients/{patient_id}/consent")
    assert "Signed paper form, recorded by staff" in page.locator("main").inner_text()
    check_page(page)
    page.goto("/consent/documents")
    assert "1 patient consented" in research.inner_text()
    sign_out(page)
