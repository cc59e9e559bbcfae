"""Social-needs screening: the pure positive-screen rules (every Hunger Vital Sign combination),
the definitions' exact wording and codes, the default schedule, what staff see (record,
summary top card, registry column with suggested services) and what caregivers never see."""

from __future__ import annotations

import itertools
import re
import uuid
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from app.alerts.models import Alert
from app.auth.models import User
from app.careteam.models import ConsentScope, Patient
from app.db import db
from app.instruments import fhir, loader, social_needs
from app.instruments import services as instruments
from app.instruments.models import Response, ScheduleKind
from app.instruments.schedules import due_dates
from app.instruments.social_needs import DomainResult, hunger_vital_sign, results
from app.signals import services_for_need
from app.web.teamcare import SuggestedService, extra_columns
from tests.conftest import Auth, csrf_from
from tests.factories import PASSWORD
from tests.instruments.conftest import build
from tests.instruments.helpers import assign_once

OFTEN, SOMETIMES, NEVER, REFUSED = 2, 1, 0, 9
ANSWERS = (OFTEN, SOMETIMES, NEVER, REFUSED, None)


def expected_hvs(a: int | None, b: int | None) -> DomainResult:
    """Written out from the source: at risk if either is often/sometimes true; no risk once
    either is answered otherwise (HL7 SDOHCC calculation), refused alone = declined."""
    given = [x for x in (a, b) if x is not None]
    if any(x in (OFTEN, SOMETIMES) for x in given):
        return DomainResult.POSITIVE
    if NEVER in given:
        return DomainResult.NEGATIVE
    return DomainResult.DECLINED if given else DomainResult.NOT_ANSWERED


@pytest.mark.parametrize(("worried", "ran_out"), list(itertools.product(ANSWERS, ANSWERS)))
def test_hunger_vital_sign_every_combination(worried, ran_out):
    assert hunger_vital_sign(worried, ran_out) == expected_hvs(worried, ran_out)
    risk = social_needs.hvs_risk_code(hunger_vital_sign(worried, ran_out))
    if worried in (OFTEN, SOMETIMES) or ran_out in (OFTEN, SOMETIMES):
        assert risk == ("LA19952-3", "At risk")
    elif NEVER in (worried, ran_out):
        assert risk == ("LA19983-8", "No risk")
    else:
        assert risk is None  # nothing when neither is answered (or only refused)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"1": 0, "3": 0, "4": 0, "5": 0, "6": 0}, dict.fromkeys(("housing", "food", "transportation", "utilities"), "negative")),
        ({"1": 1}, {"housing": "positive", "food": "not_answered", "transportation": "not_answered", "utilities": "not_answered"}),
        ({"1": 2, "6": 2}, {"housing": "positive", "utilities": "positive"}),
        ({"6": 1}, {"utilities": "positive"}),
        ({"5": 1, "3": 9, "4": 9}, {"transportation": "positive", "food": "declined"}),
        ({"3": 0, "4": 1}, {"food": "positive"}),
        ({"3": 9, "4": 0}, {"food": "negative"}),
    ],
)  # fmt: skip
def test_ahc_hrsn_core_domains(answers, expected):
    found = results("ahc_hrsn", answers)
    assert list(found) == ["housing", "food", "transportation", "utilities"]
    for domain, result in expected.items():
        assert found[domain] == result, domain


