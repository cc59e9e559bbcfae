"""Malformed input never breaks a page: every route, malformed ids, numbers, dates and missing
or garbage fields, as people who may open the patient. Any 5xx (or unhandled exception) fails.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from app.db import utcnow
from tests.conftest import Auth
from tests.factories import PASSWORD
from tests.test_access import ALLOWED, CAREPLAN_POST_ALLOWED, World, _build_world

# Values that break naive parsing: 32-bit and 64-bit overflow, a number too long for any
# type, negative, non-numeric, an impossible date, a NUL byte (PostgreSQL refuses it in text).
BAD = ["2147483648", "9999999999999999999", "9" * 400, "-1", "abc", "2026-02-30", "\x00"]
# In a path: overflow, non-numeric, an unknown and a malformed UUID, an impossible date.
PATH_BAD = [
    "2147483648",
    "9999999999999999999",
    "abc",
    "00000000-0000-0000-0000-000000000000",
    "2026-02-30",
]
# Every query-string argument a view reads.
QUERY_ARGS = (
    "period",
    "from",
    "to",
    "date",
    "day",
    "days",
    "month",
    "start",
    "end",
    "page",
    "next",
    "locale",
    "phone",
    "mode",
    "step",
)
# Field names posted to routes that have no form page to read them from.
GENERIC_FIELDS = ("status", "note", "body", "member_id", "scope", "password", "locale", "phone")
# Ending the session would make the rest of the sweep meaningless; Twilio's webhooks answer
# 403 without a signature before reading anything; static files take no input.
SKIP = {"auth.logout", "static", "sms_webhooks.inbound", "sms_webhooks.status"}
PERSONAS = ["clinician_on_team", "coordinator_same_clinic", "patient_self"]
FIELD_RE = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')
HIDDEN_RE = re.compile(r'<input[^>]*type="hidden"[^>]*>')
VALUE_RE = re.compile(r'\svalue="([^"]*)"')


def _valid(world: World) -> dict[str, str]:
    refs = world.refs
    return {
        "patient_id": str(world.patient.id),
        "assignment_id": refs["assignment"],
        "occurrence_id": refs["occurrence"],
        "response_id": refs["response"],
        "alert_id": refs["alert"],
        "appointment_id": refs["appointment"],
        "link_id": refs["link"],
        "record_id": refs["record"],
        "version_id": refs["version"],
        "survey_id": refs["prem_survey"],
        "day": utcnow().date().isoformat(),
        "fmt": "json",
        "token": "x" * 20,
        "instrument_id": "phq9",
        "key_id": str(uuid.uuid4()),  # a passkey (none with this id)
        "number": "1",  # a screen of the introduction
        "referral_id": str(uuid.uuid4()),  # a referral (none with this id)
        "service_id": str(uuid.uuid4()),  # a directory service (none with this id)
        # Case conferences (unknown ones here; tests/conferences sends garbage to real ones).
        "conference_id": str(uuid.uuid4()),
        "item_id": str(uuid.uuid4()),
        "action_id": str(uuid.uuid4()),
        "lesson_key": "paced_breathing",
        "domain": "food",  # a social-needs domain (a review of a screened need)
        "_rest": "no/such/thing",  # any other path under /api/v1 (a problem 404)
    }


def _url(app: Flask, rule: Rule, values: dict[str, str]) -> str:
    names = rule.arguments - set(rule.defaults or {})
    with app.test_request_context():
        try:
            return app.url_for(rule.endpoint, **{name: values[name] for name in names})
        except ValueError:  # a typed converter (`<int:...>`) cannot even build a bad value
            path = rule.rule
            for name in names:
                value = quote(str(values[name]), safe="")
                path = re.sub(rf"<(?:[^<>:]+:)?{name}>", lambda _, v=value: v, path)
            return path


def _opens(persona: str, rule: Rule) -> bool:
    """Routes of the patient this persona may use (the others stop at the access check, which
    test_access covers), and every route without a patient."""
    if "patient_id" not in rule.arguments:
        return True
    allowed = ALLOWED.get(rule.endpoint, set()) | CAREPLAN_POST_ALLOWED.get(rule.endpoint, set())
    return persona in allowed


def _requests(
    app: Flask, world: World, persona: str
) -> Iterator[tuple[str, str, dict[str, str] | None]]:
    """(method, url, form or None) for every route and every malformed variant."""
    valid = _valid(world)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIP or not _opens(persona, rule):
            continue
        base = _url(app, rule, valid)
        urls = [base]
        for name in sorted(rule.arguments - set(rule.defaults or {})):
            urls += [_url(app, rule, {**valid, name: bad}) for bad in PATH_BAD]
        if "GET" in rule.methods:
            for url in urls:
                yield "GET", url, None
            for bad in BAD:
                yield "GET", base, dict.fromkeys(QUERY_ARGS, bad)
        if "POST" in rule.methods:
            for url in urls:
                yield "POST", url, {}
            yield "POST", base, {"__fields__": "1"}


def _form_variants(client: FlaskClient, url: str) -> list[dict[str, str]]:
    """Every field of the route's form set to each malformed value in turn, and the form's
    hidden fields alone (e.g. only the version a form was opened on): missing fields."""
    page = client.get(url)
    html = page.get_data(as_text=True) if page.status_code == 200 else ""
    names = (set(FIELD_RE.findall(html)) or set(GENERIC_FIELDS)) - {"csrf_token"}
    hidden = {}
    for tag in HIDDEN_RE.findall(html):
        name, value = FIELD_RE.search("<input " + tag[6:]), VALUE_RE.search(tag)
        if name and name.group(1) != "csrf_token":
            hidden[name.group(1)] = value.group(1) if value else ""
    alone = [{name: value} for name, value in hidden.items()]
    return [dict.fromkeys(names, bad) for bad in BAD] + ([hidden] if hidden else []) + alone


def _short(payload: dict[str, str] | None) -> str:
    return repr({k: v[:20] for k, v in (payload or {}).items()})[:120]


def test_no_route_answers_5xx_to_malformed_input(app, make):
    world = _build_world(app, make)
    failures: list[str] = []
    for persona in PERSONAS:
        failures += _sweep(app, world, persona)
    assert not failures, "\n".join(failures[:40])


def _sweep(app: Flask, world: World, persona: str) -> list[str]:
    client = app.test_client()
    auth = Auth(client)
    assert auth.login(world.people[persona].email, PASSWORD).status_code == 302
    token = auth.token("/")
    failures: list[str] = []
    for method, url, data in _requests(app, world, persona):
        sends: list[dict[str, str] | None] = [data]
        if method == "POST" and data:
            sends = _form_variants(client, url)
        for payload in sends:
            try:
                if method == "GET":
                    response = client.get(url, query_string=payload)
                else:
                    response = client.post(url, data={**(payload or {}), "csrf_token": token})
            except Exception as exc:  # collect every failure, then report
                failures.append(f"{persona} {method} {url} {_short(payload)}: {exc!r}")
                continue
            if response.status_code >= 500:
                failures.append(
                    f"{persona} {method} {url} {_short(payload)}: {response.status_code}"
                )
    # Still signed in: the sweep really reached the pages.
    assert "/auth/login" not in (client.get("/").headers.get("Location") or ""), persona
    return failures
