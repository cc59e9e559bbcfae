"""The installable, offline diary on a phone (Chromium offline via `context.set_offline`):
entries saved offline wait on the phone, bound to the person who saved them, and reach Heed
exactly once when the connection returns; a day changed elsewhere is shown both ways and the
patient chooses. docs/offline.md."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.careteam.models import Patient
from app.db import db
from app.diary import queries, services
from app.diary.models import DiaryEntry, DiaryRevision, EntryMode
from app.diary.values import DiaryValues
from tests.browser.fixtures import PHONE
from tests.browser.people import seeded_people
from tests.browser.test_journeys import check_page, open_menu, sign_in

pytestmark = pytest.mark.browser
SENT = "se ha enviado"


def _phone(browser, live):
    return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, base_url=live.url)


def _today(live, patient_id: str):
    with live.app.app_context():
        return queries.local_today(db.session.get(Patient, uuid.UUID(patient_id)))


def _revisions(live, patient_id: str) -> list[tuple]:
    with live.app.app_context():
        rows = db.session.execute(
            select(DiaryEntry.local_date, DiaryRevision.submission_id, DiaryEntry.mood)
            .join(DiaryRevision, DiaryRevision.entry_id == DiaryEntry.id)
            .where(DiaryEntry.patient_id == uuid.UUID(patient_id))
        )
        return [tuple(row) for row in rows]


def _entry(live, patient_id: str, day):
    with live.app.app_context():
        entry = db.session.scalar(
            select(DiaryEntry).where(
                DiaryEntry.patient_id == uuid.UUID(patient_id), DiaryEntry.local_date == day
            )
        )
        return None if entry is None else (entry.mood, entry.overall_symptoms)


def _wait(predicate, seconds: float = 15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def _ready_offline(page) -> None:
    """The service worker controls the page and keeps today's diary forms."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    page.wait_for_function(
        """async () => {
            const pages = await caches.open("heed-pages");
            const keys = (await pages.keys()).map((r) => new URL(r.url).pathname);
            const offline = await (await caches.open("heed-offline")).match("/offline");
            return keys.includes("/diary/quick") && Boolean(offline);
        }"""
    )


def _quick(page, overall: int, mood: int) -> None:
    page.locator(f"label[for=overall_symptoms-{overall}]").click()
    page.locator(f"label[for=mood-{mood}]").click()
    page.locator("form.diary-form button[type=submit]").click()


