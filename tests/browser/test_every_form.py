"""Every form, for every role, submitted as displayed in the browser (issue 14, defect 1).

For each demo login (and for a visitor who is not signed in) the test walks a small catalogue
of the role's pages from the seeded demo and follows the links it finds there (one page per
path pattern, so one patient's record stands for all), collects every POST form on those
pages, and submits each one as the page shows it: its defaults, one click on its button. The
answer must never be a 5xx, and it is either a success (a redirect with no error) or an error
that a person can act on: localized, visible, next to a visible field that is marked
(`aria-invalid="true"`, `aria-describedby` pointing at the message). A form that still needs
one valid change to save lists it in CHANGES. Destructive forms are skipped, each with its
reason, and a last test checks that every POST route of the app was either submitted here or
is skipped with a reason, so a new form is checked the day it appears.

The run has its own seeded server: submitting every form changes demo data other journeys
read.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.fixtures import Live, seeded_server
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

ROLES = {
    "visitor": None,
    "patient": "paciente@example.org",  # Spanish: errors must come back in Spanish
    "caregiver": "caregiver@example.org",  # check-ins and observations
    "clinician": "clinician@example.org",
    "coordinator": "coordinator@example.org",
    "admin": "admin@example.org",
}
# Where each role starts; the walk follows the links it finds from there.
CATALOGUE = {
    "visitor": ["/auth/login", "/auth/reset"],
    "patient": ["/", "/auth/settings", "/settings/reminders"],
    "caregiver": ["/", "/auth/settings", "/settings/reminders"],
    "clinician": ["/", "/auth/settings", "/dev/phone"],
    "coordinator": [
        "/",
        "/auth/settings",
        "/registry",
        "/patients/enroll",
        "/consent/documents",
        "/referrals/directory",
    ],
    "admin": ["/", "/auth/settings", "/admin/invite"],
}
# Forms not submitted, by the pattern of the path they post to, and why.
SKIPPED = {
    "/auth/logout": "signs out: ends the session the walk runs in (test_journeys signs out)",
    "/locale": "the language switcher posts the language already shown (test_journeys)",
    "/patients/{id}/data/erase": "erases the patient's data, irreversibly (tests/datarights)",
    "/patients/{id}/social-needs/{id}/{domain}": "walked as .../food on the demo's positive screen "
    "(the walk names the domain); every answer: tests/instruments/test_social_needs.py",
    "/admin/break-glass": "opens a record to an admin with a logged emergency reason (tests/admin)",
    "/patients/{id}/team/remove": "takes a clinician off the care team (tests/careteam)",
    "/referrals/{id}/status": "its first button cancels or declines the referral, which closes it "
    "for good (tests/referrals/test_flow, test_referrals_journey)",
    "/auth/security/passkeys/new": "the passkey ceremony needs an authenticator: "
    "test_mfa_journey registers one with Chromium's virtual authenticator",
    **dict.fromkeys(
        ("/conferences/{id}/freeze", "/conferences/{id}/start", "/conferences/{id}/finish"),
        "moves the demo case conference on for good (tests/conferences/test_views.py, "
        "test_conference_journey)",
    ),
    "/conferences/{id}/items/{id}/remove": "takes a patient off the demo conference's agenda "
    "(tests/conferences/test_views.py, test_services)",
    "/patients/{id}/lessons/attach": "shown only on a care plan that has goals or interventions; "
    "the walk opens one care plan per role and may meet a patient without one "
    "(tests/education: test_lesson_attached_to_a_goal_shows_on_the_care_plan)",
}
# POST routes no role reaches from a page: what they are and where they are tested.
NOT_PAGES = {
    "/sms/inbound": "Twilio's webhook, not a form (tests/sms)",
    "/sms/status": "Twilio's webhook, not a form (tests/sms)",
    "/m/{token}": "a texted one-time link's confirmation (test_sms_journey, tests/sms)",
    "/auth/reset/{token}": "needs the one-time token from an email (tests/auth)",
    "/patients/{id}/experience/{id}": "an experience survey opens only after a follow-up is "
    "marked done; the demo's are answered (tests/prems/test_surveys, test_prems_journey)",
    "/auth/invitation/{token}": "needs the one-time token from an email (tests/auth)",
    "/auth/passkey": "passkey sign-in, a WebAuthn ceremony in JSON (test_mfa_journey)",
    "/auth/passkey/options": "passkey sign-in, a WebAuthn ceremony in JSON (test_mfa_journey)",
    "/auth/security/passkeys": "passkey registration in JSON (test_mfa_journey)",
    "/auth/security/passkeys/options": "passkey registration in JSON (test_mfa_journey)",
    **dict.fromkeys(
        (
            "/auth/second-factor",
            "/auth/second-factor/passkey",
            "/auth/second-factor/passkey/options",
            "/auth/second-factor/recovery",
            "/auth/second-factor/setup",
        ),
        "the sign-in's second step, only between a right password and the second factor "
        "(tests/auth/test_mfa_sign_in, test_mfa_journey)",
    ),
    **dict.fromkeys(
        (
            "/auth/security/authenticator/remove",
            "/auth/security/passkeys/{id}/remove",
            "/auth/security/recovery-codes",
        ),
        "shown once a person has a second factor; the demo people have none "
        "(tests/auth/test_mfa_settings, test_mfa_journey)",
    ),
    "/r/{token}": "an outside service's one-time referral link, shown once to the referrer "
    "(tests/referrals/test_flow, test_referrals_journey)",
    "/referrals/{id}/reroute": "only for a declined internal referral; the demo has none "
    "(tests/referrals/test_flow, test_referrals_journey)",
    "/referrals/{id}/link": "only on a referral to an outside service, one referral page stands "
    "for all in the walk (tests/referrals/test_flow, test_referrals_journey)",
    "/referrals/{id}/answer": "asked only days after a referral's expected first contact; the "
    "walked patient has none due (tests/referrals/test_flow, test_referrals_journey)",
    **dict.fromkeys(
        (
            "/conferences/{id}/items/{id}/note",
            "/conferences/{id}/items/{id}/actions",
            "/conferences/actions/{id}",
        ),
        "shown once a case conference has started or has actions; the demo one is upcoming "
        "(tests/conferences/test_views.py, test_conference_journey)",
    ),
    "/settings/tokens/revoke": "shown once a person has an access token; the demo people have "
    "none (tests/api/test_tokens)",
    "/api/v1/{_rest}": "the JSON API's not-found answer for any other path (tests/api)",
    **dict.fromkeys(
        ("/consent/documents/{id}", "/consent/documents/{id}/publish"),
        "a draft's forms; the demo publishes every document (tests/consent, test_consent_journey)",
    ),
}
# A form whose defaults cannot be saved and show no error either gets one valid change here:
# {action pattern: {field name: value}}.
CHANGES: dict[str, dict[str, str]] = {}
# Forms whose defaults must save as shown (an error, even a well marked one, is a defect).
MUST_SAVE = {
    "/settings/reminders": "defect 1: reminder settings could never be saved by this role",
    "/auth/settings": "the settings as shown are valid settings",
}
LINKS_NOT_FOLLOWED = re.compile(
    r"/auth/logout|/export\.|\.csv|/fhir|/print|/m/|/healthz|/static/|/sms/|mailto:|tel:"
)
MAX_PAGES = 45  # per role: enough for one of each page, well inside the time budget
# a lesson's key in its page (/learn/pacing) and practice form: one lesson is enough
LESSON = re.compile(r"(/learn/|/lessons/)(?!recommend$|attach$)[a-z_]+")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def pattern(url: str) -> str:
    """The path with ids and days as placeholders: one page per pattern is enough."""
    path = urlsplit(url).path.rstrip("/") or "/"
    path = LESSON.sub(lambda m: m.group(1) + "{lesson_key}", path)
    return DAY.sub("{day}", UUID.sub("{id}", path))


@dataclass
class Found:
    page: str  # where the form was seen
    action: str  # the path it posts to
    index: int  # among the page's POST forms with that action


@dataclass
class Run:
    submitted: set[str] = field(default_factory=set)  # action patterns
    roles: set[str] = field(default_factory=set)


RUN = Run()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with seeded_server(str(tmp_path_factory.mktemp("forms")), "forms") as served:
        _open_alert(served)
        yield served


def _open_alert(served: Live) -> None:
    """The demo's alerts are all acknowledged; one open alert puts its form in the inbox."""
    from sqlalchemy import select

    from app.alerts.models import Severity
    from app.alerts.services import raise_alert
    from app.auth.models import User
    from app.careteam.models import Patient
    from app.db import db

    with served.app.test_request_context():
        patient_id = db.session.scalar(
            select(Patient.id)
            .join(User, User.id == Patient.user_id)
            .where(User.email == "patient@example.org")
        )
        raise_alert(
            patient_id=patient_id,
            rule_code="no_diary",
            severity=Severity.NORMAL,
            source_type="walk",
            source_id=uuid.uuid4(),
        )
        db.session.commit()