def test_definitions_carry_the_official_wording_codes_and_no_score():
    registry = loader.load_all()
    hvs, ahc = registry["hvs"], registry["ahc_hrsn"]
    assert hvs.social_needs and ahc.social_needs and not registry["phq9"].social_needs
    assert hvs.translations["en"].items == {
        "1": "Within the past 12 months we worried whether our food would run out before we "
        "got money to buy more.",
        "2": "Within the past 12 months the food we bought just didn\u2019t last and we "
        "didn\u2019t have money to get more.",
    }
    assert ahc.translations["en"].items["6"] == (
        "In the past 12 months has the electric, gas, oil, or water company threatened to shut "
        "off services in your home?"
    )
    # Item 2 (check all that apply) and the safety items 7-10 are not shipped.
    assert [i.id for i in ahc.items] == ["1", "3", "4", "5", "6"]
    assert set(ahc.locales) == set(hvs.locales) == {"en"}  # no confirmed official translation
    assert hvs.option_codes["hvs_frequency"] == {
        "2": "LA28397-0", "1": "LA6729-3", "0": "LA28398-8", "9": "LA15775-2",
    }  # fmt: skip
    assert not hvs.critical_items and not hvs.change.flag and not hvs.bands
    for domain in social_needs.RULES["ahc_hrsn"]:
        for item, values in domain.positive.items():
            assert values <= set(ahc.values_for(ahc.item(item))), (domain.code, item)


def test_default_schedule_is_enrolment_then_every_six_months():
    schedule = social_needs.default_schedule(date(2026, 1, 10))
    assert schedule.kind == ScheduleKind.EVERY_N_DAYS and schedule.interval_days == 182
    dates = due_dates(schedule, since=date(2026, 1, 1), until=date(2027, 1, 31))
    assert dates == [date(2026, 1, 10), date(2026, 7, 11), date(2027, 1, 9)]
    assert dates[1] - dates[0] == timedelta(days=182)


def _form(client, url):
    html = client.get(url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html)
    return html, {"csrf_token": csrf_from(html), "submission_key": key.group(1)}


@contextmanager
def stand_in_directory(name="Community Food Pantry"):
    """A stand-in for the directory's receiver (the referrals feature connects the real one)."""
    asked = []

    def finder(_sender, *, patient, need):
        asked.append(need)
        if need != "food":
            return []
        return [SuggestedService(name, "Food", f"/stand-in/referrals/new?service=1&p={patient.id}")]

    with services_for_need.connected_to(finder):
        yield asked


def _answer_hvs(app, client, setup, answers):
    Auth(client).login(setup.patient.user.email, PASSWORD)
    url = f"{setup.answer_url}?mode=page"
    html, base = _form(client, url)
    assert "we worried whether our food would run out" in html
    data = {**base, **{f"item_{k}": str(v) for k, v in answers.items()}, "action": "submit"}
    return client.post(url, data=data)


def test_positive_hvs_shows_as_a_social_need_with_suggested_services(app, make):
    setup = build(app, make, instrument="hvs")
    patient_client = app.test_client()
    sent = _answer_hvs(app, patient_client, setup, {"1": SOMETIMES, "2": NEVER})
    assert sent.status_code == 302
    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        assert response.total is None and response.answers == {"1": 1, "2": 0}
        assert db.session.scalar(select(func.count()).select_from(Alert)) == 0  # never alerts
    staff = app.test_client()
    Auth(staff).login(setup.clinician.email, PASSWORD)
    with stand_in_directory() as asked:
        summary = staff.get(f"/patients/{setup.patient.id}/summary").get_data(as_text=True)
        record = staff.get(f"/patients/{setup.patient.id}").get_data(as_text=True)
    assert asked == ["food", "food"]
    for page in (summary, record):
        assert "Social need to discuss" in page
        assert "Community Food Pantry" in page and "/stand-in/referrals/new?service=1" in page
        assert "Positive: social need to discuss" in page
    # Without a directory: the need shows, and no matching service is listed.
    bare = staff.get(f"/patients/{setup.patient.id}/summary").get_data(as_text=True)
    assert "No matching service is listed in the directory." in bare


def test_negative_screen_leaves_the_summary_card_out(app, make):
    setup = build(app, make, instrument="hvs")
    assert _answer_hvs(app, app.test_client(), setup, {"1": NEVER, "2": NEVER}).status_code == 302
    staff = app.test_client()
    Auth(staff).login(setup.clinician.email, PASSWORD)
    summary = staff.get(f"/patients/{setup.patient.id}/summary").get_data(as_text=True)
    record = staff.get(f"/patients/{setup.patient.id}").get_data(as_text=True)
    assert "Social need to discuss" not in summary
    assert "Social-needs screening" in record and "Negative" in record


