"""Names and free text people typed are isolated from the page around them (U+202E cannot
reorder a registry row), on every main staff page."""

from __future__ import annotations

import uuid
from datetime import timedelta
from html.parser import HTMLParser

from app.careplan import services as careplan
from app.careplan.content import PlanContent
from app.careteam.models import Patient
from app.db import db
from app.diary import queries as diary_queries
from app.diary import services as diary
from app.diary.queries import local_today
from app.diary.values import DiaryValues
from app.i18n.bidi import FSI, PDI, bdi, isolate
from tests.factories import PASSWORD

NAME = "Eve \u202eTrap\u202c Name"  # a right-to-left override inside the name
COMMENT = "\u202eevil comment"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Isolation(HTMLParser):
    """Every text node or attribute containing `needle`: is it isolated?"""

    def __init__(self, needle: str) -> None:
        super().__init__(convert_charrefs=True)
        self.needle, self.stack, self.bad, self.seen = needle, [], [], 0

    def handle_starttag(self, tag, attrs):
        auto = dict(attrs).get("dir") == "auto"
        hidden = dict(attrs).get("type") in {"checkbox", "radio", "hidden"}
        for name, value in attrs:
            if value and self.needle in value and not (name == "value" and (auto or hidden)):
                self.seen += 1
                if f"{FSI}{self.needle}{PDI}" not in value:
                    self.bad.append(f"<{tag} {name}={value!r}>")
        if tag not in VOID:
            self.stack.append((tag, auto))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.needle not in data:
            return
        self.seen += 1
        tags = [tag for tag, _auto in self.stack]
        # Inside <bdi> or dir="auto"; or, where no markup can go (<title>, <option>) and in
        # flashed messages, between FSI and PDI.
        ok = f"{FSI}{self.needle}{PDI}" in data or (
            "title" not in tags and any(tag == "bdi" or auto for tag, auto in self.stack)
        )
        if not ok:
            self.bad.append(f"{'>'.join(tags[-4:])}: {data.strip()[:60]!r}")


def _check(html: str, needle: str) -> list[str]:
    parser = _Isolation(needle)
    parser.feed(html)
    assert parser.seen, f"{needle!r} is not on the page"
    return parser.bad


def test_filters_isolate_and_escape():
    assert bdi("<b>x</b>") == "<bdi>&lt;b&gt;x&lt;/b&gt;</bdi>"
    assert bdi(None) == "" and isolate("") == ""
    assert isolate("x") == f"{FSI}x{PDI}"


def test_registry_isolates_a_name_with_a_right_to_left_override(make, client, auth):
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    make.patient(clinic, name=NAME)
    auth.login(coordinator.email, PASSWORD)
    html = client.get("/registry").get_data(as_text=True)
    assert f"<bdi>{NAME}</bdi>" in html
    assert _check(html, NAME) == []


def test_staff_pages_show_names_and_comments_only_isolated(app, make, client, auth):
    clinic = make.clinic()
    clinician = make.clinician(clinic, name="Dr \u202eReversed")
    coordinator = make.coordinator(clinic)
    patient = make.patient(clinic, team=[clinician], name=NAME)
    with app.test_request_context():
        record = db.session.get(Patient, patient.id)
        careplan.save_version(
            patient=record,
            author=db.session.get(type(clinician), clinician.id),
            content=PlanContent(hypotheses="\u202eplan text"),
            base_version=0,
        )
        careplan.add_comment(patient=record, author=record.user, body=COMMENT, plan_version=1)
        db.session.commit()
    pid = patient.id
    pages = {
        coordinator: ["/", "/registry", f"/patients/{pid}", f"/patients/{pid}/access-log"],
        clinician: [
            "/",
            "/registry",
            f"/patients/{pid}",
            f"/patients/{pid}/summary",
            f"/patients/{pid}/summary/print",
            f"/patients/{pid}/team",
            f"/patients/{pid}/care-plan",
            f"/patients/{pid}/care-plan/versions",
            f"/patients/{pid}/diary/history",
            f"/patients/{pid}/messages",
            f"/patients/{pid}/followups",
            f"/patients/{pid}/alert-settings",
            f"/patients/{pid}/questionnaires/assign",
        ],
    }
    problems = []
    for person, urls in pages.items():
        auth.login(person.email, PASSWORD)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.get_data(as_text=True)
            for needle in (NAME, "Dr \u202eReversed", COMMENT, "\u202eplan text"):
                if needle in html:
                    problems += [f"{url}: {bad}" for bad in _check(html, needle)]
        auth.logout()
    assert problems == []


def test_diary_text_tags_and_own_symptom_labels_are_isolated(app, make, client, auth):
    label, tag, note = "\u202eMy ache", "\u202emy tag", "\u202emy note"
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    with app.test_request_context():
        record = db.session.get(Patient, patient.id)
        diary.set_tracked_symptoms(patient=record, codes=[], custom_labels=[label])
        db.session.flush()
        key = next(d.key for d in diary_queries.symptom_defs(record, None) if d.label == label)
        today = local_today(record)
        for days_ago in range(1, 6):
            diary.record_entry(
                patient=record,
                local_date=today - timedelta(days=days_ago),
                values=DiaryValues(
                    overall_symptoms=4, symptoms={key: 5}, custom_triggers=(tag,), notes=note
                ),
                submission_id=uuid.uuid4(),
                actor=record.user,
            )
        db.session.commit()
    pid, yesterday = patient.id, (today - timedelta(days=1)).isoformat()
    pages_of = {
        clinician: [f"/patients/{pid}/summary", f"/patients/{pid}/summary/print"],
        patient.user: [
            f"/patients/{pid}/diary/entry/{yesterday}",
            f"/patients/{pid}/diary/history",
            f"/patients/{pid}/diary/symptoms",
        ],
    }
    problems, seen = [], set()
    for person, urls in pages_of.items():
        auth.login(person.email, PASSWORD)
        for url in urls:
            html = client.get(url).get_data(as_text=True)
            for needle in (label, tag, note):
                if needle in html:
                    seen.add(needle)
                    problems += [f"{url}: {bad}" for bad in _check(html, needle)]
        auth.logout()
    assert seen == {label, tag, note}
    assert problems == []