def _queued(page) -> int:
    return page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("heed-offline", 1);
            open.onsuccess = () => {
                const all = open.result.transaction("entries").objectStore("entries").getAll();
                all.onsuccess = () => resolve(all.result.filter((i) => i.state !== "sent").length);
            };
        })"""
    )


def test_two_entries_saved_offline_arrive_once(browser, live):
    people = seeded_people(live, "es", tag="offline")
    pid = people.patient_id
    today = _today(live, pid)
    yesterday = today - timedelta(days=1)
    before = _revisions(live, pid)
    context = _phone(browser, live)
    page = context.new_page()
    sign_in(page, people.email("patient"))
    _ready_offline(page)
    page.goto(f"/patients/{pid}/diary/entry/{yesterday.isoformat()}")  # kept as it loads

    context.set_offline(True)
    page.goto("/diary/quick")
    assert page.locator("html").get_attribute("lang") == "es"
    _quick(page, 4, 2)
    page.locator("#offline-queue .offline-item").first.wait_for()
    assert "Guardado en este teléfono" in page.locator("#offline-status").inner_text()
    check_page(page)
    page.goto(f"/patients/{pid}/diary/entry/{yesterday.isoformat()}")  # the full diary
    for summary in page.locator("details.section > summary").all():
        if not summary.evaluate("el => el.parentElement.open"):
            summary.click()
    page.locator("label[for=overall_symptoms-5]").click()
    page.locator("label[for=mood-7]").click()
    page.locator("#bedtime").fill("23:15")
    page.locator("#wake_time").fill("06:45")
    page.locator("label[for=trigger-work_stress]").click()
    page.locator("#activity-physical-done").fill("30")
    page.locator("#notes").fill("Sin conexión, pero anotado.")
    page.locator("form.diary-form button[type=submit]").click()
    page.locator("#offline-queue .offline-item >> nth=1").wait_for()
    assert _queued(page) == 2
    page.goto(f"/patients/{pid}/diary/history")  # needs the network: says so
    assert page.locator("h1").inner_text() == "Sin conexión"
    check_page(page)
    page.close()

    context.set_offline(False)
    page = context.new_page()
    page.goto("/")
    _wait(lambda: len(_revisions(live, pid)) == len(before) + 2)
    page.locator("#offline-status").filter(has_text=SENT).wait_for()
    assert _entry(live, pid, today) == (2, 4)
    assert _entry(live, pid, yesterday) == (7, 5)
    with live.app.app_context():
        full = db.session.scalar(
            select(DiaryEntry).where(
                DiaryEntry.patient_id == uuid.UUID(pid), DiaryEntry.local_date == yesterday
            )
        )
        assert full.notes == "Sin conexión, pero anotado."
        assert "work_stress" in full.triggers and full.sleep_minutes == 450
    # Opening the app again and "Send now" send nothing twice.
    page.reload()
    page.goto(f"/patients/{pid}/diary/quick")
    time.sleep(1)
    assert len(_revisions(live, pid)) == len(before) + 2
    assert page.locator("#offline-sent-list li").count() == 2
    check_page(page)
    context.close()


def test_a_conflict_shows_both_versions_and_keeps_the_chosen_one(browser, live):
    people = seeded_people(live, "es", tag="conflict")
    pid = people.patient_id
    day = _today(live, pid) - timedelta(days=2)
    context = _phone(browser, live)
    page = context.new_page()
    sign_in(page, people.email("patient"))
    _ready_offline(page)
    page.goto(f"/patients/{pid}/diary/quick/{day.isoformat()}")
    context.set_offline(True)
    page.goto(f"/patients/{pid}/diary/quick/{day.isoformat()}")
    _quick(page, 3, 8)
    page.locator("#offline-queue .offline-item").wait_for()

    # Meanwhile the same day is changed on another device.
    with live.app.test_request_context(), db.transaction():
        patient = db.session.get(Patient, uuid.UUID(pid))
        services.record_entry(
            patient=patient,
            local_date=day,
            values=DiaryValues(mode=EntryMode.QUICK, mood=1, overall_symptoms=9),
            submission_id=uuid.uuid4(),
            actor=patient.user,
        )

    context.set_offline(False)
    page.goto("/")
    conflict = page.locator("#offline-queue .offline-conflict")
    conflict.wait_for()
    versions = conflict.locator(".offline-versions section")
    assert versions.count() == 2
    assert "8" in versions.nth(0).inner_text() and "1" in versions.nth(1).inner_text()
    check_page(page)
    assert _entry(live, pid, day) == (1, 9)  # nothing overwritten before the patient chose
    conflict.locator("button.primary").click()
    _wait(lambda: _entry(live, pid, day) == (8, 3))
    page.locator("#offline-status").filter(has_text=SENT).wait_for()
    context.close()


def test_a_queue_never_syncs_under_another_account(browser, live):
    first = seeded_people(live, "es", tag="owner")
    second = seeded_people(live, "en", tag="other")
    pid = first.patient_id
    day = _today(live, pid) - timedelta(days=3)
    before = _revisions(live, pid)
    context = _phone(browser, live)
    page = context.new_page()
    sign_in(page, first.email("patient"))
    _ready_offline(page)
    page.goto(f"/patients/{pid}/diary/quick/{day.isoformat()}")
    context.set_offline(True)
    page.goto(f"/patients/{pid}/diary/quick/{day.isoformat()}")
    _quick(page, 6, 6)
    page.locator("#offline-queue .offline-item").wait_for()

    # The session ends while offline: back online, the entry stays queued and asks to sign in.
    context.clear_cookies()
    context.set_offline(False)
    page.locator("#offline-queue .offline-signin a").wait_for()
    assert _revisions(live, pid) == before

    # Someone else signs in on the same phone: the first person's entry is not theirs to send.
    sign_in(page, second.email("patient"))
    page.locator("#offline-others").wait_for()
    assert page.locator("#offline-queue .offline-item").count() == 0
    kept = page.evaluate(
        "async () => (await (await caches.open('heed-pages')).keys()).map((r) => r.url)"
    )
    assert not any(pid in url for url in kept)  # the first person's pages are gone
    time.sleep(1)
    assert _revisions(live, pid) == before

    # Back to the first person: their entry is still theirs, and goes.
    context.clear_cookies()
    sign_in(page, first.email("patient"))
    _wait(lambda: len(_revisions(live, pid)) == len(before) + 1)
    assert _entry(live, pid, day) == (6, 6)
    context.close()


def test_signing_out_asks_before_discarding_what_was_not_sent_in_arabic(browser, live):
    people = seeded_people(live, "ar", tag="signout")
    pid = people.patient_id
    day = _today(live, pid) - timedelta(days=1)
    before = _revisions(live, pid)
    context = _phone(browser, live)
    page = context.new_page()
    sign_in(page, people.email("patient"))
    _ready_offline(page)
    page.goto(f"/patients/{pid}/diary/quick/{day.isoformat()}")
    context.set_offline(True)
    page.goto(f"/patients/{pid}/diary/quick/{day.isoformat()}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    _quick(page, 2, 5)
    page.locator("#offline-queue .offline-item").wait_for()
    check_page(page)

    open_menu(page)
    page.locator("form[data-signout] button").click()
    dialog = page.locator("#signout-dialog")
    dialog.wait_for()
    assert "1" in dialog.locator("#signout-count").inner_text()
    check_page(page)
    dialog.locator("[data-signout-stay]").click()  # stay: nothing is lost
    assert _queued(page) == 1

    open_menu(page)
    page.locator("form[data-signout] button").click()
    dialog.locator("[data-signout-discard]").click()
    page.locator("h1").filter(has_text="أنت غير متصل").wait_for()  # offline: says so
    assert _queued(page) == 0
    assert page.evaluate("async () => (await caches.keys()).includes('heed-pages')") is False

    context.set_offline(False)
    page.goto("/")
    time.sleep(1)
    assert _revisions(live, pid) == before
    context.close()


# ---- the phone says online, but Heed cannot be reached (poor signal) ------------------------


def _diary_post(request) -> bool:
    return request.method == "POST" and "/diary/" in request.url


def _unreachable(context, *, arrive: bool = False) -> None:
    """The diary post (and the API) get no answer: a network error, after the post reached Heed
    when `arrive` (its answer is lost on the way back)."""

    def fail(route) -> None:
        if _diary_post(route.request) or "/api/" in route.request.url:
            if arrive and _diary_post(route.request):
                route.fetch(max_redirects=0)
            route.abort("internetdisconnected")
        else:
            route.fallback()

    context.route("**/*", fail)


def _waiting(page) -> None:
    page.locator("#offline-queue .offline-item.offline-waiting").wait_for()
    assert "No se pudo contactar con Heed" in page.locator("#offline-status").inner_text()
    assert _queued(page) == 1


def _new_revisions(live, patient_id: str, before: list[tuple]) -> list[tuple]:
    return [row for row in _revisions(live, patient_id) if row not in before]


def test_a_save_heed_cannot_reach_waits_on_the_phone_and_arrives_once(browser, live):
    people = seeded_people(live, "es", tag="unreachable")
    pid = people.patient_id
    day = _today(live, pid) - timedelta(days=1)
    before = _revisions(live, pid)
    context = _phone(browser, live)
    page = context.new_page()
    sign_in(page, people.email("patient"))
    _ready_offline(page)
    page.goto(f"/patients/{pid}/diary/quick/{day.isoformat()}")

    _unreachable(context)
    _quick(page, 4, 7)
    _waiting(page)
    assert page.locator("#mood-7").is_checked()  # the answers are still in the form
    assert page.evaluate("navigator.onLine") is True
    check_page(page)
    assert _revisions(live, pid) == before

    context.unroute_all(behavior="wait")
    page.locator("#offline-send").click()
    page.locator("#offline-status").filter(has_text=SENT).wait_for()
    assert len(_revisions(live, pid)) == len(before) + 1
    assert _entry(live, pid, day) == (7, 4)
    page.reload()
    time.sleep(1)
    assert len(_revisions(live, pid)) == len(before) + 1

    # Heed answers again: a save posts as before (its flash, nothing left on the phone), and a
    # refused one shows Heed's reasons in the form, as before.
    page.goto(f"/patients/{pid}/diary/entry/{day.isoformat()}")
    for summary in page.locator("details.section > summary").all():
        if not summary.evaluate("el => el.parentElement.open"):
            summary.click()
    page.locator("#bedtime").fill("03:00")
    page.locator("#wake_time").fill("02:00")  # wake before bed: refused
    page.locator("form.diary-form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    assert page.locator("#wake_time-error").is_visible()
    _wait(lambda: _queued(page) == 0)  # Heed answered: nothing is kept on the phone
    page.locator("#wake_time").fill("07:00")
    page.locator("form.diary-form button[type=submit]").click()
    page.locator(".flash-success").wait_for()
    _wait(lambda: _queued(page) == 0)
    assert len(_revisions(live, pid)) == len(before) + 2
    context.close()


def test_a_save_whose_answer_is_lost_is_sent_again_as_a_repeat(browser, live):
    people = seeded_people(live, "es", tag="lostanswer")
    pid = people.patient_id
    day = _today(live, pid) - timedelta(days=2)
    before = _revisions(live, pid)
    context = _phone(browser, live)
    page = context.new_page()
    sign_in(page, people.email("patient"))
    _ready_offline(page)
    page.goto(f"/patients/{pid}/diary/quick/{day.isoformat()}")

    _unreachable(context, arrive=True)
    _quick(page, 5, 3)
    _waiting(page)
    posted = _new_revisions(live, pid, before)
    assert len(posted) == 1 and _entry(live, pid, day) == (3, 5)  # it did arrive

    context.unroute_all(behavior="wait")
    page.locator("#offline-send").click()
    page.locator("#offline-status").filter(has_text=SENT).wait_for()
    assert page.locator("#offline-queue .offline-conflict").count() == 0
    assert _new_revisions(live, pid, before) == posted  # the repeat wrote nothing
    context.close()


def test_a_save_that_hangs_waits_on_the_phone(browser, live):
    people = seeded_people(live, "es", tag="hang")
    pid = people.patient_id
    day = _today(live, pid) - timedelta(days=3)
    before = _revisions(live, pid)
    live.app.config["PWA_POST_TIMEOUT_SECONDS"] = 4
    context = _phone(browser, live)
    try:
        page = context.new_page()
        sign_in(page, people.email("patient"))
        _ready_offline(page)
        page.goto(f"/patients/{pid}/diary/quick/{day.isoformat()}")
        held = []

        def hang(route) -> None:
            if _diary_post(route.request):
                held.append(route)  # no answer
            elif "/api/" in route.request.url:
                route.abort("timedout")
            else:
                route.fallback()

        context.route("**/*", hang)
        page.locator("label[for=overall_symptoms-6]").click()
        page.locator("label[for=mood-2]").click()
        # Two taps: "Sending…", and one submission.
        sending = page.evaluate(
            """() => {
                const form = document.querySelector("form.diary-form");
                const button = form.querySelector("button[type=submit]");
                button.click();
                form.requestSubmit();
                return [button.disabled, button.textContent, document.getElementById("offline-live").textContent];
            }"""
        )
        assert sending == [True, "Enviando…", "Enviando…"]
        _waiting(page)
        assert len(held) == 1

        # The post gets through late after all; sending the entry again is a repeat.
        held[0].continue_()
        _wait(lambda: len(_revisions(live, pid)) == len(before) + 1)
        context.unroute_all(behavior="wait")
        page.locator("#offline-send").click()
        page.locator("#offline-status").filter(has_text=SENT).wait_for()
        assert len(_revisions(live, pid)) == len(before) + 1
        assert _entry(live, pid, day) == (2, 6)
    finally:
        live.app.config.pop("PWA_POST_TIMEOUT_SECONDS", None)
        context.close()