def test_out_of_range_answer_is_refused_and_nothing_written(app, make):
    setup = build(app, make, instrument="hvs")
    client = app.test_client()
    Auth(client).login(setup.patient.user.email, PASSWORD)
    url = f"{setup.answer_url}?mode=page"
    for bad in ({"item_1": "3"}, {"item_2": "-1"}, {"item_3": "1"}, {"item_1": "often"}):
        _, base = _form(client, url)
        answer = client.post(
            url, data={**base, "item_1": "1", "item_2": "0", **bad, "action": "submit"}
        )
        assert answer.status_code == 400, bad
        assert 'class="error-summary"' in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_declined_is_recorded_explicitly(app, make):
    setup = build(app, make, instrument="hvs")
    assert (
        _answer_hvs(app, app.test_client(), setup, {"1": REFUSED, "2": REFUSED}).status_code == 302
    )
    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        assert response.answers == {"1": 9, "2": 9}
        assert results("hvs", response.answers) == {"food": DomainResult.DECLINED}
    staff = app.test_client()
    Auth(staff).login(setup.clinician.email, PASSWORD)
    assert "Declined" in staff.get(f"/patients/{setup.patient.id}").get_data(as_text=True)


def _submit(app, patient, clinician, instrument, values):
    with app.test_request_context():
        _, occurrence = assign_once(
            db.session.get(Patient, patient.id), db.session.get(User, clinician.id), instrument
        )
        response = instruments.submit_response(
            occurrence=occurrence,
            patient=db.session.get(Patient, patient.id),
            definition=loader.registry()[instrument],
            values=values,
            locale="en",
            submission_key=uuid.uuid4(),
        )
        db.session.commit()
        return response.id


def test_caregivers_never_see_social_needs_answers(app, make):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician])
    caregiver, _ = make.caregiver(patient, list(ConsentScope))  # every scope there is
    response_id = _submit(app, patient, clinician, "hvs", {"1": OFTEN, "2": OFTEN})
    viewer = app.test_client()
    Auth(viewer).login(caregiver.email, PASSWORD)
    for url in (f"/patients/{patient.id}", "/"):
        page = viewer.get(url).get_data(as_text=True)
        assert "Hunger Vital Sign" not in page and "Social need" not in page, url
        assert "food would run out" not in page, url
    assert viewer.get(f"/patients/{patient.id}/responses/{response_id}/fhir").status_code == 404
    assert viewer.get(f"/patients/{patient.id}/summary").status_code == 404


def test_fhir_observations_carry_the_loinc_codes(app, make):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician])
    hvs_id = _submit(app, patient, clinician, "hvs", {"1": SOMETIMES, "2": NEVER})
    ahc_id = _submit(app, patient, clinician, "ahc_hrsn", {"1": 0, "3": 0, "4": 0, "5": 1, "6": 2})
    with app.app_context():
        registry = loader.registry()
        hvs = fhir.response_bundle(db.session.get(Response, hvs_id), registry["hvs"])
        ahc = fhir.response_bundle(db.session.get(Response, ahc_id), registry["ahc_hrsn"])
    observations = [e["resource"] for e in hvs["entry"][1:]]
    codes = {o["code"]["coding"][0]["code"]: o for o in observations}
    assert set(codes) == {"88122-7", "88123-5", "88124-3"}
    assert codes["88124-3"]["valueCodeableConcept"]["coding"][0]["code"] == "LA19952-3"
    assert codes["88122-7"]["valueCodeableConcept"]["coding"][0]["code"] == "LA6729-3"
    assert "interpretation" in codes["88122-7"] and "interpretation" not in codes["88123-5"]
    assert {c["coding"][0]["code"] for c in codes["88122-7"]["category"]} == {
        "social-history", "survey",
    }  # fmt: skip
    ahc_codes = {
        e["resource"]["code"]["coding"][0]["code"]: e["resource"] for e in ahc["entry"][1:]
    }
    assert set(ahc_codes) == {"71802-3", "88122-7", "88123-5", "93030-5", "96779-4"}
    assert ahc_codes["96779-4"]["valueCodeableConcept"]["coding"][0]["code"] == "LA32002-0"
    assert "interpretation" in ahc_codes["93030-5"]
    qr = ahc["entry"][0]["resource"]
    assert qr["item"][0]["answer"][0]["valueCoding"]["system"] == "http://loinc.org"
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(hvs)
    Bundle.model_validate(ahc)