@pytest.fixture(scope="module")
def live_server(live: Live) -> str:
    return live.url


@pytest.fixture(scope="module")
def english() -> dict[str, frozenset[str]]:
    """Per locale, the English source texts that locale translates: an error shown verbatim
    in one of them on a page in that locale was not translated."""
    found = {}
    for po in Path("translations").glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        found[po.parts[1]] = frozenset(
            m.id
            for m in catalog
            if isinstance(m.id, str) and m.id and m.string and m.string != m.id
        )
    return found


# What the page says after a submission (run in the page).
OUTCOME_JS = """() => {
  const shown = (el) => !!el && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
  const marked = [...document.querySelectorAll('main [aria-invalid="true"]')].filter(shown);
  const referenced = new Set();
  const fields = marked.map((el) => {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    ids.forEach((id) => referenced.add(id));
    const messages = ids.map((id) => document.getElementById(id))
      .filter((m) => shown(m) && m.classList.contains('error') && text(m));
    return {name: el.name || el.id || el.tagName, messages: messages.map(text)};
  });
  const errors = [...document.querySelectorAll('main .error')].filter(shown);
  return {
    lang: document.documentElement.lang,
    fields,
    orphans: errors.filter((e) => !e.id || !referenced.has(e.id)).map(text),
    errorFlashes: [...document.querySelectorAll('.flashes .flash-error, main .error-summary')]
      .filter(shown).map(text),
    okFlashes: [...document.querySelectorAll('.flashes .flash:not(.flash-error)')]
      .filter(shown).map(text),
  };
}"""

