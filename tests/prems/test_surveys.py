"""Experience surveys end to end (without a browser): invitation after a follow-up marked done,
the once-per-30-days and open-urgent-alert rules, answering, bad input, access, no alerts,
export and erasure, the SMS prompt."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from app.alerts.models import Alert, Severity
from app.auth.models import Discipline, User
from app.careteam.models import ConsentScope, Patient
from app.db import db
from app.followups import services as followups
from app.followups.models import Appointment, AppointmentStatus, Modality
from app.prems.data_rights import erase_experience_surveys, experience_surveys
from app.prems.hooks import EXPERIENCE_SURVEY
from app.prems.models import PremSurvey
from app.prompts.models import OutboxMessage, PromptPurpose
from app.prompts.services import plan_due_prompts
from tests.conftest import csrf_from
from tests.factories import PASSWORD
from tests.sms.fixtures import consenting

NOW = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)


def _visit(app, patient, clinician, *, ago: timedelta = timedelta(hours=1)) -> str:
    with app.test_request_context():
        appointment = followups.schedule(
            patient=db.session.get(Patient, patient.id),
            clinician=db.session.get(User, clinician.id),
            starts_at=NOW - ago,
            modality=Modality.IN_PERSON,
            telehealth_url=None,
            actor=db.session.get(User, clinician.id),
        )
        db.session.commit()
        return str(appointment.id)


def _mark(client, patient, appointment_id: str, status: str = "done") -> None:
    token = csrf_from(client.get(f"/patients/{patient.id}/followups").get_data(as_text=True))
    url = f"/patients/{patient.id}/followups/{appointment_id}/status"
    assert client.post(url, data={"csrf_token": token, "status": status}).status_code == 302


def _surveys(app) -> list[PremSurvey]:
    with app.app_context():
        return list(db.session.scalars(select(PremSurvey).order_by(PremSurvey.invited_at)))


def _setup(make, **kw):
    clinician = make.clinician(discipline=Discipline.PRIMARY_CARE)
    patient = make.patient(team=[clinician], **kw)
    return clinician, patient


@time_machine.travel(NOW, tick=False)
def test_a_follow_up_marked_done_invites_once_per_30_days(app, make, client, auth):
    clinician, patient = _setup(make)
    auth.login(clinician.email, PASSWORD)
    first = _visit(app, patient, clinician)
    _mark(client, patient, first, "missed")
    assert _surveys(app) == []  # only done visits invite
    _mark(client, patient, first, "done")
    (survey,) = _surveys(app)
    assert survey.appointment_id is not None and str(survey.appointment_id) == first
    assert survey.discipline == "primary_care" and survey.clinic_id == patient.clinic_id
    assert survey.expires_at == NOW + timedelta(days=7) and survey.answered_at is None
    _mark(client, patient, first, "planned")
    _mark(client, patient, first, "done")  # the same visit again: no second survey
    second = _visit(app, patient, clinician, ago=timedelta(minutes=30))
    _mark(client, patient, second, "done")  # within 30 days: not asked again
    assert len(_surveys(app)) == 1
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        third = _visit(app, patient, clinician, ago=timedelta(days=-31, hours=1))
        with app.test_request_context():
            followups.set_status(
                appointment=db.session.get(Appointment, uuid.UUID(third)),
                status=AppointmentStatus.DONE,
            )
            db.session.commit()
    assert len(_surveys(app)) == 2


@time_machine.travel(NOW, tick=False)
def test_never_invited_with_an_open_urgent_alert(app, make, client, auth):
    clinician, patient = _setup(make)
    with app.app_context():
        alert = Alert(
            patient_id=patient.id,
            rule_code="critical_answer",
            severity=Severity.URGENT,
            source_type="response",
            source_id=patient.id,
        )
        db.session.add(alert)
        db.session.commit()
        alert_id = alert.id
    auth.login(clinician.email, PASSWORD)
    _mark(client, patient, _visit(app, patient, clinician), "done")
    assert _surveys(app) == []
    with app.app_context():
        db.session.get(Alert, alert_id).acknowledged_at = NOW
        db.session.get(Alert, alert_id).acknowledged_by_id = clinician.id
        db.session.commit()
    _mark(client, patient, _visit(app, patient, clinician, ago=timedelta(minutes=5)), "done")
    assert len(_surveys(app)) == 1


@time_machine.travel(NOW, tick=False)
def test_language_english_text_with_notice_or_no_invitation(app, make, client, auth):
    clinician = make.clinician(discipline=Discipline.PSYCHOLOGY)
    reads_english = make.patient(team=[clinician], locale="de")
    with app.app_context():
        db.session.get(Patient, reads_english.id).readable_locales = ["en"]
        db.session.commit()
    no_english = make.patient(team=[clinician], locale="de")
    auth.login(clinician.email, PASSWORD)
    _mark(client, no_english, _visit(app, no_english, clinician), "done")
    assert _surveys(app) == []  # no text they read: not asked
    _mark(client, reads_english, _visit(app, reads_english, clinician), "done")
    (survey,) = _surveys(app)
    auth.logout()
    auth.login(reads_english.user.email, PASSWORD)
    page = client.get(f"/patients/{reads_english.id}/experience/{survey.id}").get_data(as_text=True)
    assert "no confirmed official translation" in page or "keine" in page.lower()
    assert 'lang="en"' in page and "How much effort was made" in page


def _invited(app, make, client, auth):
    clinician, patient = _setup(make)
    auth.login(clinician.email, PASSWORD)
    _mark(client, patient, _visit(app, patient, clinician), "done")
    auth.logout()
    (survey,) = _surveys(app)
    return clinician, patient, survey


@time_machine.travel(NOW, tick=False)
def test_patient_answers_on_the_web_and_nothing_feeds_alerts(app, make, client, auth):
    _clinician, patient, survey = _invited(app, make, client, auth)
    auth.login(patient.user.email, PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "How was your visit?" in home
    url = f"/patients/{patient.id}/experience/{survey.id}"
    page = client.get(url).get_data(as_text=True)
    assert "How much effort was made to help you understand your health issues?" in page
    assert "Every effort was made" in page and "CC BY-NC-ND 3.0" in page
    with app.app_context():
        alerts = db.session.scalar(select(func.count()).select_from(Alert))
    token = csrf_from(page)
    response = client.post(
        url, data={"csrf_token": token, "item_1": "4", "item_2": "4", "item_3": "4"}
    )
    assert response.status_code == 302 and response.location.endswith("/thanks")
    assert "Your answers were saved" in client.get(response.location).get_data(as_text=True)
    (saved,) = _surveys(app)
    assert saved.answers == {"1": 4, "2": 4, "3": 4}
    assert saved.top_score is True and saved.mean_score == 4.0 and saved.language_tag == "en"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Alert)) == alerts
    assert "How was your visit?" not in client.get("/").get_data(as_text=True)
    assert "already answered" in client.get(url).get_data(as_text=True)


@time_machine.travel(NOW, tick=False)
def test_an_item_left_out_is_saved_but_not_scored(app, make, client, auth):
    _clinician, patient, survey = _invited(app, make, client, auth)
    auth.login(patient.user.email, PASSWORD)
    url = f"/patients/{patient.id}/experience/{survey.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token, "item_1": "2"}).status_code == 302
    (saved,) = _surveys(app)
    assert saved.answers == {"1": 2, "2": None, "3": None}
    assert saved.top_score is None and saved.mean_score is None


@time_machine.travel(NOW, tick=False)
def test_bad_answers_show_an_error_and_write_nothing(app, make, client, auth):
    _clinician, patient, survey = _invited(app, make, client, auth)
    auth.login(patient.user.email, PASSWORD)
    url = f"/patients/{patient.id}/experience/{survey.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    empty = client.post(url, data={"csrf_token": token})
    assert empty.status_code == 400
    assert "Answer at least one question" in empty.get_data(as_text=True)
    assert 'aria-describedby="item_1-error"' in empty.get_data(as_text=True)
    wrong = client.post(url, data={"csrf_token": token, "item_1": "9", "item_2": "4"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 400
    assert 'aria-invalid="true"' in html and 'aria-describedby="item_1-error"' in html
    assert "Not a valid choice" in html
    (unchanged,) = _surveys(app)
    assert unchanged.answered_at is None and unchanged.answers is None


@time_machine.travel(NOW, tick=False)
def test_only_the_patient_may_open_their_survey(app, make, client, auth):
    clinician, patient, survey = _invited(app, make, client, auth)
    url = f"/patients/{patient.id}/experience/{survey.id}"
    assert client.get(url).status_code == 302  # anonymous: sign in first
    caregiver, _link = make.caregiver(patient, scopes=[ConsentScope.VIEW_SCORES])
    other = make.patient(team=[clinician])
    coordinator = make.coordinator(patient.clinic)
    for user in (clinician, caregiver, other.user, coordinator):
        auth.login(user.email, PASSWORD)
        assert client.get(url).status_code == 404, user.role
        assert client.get(url + "/thanks").status_code == 404
        auth.logout()
    auth.login(other.user.email, PASSWORD)
    assert client.get(f"/patients/{other.id}/experience/{survey.id}").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_answers_are_not_shown_on_the_clinical_record(app, make, client, auth):
    clinician, patient, survey = _invited(app, make, client, auth)
    auth.login(patient.user.email, PASSWORD)
    url = f"/patients/{patient.id}/experience/{survey.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    client.post(url, data={"csrf_token": token, "item_1": "1", "item_2": "1", "item_3": "1"})
    auth.logout()
    auth.login(clinician.email, PASSWORD)
    record = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert "CollaboRATE" not in record and "effort was made" not in record


@time_machine.travel(NOW, tick=False)
def test_export_holds_the_own_answers_and_erasure_removes_them(app, make, client, auth):
    _clinician, patient, survey = _invited(app, make, client, auth)
    with app.test_request_context():
        row = db.session.get(PremSurvey, survey.id)
        row.answers, row.answered_at, row.top_score, row.mean_score = (
            {"1": 3, "2": 4, "3": 4},
            NOW,
            False,
            11 / 3,
        )
        db.session.commit()
        (section,) = experience_surveys(db.session.get(Patient, patient.id))
        row = section.rows[0]
        assert (row["item_1"], row["item_2"], row["item_3"]) == (3, 4, 4)
        (resource,) = section.fhir_resources
        assert resource["resourceType"] == "QuestionnaireResponse"
        assert [i["answer"][0]["valueCoding"]["code"] for i in resource["item"]] == ["3", "4", "4"]
        erase_experience_surveys(db.session.get(Patient, patient.id))
        db.session.commit()
    assert _surveys(app) == []


@time_machine.travel(NOW, tick=False)
def test_an_sms_link_is_planned_for_a_consenting_patient(app, make, client, auth):
    clinician = make.clinician(discipline=Discipline.PRIMARY_CARE)
    patient = consenting(make, app, phone="+12025550177", team=[clinician])
    auth.login(clinician.email, PASSWORD)
    _mark(client, patient, _visit(app, patient, clinician), "done")
    (survey,) = _surveys(app)
    with app.test_request_context():
        plan_due_prompts(now=NOW)
        db.session.commit()
        row = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.purpose == PromptPurpose.EXPERIENCE_SURVEY)
        ).one()
        assert row.target == str(survey.id) and row.patient_id == patient.id
        assert "visit" in EXPERIENCE_SURVEY.body("https://x.invalid/m/t")
    auth.logout()
    auth.login(patient.user.email, PASSWORD)
    log = client.get(f"/patients/{patient.id}/messages").get_data(as_text=True)
    assert "Survey about a visit" in log  # the message log names the prompt


def test_an_expired_survey_is_closed_and_takes_no_answers(app, make, client, auth):
    with time_machine.travel(NOW, tick=False):
        _clinician, patient, survey = _invited(app, make, client, auth)
    with time_machine.travel(NOW + timedelta(days=8), tick=False):
        auth.login(patient.user.email, PASSWORD)
        url = f"/patients/{patient.id}/experience/{survey.id}"
        page = client.get(url).get_data(as_text=True)
        assert "no longer open" in page and "How was your visit?" not in client.get("/").get_data(
            as_text=True
        )
        client.post(url, data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    (unchanged,) = _surveys(app)
    assert unchanged.answered_at is None
