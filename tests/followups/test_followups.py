"""Scheduling follow-ups: local time in the patient's zone to UTC, DST, bad input, patient home."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.db import db
from app.followups.localtime import NonexistentLocalTime, to_utc
from app.followups.models import Appointment, AppointmentStatus, Modality
from tests.conftest import csrf_from
from tests.factories import PASSWORD

NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


def test_local_time_to_utc_handles_dst():
    assert to_utc(date(2026, 7, 1), time(10, 0), "America/New_York") == datetime(
        2026, 7, 1, 14, 0, tzinfo=UTC
    )
    with pytest.raises(NonexistentLocalTime):
        to_utc(date(2026, 3, 8), time(2, 30), "America/New_York")  # clocks jump 2:00 -> 3:00
    # 1:30 happens twice on 1 Nov 2026: the first (EDT, UTC-4) is taken
    assert to_utc(date(2026, 11, 1), time(1, 30), "America/New_York") == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Appointment))


def _form(client, patient) -> str:
    return csrf_from(client.get(f"/patients/{patient.id}/followups").get_data(as_text=True))


@time_machine.travel(NOW, tick=False)
def test_schedule_stores_utc_and_patient_sees_it(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician], timezone="America/New_York")
    auth.login(clinician.email, PASSWORD)
    token = _form(client, patient)
    response = client.post(
        f"/patients/{patient.id}/followups",
        data={
            "csrf_token": token,
            "clinician": str(clinician.id),
            "day": "2026-03-10",
            "at": "09:30",
            "modality": "telehealth",
            "telehealth_url": "https://video.example.org/room",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        appointment = db.session.scalars(select(Appointment)).one()
    assert appointment.starts_at == datetime(2026, 3, 10, 13, 30, tzinfo=UTC)  # EDT after 8 March
    assert (
        appointment.modality == Modality.TELEHEALTH
        and appointment.status == AppointmentStatus.PLANNED
    )
    auth.logout()
    auth.login(patient.user.email, PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "next-followup-heading" in home and "https://video.example.org/room" in home


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "2026-03-08", "at": "02:30", "modality": "in_person"}, "does not exist"),
        (
            {"day": "2026-03-10", "at": "09:30", "modality": "telehealth", "telehealth_url": ""},
            "video link",
        ),
        (
            {
                "day": "2026-03-10",
                "at": "09:30",
                "modality": "telehealth",
                "telehealth_url": "http://x.org",
            },
            "https://",
        ),
        ({"day": "not a date", "at": "09:30", "modality": "in_person"}, "field-error"),
        ({"day": "2020-01-01", "at": "09:30", "modality": "in_person"}, "up to a year ahead"),
        ({"day": "2026-03-10", "at": "25:99", "modality": "in_person"}, "field-error"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(app, make, client, auth, data, message):
    clinician = make.clinician()
    patient = make.patient(team=[clinician], timezone="America/New_York")
    auth.login(clinician.email, PASSWORD)
    token = _form(client, patient)
    response = client.post(
        f"/patients/{patient.id}/followups",
        data={"csrf_token": token, "clinician": str(clinician.id), **data},
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app) == 0


@time_machine.travel(NOW, tick=False)
def test_clinician_not_on_team_cannot_be_chosen(app, make, client, auth):
    clinician, stranger = make.clinician(), make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    token = _form(client, patient)
    response = client.post(
        f"/patients/{patient.id}/followups",
        data={
            "csrf_token": token,
            "clinician": str(stranger.id),
            "day": "2026-03-10",
            "at": "10:00",
            "modality": "in_person",
        },
    )
    assert response.status_code == 400
    assert _count(app) == 0


@time_machine.travel(NOW, tick=False)
def test_status_change_is_recorded(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    with app.app_context():
        appointment = Appointment(
            patient_id=patient.id,
            clinician_id=clinician.id,
            starts_at=NOW - timedelta(days=1),
            modality=Modality.IN_PERSON,
        )
        db.session.add(appointment)
        db.session.commit()
        appointment_id = appointment.id
    auth.login(clinician.email, PASSWORD)
    token = _form(client, patient)
    url = f"/patients/{patient.id}/followups/{appointment_id}/status"
    assert client.post(url, data={"csrf_token": token, "status": "nonsense"}).status_code == 302
    with app.app_context():
        assert db.session.get(Appointment, appointment_id).status == AppointmentStatus.PLANNED
    assert client.post(url, data={"csrf_token": token, "status": "missed"}).status_code == 302
    with app.app_context():
        assert db.session.get(Appointment, appointment_id).status == AppointmentStatus.MISSED


@time_machine.travel(NOW, tick=False)
def test_a_followup_cannot_be_done_or_missed_before_it_starts(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    with app.app_context():
        appointment = Appointment(
            patient_id=patient.id,
            clinician_id=clinician.id,
            starts_at=NOW + timedelta(days=21),
            modality=Modality.IN_PERSON,
        )
        db.session.add(appointment)
        db.session.commit()
        appointment_id = appointment.id
    auth.login(clinician.email, PASSWORD)
    page = client.get(f"/patients/{patient.id}/followups").get_data(as_text=True)
    assert 'value="cancelled"' in page  # the page offers what is possible ...
    assert 'value="done"' not in page and 'value="missed"' not in page  # ... and nothing else
    url = f"/patients/{patient.id}/followups/{appointment_id}/status"
    for status in ("done", "missed"):
        response = client.post(url, data={"csrf_token": csrf_from(page), "status": status})
        assert response.status_code == 302
        shown = client.get(response.location).get_data(as_text=True)
        assert "can be marked as done or missed only once it has started" in shown
        with app.app_context():
            assert db.session.get(Appointment, appointment_id).status == AppointmentStatus.PLANNED
    with app.app_context():  # once it has started, it can be marked done
        db.session.get(Appointment, appointment_id).starts_at = NOW - timedelta(minutes=1)
        db.session.commit()
    client.post(url, data={"csrf_token": csrf_from(page), "status": "done"})
    with app.app_context():
        assert db.session.get(Appointment, appointment_id).status == AppointmentStatus.DONE
