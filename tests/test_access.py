"""The authorization matrix: every role against every patient route, denials as audited 404s."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.access import Action, may
from app.audit import AuditEvent, Outcome
from app.auth.models import Discipline, User
from app.careplan import services as careplan
from app.careplan.content import PlanContent
from app.careplan.models import CarePlanVersion
from app.careteam import services as careteam
from app.careteam.models import BreakGlassGrant, CaregiverLink, ConsentScope, Patient
from app.consent.models import (
    ConsentDecision,
    ConsentMethod,
    ConsentPdf,
    ConsentPurpose,
    ConsentRecord,
    ConsentVersion,
)
from app.db import db, utcnow
from app.followups.models import Appointment, Modality
from app.prems.models import PremSurvey
from tests.conftest import Auth
from tests.factories import PASSWORD
from tests.instruments.helpers import questionnaire_refs

# Every route that takes a patient id, with the URL pattern to call.
ROUTES = {
    "careteam.record": "/patients/{id}",
    "careteam.access_log": "/patients/{id}/access-log",
    "careteam.team": "/patients/{id}/team",
    "careteam.caregivers": "/patients/{id}/caregivers",
    "datarights.index": "/patients/{id}/data",
    "datarights.export": "/patients/{id}/data/export.json",
    "instruments.assign": "/patients/{id}/questionnaires/assign",
    "instruments.edit_assignment": "/patients/{id}/assignments/{assignment}",
    "instruments.assignment_status": "/patients/{id}/assignments/{assignment}/status",
    "instruments.answer": "/patients/{id}/questionnaires/{occurrence}",
    "instruments.done": "/patients/{id}/questionnaires/{done}/done",
    "instruments.response_fhir": "/patients/{id}/responses/{response}/fhir",
    "instruments.checkin": "/patients/{id}/checkins/new",
    "instruments.review_need": "/patients/{id}/social-needs/{screen}/food",
    "alerts.acknowledge": "/patients/{id}/alerts/{alert}/acknowledge",
    "alerts.settings": "/patients/{id}/alert-settings",
    "followups.set_status": "/patients/{id}/followups/{appointment}/status",
    "diary.entry": "/patients/{id}/diary/entry",
    "diary.quick": "/patients/{id}/diary/quick",
    "diary.history": "/patients/{id}/diary/history",
    "diary.patterns": "/patients/{id}/diary/patterns",
    "diary.observe": "/patients/{id}/diary/observations",
    "diary.symptoms": "/patients/{id}/diary/symptoms",
    "careplan.view": "/patients/{id}/care-plan",
    "careplan.edit": "/patients/{id}/care-plan/edit",
    "careplan.versions": "/patients/{id}/care-plan/versions",
    "prems.answer": "/patients/{id}/experience/{prem_survey}",
    "prems.done": "/patients/{id}/experience/{prem_survey}/thanks",
    "careplan.compare": "/patients/{id}/care-plan/diff?from=1&to=2",
    "sms.message_log": "/patients/{id}/messages",
    "trends.summary_view": "/patients/{id}/summary?period=90",
    "trends.summary_print": "/patients/{id}/summary/print",
    "trends.summary_csv": "/patients/{id}/summary.csv",
    "followups.schedule": "/patients/{id}/followups",
    "referrals.for_patient": "/patients/{id}/referrals",
    "consent.overview": "/patients/{id}/consent",
    "consent.give": "/patients/{id}/consent/give",
    "consent.record": "/patients/{id}/consent/records/{record}",
    "consent.pdf": "/patients/{id}/consent/records/{record}/pdf",
    # The JSON API (app/api), through the browser session; tokens: tests/api.
    "api.patient": "/api/v1/patients/{id}",
    "api.diary_entries": "/api/v1/patients/{id}/diary",
    "api.assignments": "/api/v1/patients/{id}/questionnaires/assignments",
    "api.responses": "/api/v1/patients/{id}/questionnaires/responses",
    "api.care_plan_versions": "/api/v1/patients/{id}/care-plan/versions",
    "api.alerts": "/api/v1/patients/{id}/alerts",
    "api.followups": "/api/v1/patients/{id}/followups",
    "fhir.everything": "/fhir/Patient/{id}/$everything",
}
# Patient routes covered elsewhere: a diary day's GET and PUT answer 404 for a day without an
# entry even when allowed, so tests/api/test_diary_put.py checks them with an entry.
COVERED_ELSEWHERE = {"api.diary_entry", "api.put_diary_entry"}
# POST-only routes and the form they send; an allowed POST redirects, a denied one is a 404.
POSTS = {
    "instruments.assignment_status": {"status": "paused"},
    "alerts.acknowledge": {"note": "Called the patient."},
    "followups.set_status": {"status": "done"},
}
DIARY_READERS = {
    "patient_self",
    "clinician_on_team",
    "coordinator_same_clinic",
    "admin_break_glass",
}
CARE_PLAN_READERS = {
    "patient_self",
    "clinician_on_team",
    "coordinator_same_clinic",
    "admin_break_glass",
}
# POST routes tested with real form data: (URL pattern, form data, status when allowed).
CAREPLAN_POSTS = {
    "careplan.edit": (
        "/patients/{id}/care-plan/edit",
        {"base_version": "2", "hypotheses": "Updated.", "escalation": "", "crisis_plan": ""},
        302,
    ),
    "careplan.comment": ("/patients/{id}/care-plan/comments", {"body": "A question."}, 302),
}
CAREPLAN_POST_ALLOWED = {
    "careplan.edit": {"clinician_on_team", "coordinator_same_clinic"},
    "careplan.comment": {"patient_self"},
}
SCORE_READERS = {
    "patient_self",
    "caregiver_with_scope",
    "clinician_on_team",
    "coordinator_same_clinic",
    "admin_break_glass",
}
# Routes that change something, called with a valid CSRF token and an empty form:
# allowed personas get a validation answer or a redirect, everyone else a 404.
POST_ROUTES = {
    "careteam.team": "/patients/{id}/team",
    "careteam.remove_member": "/patients/{id}/team/remove",
    "careteam.caregivers": "/patients/{id}/caregivers",
    "careteam.update_caregiver": "/patients/{id}/caregivers/{link}",
    "datarights.erase": "/patients/{id}/data/erase",
    "instruments.assign": "/patients/{id}/questionnaires/assign",
    "instruments.period_item": "/patients/{id}/questionnaires/period-item",
    "instruments.edit_assignment": "/patients/{id}/assignments/{assignment}",
    "instruments.answer": "/patients/{id}/questionnaires/{occurrence}",
    "instruments.checkin": "/patients/{id}/checkins/new",
    "instruments.review_need": "/patients/{id}/social-needs/{screen}/food",
    "diary.entry": "/patients/{id}/diary/entry",
    "diary.quick": "/patients/{id}/diary/quick",
    "diary.observe": "/patients/{id}/diary/observations",
    "diary.symptoms": "/patients/{id}/diary/symptoms",
    "alerts.settings": "/patients/{id}/alert-settings",
    "followups.schedule": "/patients/{id}/followups",
    "referrals.for_patient": "/patients/{id}/referrals",
    "consent.give": "/patients/{id}/consent/give",
    "consent.verify": "/patients/{id}/consent/verify",
    "consent.withdraw": "/patients/{id}/consent/withdraw",
    "prems.answer": "/patients/{id}/experience/{prem_survey}",
    "education.practice": "/patients/{id}/lessons/paced_breathing/practice",
    "education.recommend": "/patients/{id}/lessons/recommend",
    "education.attach": "/patients/{id}/lessons/attach",
}
MANAGE_TEAM = {"clinician_on_team", "coordinator_same_clinic"}
CONSENT_USERS = {"patient_self", "clinician_on_team", "coordinator_same_clinic"}

ALLOWED = {
    "careteam.record": {
        "patient_self",
        "caregiver_with_scope",
        "caregiver_checkins",
        "clinician_on_team",
        "coordinator_same_clinic",
        "admin_break_glass",
    },
    "careteam.access_log": {"patient_self", "coordinator_same_clinic"},
    "education.practice": {"patient_self"},
    "education.recommend": {"clinician_on_team", "coordinator_same_clinic"},
    "education.attach": {"clinician_on_team", "coordinator_same_clinic"},
    "careteam.team": MANAGE_TEAM,
    "careteam.remove_member": MANAGE_TEAM,
    "careteam.caregivers": {"patient_self"},
    "careteam.update_caregiver": {"patient_self"},
    "datarights.index": {"patient_self"},
    "datarights.export": {"patient_self"},
    "datarights.erase": {"patient_self"},
    "instruments.assign": {"clinician_on_team"},
    "instruments.review_need": {"clinician_on_team"},
    "instruments.period_item": {"clinician_on_team"},
    "instruments.edit_assignment": {"clinician_on_team"},
    "instruments.assignment_status": {"clinician_on_team"},
    "instruments.answer": {"patient_self"},
    "instruments.done": {"patient_self"},
    "instruments.response_fhir": SCORE_READERS,
    "instruments.checkin": {"caregiver_checkins"},
    "alerts.acknowledge": {"clinician_on_team", "coordinator_same_clinic"},
    "alerts.settings": {"clinician_on_team", "coordinator_same_clinic"},
    "diary.entry": {"patient_self"},
    "diary.quick": {"patient_self"},
    "diary.history": DIARY_READERS,
    "diary.patterns": DIARY_READERS,
    "diary.observe": {"clinician_on_team"},
    "diary.symptoms": {"patient_self"},
    "careplan.view": CARE_PLAN_READERS,
    "careplan.edit": {"clinician_on_team", "coordinator_same_clinic"},
    "careplan.versions": CARE_PLAN_READERS,
    "careplan.compare": CARE_PLAN_READERS,
    "sms.message_log": {"patient_self", "clinician_on_team", "coordinator_same_clinic"},
    "trends.summary_view": MANAGE_TEAM | {"admin_break_glass"},
    "trends.summary_print": MANAGE_TEAM | {"admin_break_glass"},
    "trends.summary_csv": MANAGE_TEAM,
    "followups.schedule": MANAGE_TEAM,
    "followups.set_status": MANAGE_TEAM,
    "referrals.for_patient": MANAGE_TEAM,
    "consent.overview": CONSENT_USERS,
    "consent.give": CONSENT_USERS,
    "consent.record": CONSENT_USERS,
    "consent.pdf": CONSENT_USERS,
    "consent.verify": CONSENT_USERS,
    "consent.withdraw": CONSENT_USERS,
    "prems.answer": {"patient_self"},
    "prems.done": {"patient_self"},
    "api.patient": {
        "patient_self",
        "caregiver_with_scope",
        "caregiver_checkins",
        "clinician_on_team",
        "coordinator_same_clinic",
        "admin_break_glass",
    },
    "api.diary_entries": DIARY_READERS,
    "api.assignments": SCORE_READERS,
    "api.responses": SCORE_READERS,
    "api.care_plan_versions": CARE_PLAN_READERS,
    "api.alerts": {"clinician_on_team", "coordinator_same_clinic"},
    "api.followups": MANAGE_TEAM | {"patient_self"},
    "fhir.everything": MANAGE_TEAM | {"patient_self"},
}

PERSONAS = [
    "patient_self",
    "other_patient",
    "caregiver_with_scope",
    "caregiver_without_scope",
    "caregiver_checkins",
    "caregiver_revoked",
    "caregiver_expired",
    "clinician_on_team",
    "clinician_off_team",
    "clinician_removed",
    "coordinator_same_clinic",
    "coordinator_other_clinic",
    "admin",
    "admin_break_glass",
    "admin_break_glass_expired",
]


@dataclass
class World:
    patient: Patient
    people: dict[str, User]
    refs: dict[str, str]


def _build_world(app, make) -> World:
    clinic, other_clinic = make.clinic(), make.clinic()
    on_team = make.clinician(clinic, discipline=Discipline.PRIMARY_CARE)
    removed = make.clinician(clinic)
    patient = make.patient(clinic, team=[on_team, removed])
    people: dict[str, User] = {
        "patient_self": patient.user,
        "other_patient": make.patient(clinic).user,
        "clinician_on_team": on_team,
        "clinician_off_team": make.clinician(clinic),
        "clinician_removed": removed,
        "coordinator_same_clinic": make.coordinator(clinic),
        "coordinator_other_clinic": make.coordinator(other_clinic),
        "admin": make.admin(),
        "admin_break_glass": make.admin(),
        "admin_break_glass_expired": make.admin(),
    }
    people["caregiver_with_scope"], _ = make.caregiver(patient, [ConsentScope.VIEW_SCORES])
    people["caregiver_without_scope"], _ = make.caregiver(patient, [])
    people["caregiver_checkins"], _ = make.caregiver(patient, [ConsentScope.RECEIVE_CHECKINS])
    people["caregiver_revoked"], revoked_link = make.caregiver(
        patient, [ConsentScope.VIEW_DIARY_SUMMARY]
    )
    people["caregiver_expired"], expired_link = make.caregiver(patient, [])
    with app.test_request_context():
        careteam.remove_from_team(
            patient=db.session.get(Patient, patient.id), member=db.session.get(User, removed.id)
        )
        careteam.revoke_scope(
            link=db.session.get(CaregiverLink, revoked_link.id),
            scope=ConsentScope.VIEW_DIARY_SUMMARY,
        )
        careteam.grant_scope(
            link=db.session.get(CaregiverLink, expired_link.id),
            scope=ConsentScope.VIEW_SCORES,
            granted_by=db.session.get(User, patient.user_id),
            expires_at=utcnow() - timedelta(minutes=1),
        )
        for key, expires in [
            ("admin_break_glass", timedelta(hours=1)),
            ("admin_break_glass_expired", -timedelta(minutes=1)),
        ]:
            db.session.add(
                BreakGlassGrant(
                    admin_id=people[key].id,
                    patient_id=patient.id,
                    reason="test emergency",
                    expires_at=utcnow() + expires,
                )
            )
        refs = questionnaire_refs(
            db.session.get(Patient, patient.id), db.session.get(User, on_team.id)
        )
        record = db.session.get(Patient, patient.id)
        author = db.session.get(User, on_team.id)
        for base, text in enumerate(["First version.", "Second version."]):
            careplan.save_version(
                patient=record,
                author=author,
                content=PlanContent(hypotheses=text),
                base_version=base,
            )
        db.session.commit()
    refs["link"] = str(revoked_link.id)
    with app.app_context():
        appointment = Appointment(
            patient_id=patient.id,
            clinician_id=on_team.id,
            starts_at=utcnow() + timedelta(days=3),
            modality=Modality.IN_PERSON,
        )
        db.session.add(appointment)
        db.session.add(ConsentPdf(sha256=hashlib.sha256(b"%PDF-1").hexdigest(), content=b"%PDF-1"))
        consent = ConsentRecord(
            patient_id=patient.id,
            purpose=ConsentPurpose.CARE,
            decision=ConsentDecision.GIVEN,
            method=ConsentMethod.PAPER,
            locale="en",
            pdf_sha256=hashlib.sha256(b"%PDF-1").hexdigest(),
        )
        db.session.add(consent)
        version = ConsentVersion(
            clinic_id=patient.clinic_id,
            purpose=ConsentPurpose.RESEARCH,
            locale="en",
            number=1,
            title="Research contact",
            body="A draft.",
        )
        db.session.add(version)
        survey = PremSurvey(
            patient_id=patient.id,
            clinic_id=patient.clinic_id,
            instrument="collaborate",
            invited_at=utcnow(),
            expires_at=utcnow() + timedelta(days=7),
        )
        db.session.add(survey)
        db.session.commit()
        refs["prem_survey"] = str(survey.id)
        refs["appointment"] = str(appointment.id)
        refs["record"] = str(consent.id)
        refs["version"] = str(version.id)
    return World(patient=patient, people=people, refs=refs)


def test_every_patient_route_is_in_the_matrix(app):
    patient_routes = {
        rule.endpoint for rule in app.url_map.iter_rules() if "patient_id" in rule.arguments
    }
    expected = set(ROUTES) | set(POST_ROUTES) | set(CAREPLAN_POSTS) | COVERED_ELSEWHERE
    assert patient_routes == expected, "add new patient routes to the matrix"
    for rule in app.url_map.iter_rules():
        if "patient_id" in rule.arguments and "POST" in rule.methods:
            assert rule.endpoint in POST_ROUTES.keys() | POSTS.keys() | CAREPLAN_POSTS.keys(), (
                f"{rule.endpoint} accepts POST: add it to POST_ROUTES"
            )


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_matrix(app, make, persona: str, endpoint: str):
    world = _build_world(app, make)
    client = app.test_client()
    auth = Auth(client)
    assert auth.login(world.people[persona].email, PASSWORD).status_code == 302
    url = ROUTES[endpoint].format(id=world.patient.id, **world.refs)
    if endpoint in POSTS:
        response = auth.post(url, POSTS[endpoint])
        allowed_status = 302
    else:
        response = client.get(url)
        allowed_status = 200
    expected = allowed_status if persona in ALLOWED[endpoint] else 404
    assert response.status_code == expected, f"{persona} on {endpoint}"
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.actor_id == world.people[persona].id,
                AuditEvent.patient_id == world.patient.id,
            )
            .order_by(AuditEvent.id.desc())
        ).first()
    assert event is not None, "access was not audited"
    assert event.outcome == (Outcome.ALLOWED if expected != 404 else Outcome.DENIED)


@pytest.mark.parametrize("endpoint", sorted(POST_ROUTES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_post_matrix(app, make, persona: str, endpoint: str):
    world = _build_world(app, make)
    client = app.test_client()
    auth = Auth(client)
    assert auth.login(world.people[persona].email, PASSWORD).status_code == 302
    url = POST_ROUTES[endpoint].format(id=world.patient.id, **world.refs)
    response = client.post(url, data={"csrf_token": auth.token("/")})
    allowed = persona in ALLOWED[endpoint]
    assert (response.status_code != 404) == allowed, (
        f"{persona} POST {endpoint}: {response.status_code}"
    )
    assert response.status_code < 500


@pytest.mark.parametrize("endpoint", sorted(CAREPLAN_POSTS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_care_plan_post_matrix(app, make, persona: str, endpoint: str):
    world = _build_world(app, make)
    client = app.test_client()
    auth = Auth(client)
    assert auth.login(world.people[persona].email, PASSWORD).status_code == 302
    pattern, data, allowed_status = CAREPLAN_POSTS[endpoint]
    response = auth.post(pattern.format(id=world.patient.id), data)
    allowed = persona in CAREPLAN_POST_ALLOWED[endpoint]
    assert response.status_code == (allowed_status if allowed else 404), f"{persona} on {endpoint}"
    with app.app_context():
        outcomes = set(
            db.session.scalars(
                select(AuditEvent.outcome).where(
                    AuditEvent.actor_id == world.people[persona].id,
                    AuditEvent.patient_id == world.patient.id,
                )
            )
        )
        versions = db.session.scalar(
            select(func.count())
            .select_from(CarePlanVersion)
            .where(CarePlanVersion.patient_id == world.patient.id)
        )
    assert (Outcome.ALLOWED if allowed else Outcome.DENIED) in outcomes, "POST was not audited"
    wrote_version = allowed and endpoint == "careplan.edit"
    assert versions == (3 if wrote_version else 2)


def test_anonymous_visitors_are_sent_to_sign_in(make, client):
    patient = make.patient()
    refs = dict.fromkeys(
        (
            "assignment",
            "occurrence",
            "done",
            "response",
            "alert",
            "appointment",
            "record",
            "version",
            "screen",
            "prem_survey",
        ),
        "00000000-0000-0000-0000-000000000000",
    )
    for endpoint, pattern in ROUTES.items():
        if endpoint in POSTS:
            continue
        response = client.get(pattern.format(id=patient.id, **refs))
        if pattern.startswith(("/api/", "/fhir/")):  # the API answers a problem, no redirect
            assert response.status_code == 401, pattern
            continue
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]
    for pattern, data, _status in CAREPLAN_POSTS.values():
        response = client.post(pattern.format(id=patient.id), data=data)
        assert response.status_code in {302, 400}  # sign-in redirect, or CSRF refusal


@pytest.mark.parametrize(
    "ref", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "1%27%20OR%201%3D1", "1"]
)
def test_unknown_or_malformed_patient_ids_are_audited_404s(app, make, client, auth, ref: str):
    coordinator = make.coordinator(make.clinic())
    auth.login(coordinator.email, PASSWORD)
    assert client.get(f"/patients/{ref}").status_code == 404
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.actor_id == coordinator.id)
        ).one()
    assert event.outcome == Outcome.DENIED
    assert event.patient_id is None


def test_caregiver_scopes_map_to_actions(app, make):
    patient = make.patient()
    caregiver, _ = make.caregiver(patient, [ConsentScope.SUBMIT_OBSERVATIONS])
    with app.test_request_context():
        user, record = db.session.get(User, caregiver.id), db.session.get(Patient, patient.id)
        assert may(user, Action.SUBMIT_OBSERVATION, record)
        assert may(user, Action.VIEW_RECORD, record)
        assert not may(user, Action.VIEW_SCORES, record)
        assert not may(user, Action.VIEW_DIARY, record)
        assert not may(user, Action.VIEW_ACCESS_LOG, record)


def test_team_change_takes_effect_on_the_next_request(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    assert client.get(f"/patients/{patient.id}").status_code == 200
    with app.test_request_context():
        careteam.remove_from_team(
            patient=db.session.get(Patient, patient.id), member=db.session.get(User, clinician.id)
        )
        db.session.commit()
    assert client.get(f"/patients/{patient.id}").status_code == 404


def _events(app, actor_id) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.actor_id == actor_id,
                    AuditEvent.action != "trends.upcoming_view",  # the home page, for a token
                )
                .order_by(AuditEvent.id)
            )
        )


def test_every_refusal_is_audited_once(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    # Access granted, then the form refused (400): the grant and the refusal are both recorded.
    refused = auth.post(f"/patients/{patient.id}/care-plan/edit", {"base_version": "0"})
    assert refused.status_code == 400
    assert "The form is incomplete" in refused.get_data(as_text=True)
    # A forged CSRF token on a patient's page: refused before any view ran.
    forged = client.post(f"/patients/{patient.id}/alert-settings", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    # A denial in patient_or_404 is recorded there, not twice.
    assert client.get(f"/patients/{make.patient().id}").status_code == 404
    events = [(e.action, e.outcome, e.object_type) for e in _events(app, clinician.id)]
    assert events == [
        ("patient.edit_care_plan", Outcome.ALLOWED, None),
        ("request.refused", Outcome.DENIED, "http_400"),
        ("request.refused", Outcome.DENIED, "http_400"),
        ("patient.view_record", Outcome.DENIED, None),
    ]
    assert {e.patient_id for e in _events(app, clinician.id)[:3]} == {patient.id}


def test_a_refused_request_saves_nothing_but_the_refusal(app, make, client, auth):
    coordinator = make.coordinator(make.clinic())
    auth.login(coordinator.email, PASSWORD)
    assert client.get("/metrics?start=2026-02-30&end=x").status_code == 400
    events = _events(app, coordinator.id)
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        ("request.refused", "http_400", "trends.pathway_metrics")
    ]
    assert events[0].patient_id is None