def test_registry_column_flags_positive_patients_in_constant_queries(app, make):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patients = [make.patient(clinic, team=[clinician]) for _ in range(3)]
    _submit(app, patients[0], clinician, "hvs", {"1": OFTEN, "2": NEVER})
    _submit(app, patients[1], clinician, "hvs", {"1": NEVER, "2": NEVER})

    def column(ids):
        statements = []

        def count(*_args, **_kw):
            statements.append(1)

        with app.test_request_context():
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                found = extra_columns(
                    app, clinic_id=clinic.id, patient_ids=frozenset(ids), today=date(2026, 12, 2)
                )
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
        return next(c for c in found if c.key == "social_needs"), len(statements)

    _one, queries_one = column([patients[0].id])
    three, queries_three = column([p.id for p in patients])
    assert queries_one == queries_three
    assert three.flagged == frozenset({patients[0].id})
    assert str(three.values[patients[0].id]) == "Food"
    assert patients[1].id not in three.values


def test_assign_page_offers_the_default_schedule(app, make):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician])
    staff = app.test_client()
    Auth(staff).login(clinician.email, PASSWORD)
    record = staff.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert f"/patients/{patient.id}/questionnaires/assign?instrument=hvs" in record
    page = staff.get(f"/patients/{patient.id}/questionnaires/assign?instrument=hvs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'<option selected value="hvs">|<option value="hvs" selected', html)
    assert 'value="182"' in html and 'value="14"' in html


def test_demo_patient_has_a_positive_food_screen(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        patient = db.session.scalars(
            select(Patient)
            .join(User, User.id == Patient.user_id)
            .where(User.email == "paciente@example.org")
        ).one()
        screens = list(
            db.session.scalars(
                select(Response).where(
                    Response.patient_id == patient.id, Response.instrument_id == "hvs"
                )
            )
        )
        assert len(screens) == 1 and screens[0].submitted_at is not None
        assert results("hvs", screens[0].answers) == {"food": DomainResult.POSITIVE}
        assert db.session.scalar(select(func.count()).select_from(Alert).where(
            Alert.source_id == screens[0].id
        )) == 0  # fmt: skip


def _review_url(patient_id, response_id, domain="food"):
    return f"/patients/{patient_id}/social-needs/{response_id}/{domain}"


def test_clinician_records_that_the_need_is_confirmed_audited(app, make):
    from app.audit import AuditEvent
    from app.instruments.models import SocialNeedReview

    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician])
    response_id = _submit(app, patient, clinician, "hvs", {"1": OFTEN, "2": NEVER})
    staff = app.test_client()
    Auth(staff).login(clinician.email, PASSWORD)
    record = staff.get(f"/patients/{patient.id}").get_data(as_text=True)
    url = _review_url(patient.id, response_id)
    assert url in record
    page = staff.get(url)
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    # No choice: the error beside the marked field, nothing written.
    refused = staff.post(url, data={"csrf_token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'aria-invalid="true"' in html and "Choose one." in html
    bad = staff.post(url, data={"csrf_token": token, "decision": "maybe"})
    assert bad.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SocialNeedReview)) == 0
    done = staff.post(url, data={"csrf_token": token, "decision": "confirmed"})
    assert done.status_code == 302
    again = staff.post(url, data={"csrf_token": token, "decision": "not_confirmed"})
    assert again.status_code == 302
    with app.app_context():
        review = db.session.scalars(select(SocialNeedReview)).one()  # replaced, not doubled
        assert review.confirmed is False and review.reviewed_by_id == clinician.id
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.patient_id == patient.id)
        ).all()
        assert actions.count("instruments.social_need_review") == 2
    assert "Need not confirmed" in staff.get(f"/patients/{patient.id}").get_data(as_text=True)
    # A domain that did not screen positive has nothing to review.
    assert staff.get(_review_url(patient.id, response_id, "housing")).status_code == 404
    assert staff.get(_review_url(patient.id, uuid.uuid4())).status_code == 404


