"""The pre-visit summary as a clinician reads it: the at-a-glance card near the top on a phone,
two columns on a desktop, axe-core clean at every impact, and chart text that stays inside
the chart in English and Arabic (it was clipped in Arabic)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import Discipline, Role, User
from app.careteam import services as careteam
from app.careteam.models import Patient
from app.db import db
from app.demo import DEMO_PASSWORD
from app.security import hash_password
from tests.browser.test_journeys import check_page, sign_in

pytestmark = pytest.mark.browser

OUTSIDE_CARD = """
() => {
  const card = document.querySelector('section.glance').getBoundingClientRect();
  return [...document.querySelectorAll('section.glance *')]
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.width && (r.left < card.left - 1 || r.right > card.right + 1))
    .map(([e, r]) => `${e.tagName}.${e.className} ${r.left.toFixed(0)}..${r.right.toFixed(0)}`);
}
"""

OUTSIDE_VIEWBOX = """
() => {
  const out = [];
  for (const svg of document.querySelectorAll('main svg.chart')) {
    const [x0, y0, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
    for (const text of svg.querySelectorAll('text')) {
      const b = text.getBBox();
      if (b.x < x0 - 0.5 || b.y < y0 - 0.5 || b.x + b.width > x0 + w + 0.5
          || b.y + b.height > y0 + h + 0.5) {
        out.push(`${svg.getAttribute('aria-labelledby')}: "${text.textContent}" at ` +
                 `${b.x.toFixed(1)}..${(b.x + b.width).toFixed(1)}`);
      }
    }
  }
  return out;
}
"""


def _demo_patient_id(live) -> object:
    with live.app.app_context():
        return db.session.scalar(
            select(Patient.id)
            .join(User, User.id == Patient.user_id)
            .where(User.email == "patient@example.org")
        )


def _arabic_clinician(live) -> None:
    _clinician(live, "tabib@example.org", "ar")


def _clinician(live, email: str, locale: str) -> None:
    """A clinician of the demo clinic who reads in `locale`, on the demo patient's team."""
    patient_id = _demo_patient_id(live)
    with live.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            lead = db.session.scalar(select(User).where(User.email == "clinician@example.org"))
            user = User(
                email=email,
                role=Role.CLINICIAN,
                discipline=Discipline.PSYCHIATRY,
                display_name="د. سالم" if locale == "ar" else "Dr. Demo",
                locale=locale,
                timezone="Asia/Riyadh",
                password_hash=hash_password(DEMO_PASSWORD),
                clinic_id=lead.clinic_id,
            )
            db.session.add(user)
            db.session.flush()
        patient = db.session.get(Patient, patient_id)
        careteam.add_to_team(patient=patient, member=user)
        db.session.commit()


def axe_all_impacts(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def test_phone_top_card_first_and_axe_clean_at_every_impact(live, phone_page):
    page = phone_page
    patient_id = _demo_patient_id(live)
    sign_in(page, "clinician@example.org")
    for period in ("since_last", "90"):
        page.goto(f"/patients/{patient_id}/summary?period={period}")
        check_page(page)
        assert axe_all_impacts(page) == [], page.url
    card = page.get_by_role("region", name="At a glance")
    box = card.bounding_box()
    screen = page.viewport_size["height"]
    assert box["y"] < screen, "the top card starts on the first screen"
    assert box["y"] + box["height"] <= 2 * screen + 1, (
        f"the top card ends at {box['y'] + box['height']:.0f}px, beyond two screens"
    )
    text = card.inner_text()
    for heading in ("Urgent alerts", "Questionnaires", "Diary", "Caregiver concerns"):
        assert heading in text
    assert "PHQ-9" in text and "GAD7" not in page.content()
    assert "threshold reached" not in page.content()
    # Alerts urgent first: no normal alert above an urgent or critical one.
    levels = page.locator("#alerts li.card p strong").all_inner_texts()
    ranks = [0 if t.startswith("Critical") else 1 if t.startswith("Urgent") else 2 for t in levels]
    assert ranks == sorted(ranks), levels


def test_desktop_has_two_columns(browser, live, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server)
    page = context.new_page()
    try:
        sign_in(page, "clinician@example.org")
        page.goto(f"/patients/{_demo_patient_id(live)}/summary")
        main = page.locator(".summary-main").bounding_box()
        side = page.locator(".summary-side").bounding_box()
        assert main["width"] > 600, main
        assert abs(main["y"] - side["y"]) < 2, "the side column sits beside the main one"
        assert side["x"] > main["x"] + main["width"] - 1
        assert page.locator(".glance .glance-block").first.bounding_box()["width"] < 700
        assert axe_all_impacts(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("who", ["clinician@example.org", "tabib@example.org"])
def test_chart_text_stays_inside_the_chart(live, phone_page, who):
    _arabic_clinician(live)
    page = phone_page
    sign_in(page, who)
    patient_id = _demo_patient_id(live)
    for period in ("30", "90", "365"):
        page.goto(f"/patients/{patient_id}/summary?period={period}")
        assert page.locator("main svg.chart text").count() > 10
        assert page.evaluate(OUTSIDE_VIEWBOX) == [], (who, period)
    # The 90-day charts: a 7-day average line over light daily points, and marks on the axis.
    page.goto(f"/patients/{patient_id}/summary?period=90")
    overall = page.locator("main svg#chart-overall, main svg[aria-labelledby^='chart-overall-t']")
    assert overall.locator("circle.day-point").count() >= 10
    assert overall.locator("polyline").count() >= 1
    assert page.locator("main svg.chart .event-visit, main svg.chart .event-score").count() >= 1
    check_page(page)
    assert axe_all_impacts(page) == []


@pytest.mark.parametrize("locale", ["es", "de", "fr", "pt", "ar"])
def test_summary_fits_the_phone_in_every_language(live, phone_page, locale):
    email = f"summary-{locale}@example.org"
    _clinician(live, email, locale)
    page = phone_page
    # Right-to-left pages overflow to the left, which scrollWidth does not show: measure.
    leftmost = "Math.min(...[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-scroll')).map(e => e.getBoundingClientRect().left))"
    sign_in(page, email)
    page.goto(f"/patients/{_demo_patient_id(live)}/summary?period=90")
    assert page.locator("html").get_attribute("lang") == locale
    check_page(page)
    assert page.evaluate(OUTSIDE_CARD) == []
    assert page.evaluate(leftmost) >= -1, "the page overflows to the left"
    box = page.locator("section.glance").bounding_box()
    assert box["y"] + box["height"] <= 2 * page.viewport_size["height"] + 1
