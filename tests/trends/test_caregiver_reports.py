"""Caregiver check-ins reach the pre-visit summary (screen, print, CSV), labelled as
non-validated caregiver report and never mixed into the patient's scores."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from app.auth.models import Discipline, User
from app.careteam.models import ConsentScope, Patient
from app.db import db
from app.diary import services as diary
from app.instruments import services as instruments
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/Chicago")


def _checkin(app, patient, caregiver, *, at: datetime, values: tuple[int, int, int]) -> None:
    with app.test_request_context():
        instruments.record_checkin(
            patient=db.session.get(Patient, patient.id),
            caregiver=db.session.get(User, caregiver.id),
            observed_function=values[0],
            observed_activity=values[1],
            own_strain=values[2],
            submission_key=uuid.uuid4(),
            now=at,
        )
        db.session.commit()


@time_machine.travel(NOW, tick=False)
def test_checkins_show_in_summary_print_and_csv_as_caregiver_report(app, make, client, auth):
    clinician = make.clinician(discipline=Discipline.PRIMARY_CARE)
    patient = make.patient(team=[clinician], timezone=str(ZONE))
    caregiver, _ = make.caregiver(
        patient, [ConsentScope.RECEIVE_CHECKINS, ConsentScope.SUBMIT_OBSERVATIONS], name="Kim Carer"
    )
    _checkin(app, patient, caregiver, at=NOW - timedelta(days=3), values=(3, 7, 9))
    _checkin(app, patient, caregiver, at=NOW - timedelta(days=60), values=(1, 1, 1))  # too old
    with app.test_request_context():
        diary.record_observation(
            patient=db.session.get(Patient, patient.id),
            local_date=NOW.date() - timedelta(days=2),
            observation=diary.Observation(symptom_level=6),
            client_id=uuid.uuid4(),
            observer=db.session.get(User, caregiver.id),
        )
        db.session.commit()
    auth.login(clinician.email, PASSWORD)

    html = client.get(f"/patients/{patient.id}/summary?period=30").get_data(as_text=True)
    section = html[html.index('id="observations-heading"') : html.index('id="goals-heading"')]
    assert "Caregiver report (non-validated)" in section
    assert "function 3, activity 7, own strain 9 (0\u201310)" in section
    assert "function 1, activity 1" not in section
    assert "Kim Carer" in section
    assert "Symptoms seen: 6 of 10" in section  # the observation is still there
    # Never mixed into the patient's scores: in the caregiver section and the top card's
    # "caregiver concerns" only.
    assert html.count("own strain 9") == 2
    scores = html[html.index('id="scores-heading"') : html.index('id="charts-heading"')]
    assert "own strain" not in scores
    concerns = html[html.index('class="glance-block glance-caregivers"') :]
    assert "own strain 9" in concerns[: concerns.index("</div>")]

    printed = client.get(f"/patients/{patient.id}/summary/print?period=30").get_data(as_text=True)
    assert "Caregiver report (non-validated)" in printed
    assert "function 3, activity 7, own strain 9 (0\u201310)" in printed

    text = client.get(f"/patients/{patient.id}/summary.csv?period=30").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    day = (NOW - timedelta(days=3)).astimezone(ZONE).date().isoformat()
    checkin = {
        r["measure"]: r["value"]
        for r in rows
        if r["source"] == "caregiver_report" and "non_validated" in r["detail"]
    }
    assert checkin == {"observed_function": "3", "observed_activity": "7", "own_strain": "9"}
    assert {r["date"] for r in rows if "non_validated" in r["detail"]} == {day}
    assert not any(r["source"] == "questionnaire" for r in rows)