FORMS_JS = """() => [...document.querySelectorAll('form')]
  .filter((f) => (f.getAttribute('method') || '').toLowerCase() === 'post')
  .map((f) => new URL(f.getAttribute('action') || location.href, location.href).pathname)"""


# Tag the index-th POST form that posts to the action (run in the page).
TAG_JS = """([action, index]) => {
  const forms = [...document.querySelectorAll('form')].filter((f) =>
    (f.getAttribute('method') || '').toLowerCase() === 'post'
    && new URL(f.getAttribute('action') || location.href, location.href).pathname === action);
  if (forms.length <= index) return false;
  forms[index].setAttribute('data-walked', '');
  return true;
}"""


def _walk(page, role: str) -> list[Found]:
    """Visit the catalogue and what it links to (one page per pattern); collect POST forms."""
    queue = list(CATALOGUE[role])
    seen_patterns: set[str] = set()
    forms: dict[str, Found] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.pop(0)
        if pattern(url) in seen_patterns:
            continue
        seen_patterns.add(pattern(url))
        response = page.goto(url)
        visited += 1
        assert response is not None and response.status < 500, f"{role}: {url} answered 5xx"
        if response.status >= 400:
            continue
        here = urlsplit(page.url).path + (
            f"?{urlsplit(page.url).query}" if urlsplit(page.url).query else ""
        )
        counts: dict[str, int] = {}
        for action in page.evaluate(FORMS_JS):
            index = counts.get(action, 0)
            counts[action] = index + 1
            forms.setdefault(pattern(action), Found(here, action, index))
        for href in page.eval_on_selector_all("a[href]", "(links) => links.map((a) => a.href)"):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(page.url).netloc or LINKS_NOT_FOLLOWED.search(href):
                continue
            if pattern(href) not in seen_patterns:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    if os.environ.get("HEED_WALK_DEBUG"):
        print(role, visited, sorted(seen_patterns))
    return list(forms.values())