def test_caregiver_and_patient_cannot_review(app, make):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician])
    caregiver, _ = make.caregiver(patient, list(ConsentScope))
    response_id = _submit(app, patient, clinician, "hvs", {"1": OFTEN, "2": NEVER})
    for user in (caregiver, patient.user):
        viewer = app.test_client()
        Auth(viewer).login(user.email, PASSWORD)
        assert viewer.get(_review_url(patient.id, response_id)).status_code == 404


def test_export_carries_the_review_and_the_screen(app, make):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician])
    response_id = _submit(app, patient, clinician, "hvs", {"1": OFTEN, "2": NEVER})
    staff = app.test_client()
    Auth(staff).login(clinician.email, PASSWORD)
    url = _review_url(patient.id, response_id)
    token = csrf_from(staff.get(url).get_data(as_text=True))
    assert staff.post(url, data={"csrf_token": token, "decision": "confirmed"}).status_code == 302
    own = app.test_client()
    Auth(own).login(patient.user.email, PASSWORD)
    export = str(own.get(f"/patients/{patient.id}/data/export.json").get_json())
    bundle = own.get(f"/patients/{patient.id}/data/export.fhir").get_data(as_text=True)
    assert "social_need_reviews" in export and "'confirmed': True" in export
    assert "88124-3" in bundle and "LA19952-3" in bundle and "88121-9" not in export


def test_an_unknown_domain_is_not_found(app, make):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician])
    response_id = _submit(app, patient, clinician, "hvs", {"1": OFTEN, "2": OFTEN})
    staff = app.test_client()
    Auth(staff).login(clinician.email, PASSWORD)
    assert staff.get(_review_url(patient.id, response_id, "safety")).status_code == 404
    assert staff.get(_review_url(patient.id, response_id, "food")).status_code == 200


def test_the_text_message_link_opens_the_screen(app, make):
    """Answerable through the SMS prompt's one-time link, like any questionnaire."""
    from app.db import utcnow
    from app.prompts.models import PromptPurpose
    from app.sms import magic

    setup = build(app, make, instrument="hvs")
    with app.app_context():
        raw, link = magic.new_link(
            user_id=setup.patient.user_id,
            patient_id=setup.patient.id,
            purpose=PromptPurpose.QUESTIONNAIRE_DUE,
            target=setup.occurrence_id,
            local_date=utcnow().date(),
            expires_at=utcnow() + timedelta(hours=1),
        )
        db.session.add(link)
        db.session.commit()
    client = app.test_client()
    landing = client.get(f"/m/{raw}")
    opened = client.post(
        f"/m/{raw}", data={"csrf_token": csrf_from(landing.get_data(as_text=True))}
    )
    assert opened.headers["Location"] == setup.answer_url
    _, base = _form(client, setup.answer_url)
    sent = client.post(
        setup.answer_url, data={**base, "item_1": "0", "item_2": "2", "action": "submit"}
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/done")
    with app.app_context():
        [saved] = db.session.scalars(select(Response)).all()
        assert results("hvs", saved.answers) == {"food": DomainResult.POSITIVE}