def _submit(page, found: Found, role: str, english: dict[str, frozenset[str]]) -> list[str]:
    """Submit one form as displayed; what is wrong with the answer (empty: all good)."""
    where = f"{role}: {found.action} on {found.page}"
    page.goto(found.page)
    tagged = page.evaluate(TAG_JS, [found.action, found.index])
    if not tagged:
        return [f"{where}: the form is no longer on the page"]
    target = page.locator("form[data-walked]")
    for name, value in CHANGES.get(pattern(found.action), {}).items():
        target.locator(f"[name='{name}']").fill(value)
    buttons = target.locator("button[type=submit], button:not([type]), input[type=submit]")
    visible = [b for b in buttons.all() if b.is_visible()]
    statuses: list[int] = []

    def record(response) -> None:
        if response.request.method == "POST":
            statuses.append(response.status)

    page.on("response", record)
    try:
        with page.expect_navigation():
            if visible:
                visible[0].click()
            else:
                target.evaluate("(f) => f.requestSubmit()")
        page.wait_for_load_state()
    except PlaywrightTimeout:
        return [f"{where}: no page answered the submit (a script or a browser-only check held it)"]
    finally:
        page.remove_listener("response", record)
    if not statuses:
        return [f"{where}: nothing was posted (a browser-only check stopped it?)"]
    if statuses[0] >= 500:
        return [f"{where}: answered {statuses[0]}"]
    shown = page.evaluate(OUTCOME_JS)
    problems = []
    saved = statuses[0] in (302, 303) and not shown["errorFlashes"] and not shown["fields"]
    if pattern(found.action) in MUST_SAVE and not saved:
        problems.append(f"{where}: not saved ({MUST_SAVE[pattern(found.action)]}): {shown}")
    if shown["fields"]:
        for marked in shown["fields"]:
            if not marked["messages"]:
                problems.append(f"{where}: {marked['name']} is marked but no message describes it")
        if shown["orphans"]:
            problems.append(f"{where}: errors next to no marked field: {shown['orphans']}")
        messages = [m for f in shown["fields"] for m in f["messages"]]
        untranslated = english.get(shown["lang"], frozenset())
        if shown["lang"] != "en":
            problems += [
                f"{where}: not localized ({shown['lang']}): {m!r}"
                for m in messages
                if m in untranslated
            ]
    elif shown["errorFlashes"] or shown["orphans"]:
        problems.append(
            f"{where}: an error with no marked field: {shown['errorFlashes'] + shown['orphans']}"
        )
    elif statuses[0] not in (302, 303) and not shown["okFlashes"]:
        problems.append(f"{where}: answered {statuses[0]} with neither a success nor an error")
    return problems


@pytest.mark.parametrize("role", list(ROLES))
def test_every_form_submitted_as_displayed(role, browser, live_server, english):
    context = browser.new_context(viewport={"width": 360, "height": 780}, base_url=live_server)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_default_timeout(10_000)
    try:
        if ROLES[role]:
            sign_in(page, ROLES[role])
        found = _walk(page, role)
        if os.environ.get("HEED_WALK_DEBUG"):
            print(role, sorted(pattern(f.action) + " @ " + pattern(f.page) for f in found))
        problems: list[str] = []
        for form in found:
            if pattern(form.action) in SKIPPED:
                continue
            problems += _submit(page, form, role, english)
            RUN.submitted.add(pattern(form.action))
        assert not problems, "\n".join(problems)
        RUN.roles.add(role)
    finally:
        context.close()


def test_every_post_route_was_submitted_or_is_skipped_with_a_reason(live):
    if RUN.roles != set(ROLES):
        pytest.skip("runs after the walk of every role")
    routes = {
        re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: "{" + m.group(1) + "}", rule.rule)
        for rule in live.app.url_map.iter_rules()
        if "POST" in (rule.methods or ())
    }
    routes = {re.sub(r"\{[a-z_]*id\}", "{id}", r) for r in routes}
    covered = RUN.submitted | set(SKIPPED) | set(NOT_PAGES)
    # a page for a day (/diary/entry/{day}) covers the same form for today (/diary/entry)
    missing = sorted(r for r in routes if not {r, r + "/{day}"} & covered)
    assert not missing, f"POST routes no role reached and none skipped: {missing}"
