"""PREMs only in aggregate: the coordinator's metrics page by quarter and discipline with
groups under 25 suppressed; a clinician sees only their own aggregate, only above 25."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from app.auth.models import Discipline
from app.db import db
from app.prems.models import PremSurvey
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _responses(app, patient, clinician, count: int, *, top: bool, when: datetime) -> None:
    with app.app_context():
        for n in range(count):
            at = when - timedelta(hours=n)
            db.session.add(
                PremSurvey(
                    patient_id=patient.id,
                    clinician_id=clinician.id,
                    clinic_id=patient.clinic_id,
                    discipline=clinician.discipline.value,
                    instrument="collaborate",
                    invited_at=at - timedelta(hours=1),
                    expires_at=at + timedelta(days=6),
                    answered_at=at,
                    language_tag="en",
                    answers={"1": 4, "2": 4, "3": 4 if top else 3},
                    top_score=top,
                    mean_score=4.0 if top else 11 / 3,
                )
            )
        db.session.commit()


@time_machine.travel(NOW, tick=False)
def test_coordinator_sees_quarters_and_disciplines_with_small_groups_suppressed(
    app, make, client, auth
):
    clinic = make.clinic()
    primary = make.clinician(clinic, discipline=Discipline.PRIMARY_CARE)
    psychology = make.clinician(clinic, discipline=Discipline.PSYCHOLOGY)
    patient = make.patient(clinic, team=[primary, psychology])
    _responses(app, patient, primary, 20, top=True, when=NOW - timedelta(days=5))
    _responses(app, patient, primary, 10, top=False, when=NOW - timedelta(days=6))
    _responses(app, patient, psychology, 7, top=True, when=NOW - timedelta(days=5))
    _responses(app, patient, primary, 3, top=True, when=datetime(2026, 9, 20, tzinfo=UTC))
    coordinator = make.coordinator(clinic)
    auth.login(coordinator.email, PASSWORD)
    html = client.get("/metrics?start=2026-09-01&end=2026-11-20").get_data(as_text=True)
    section = html.split('id="prems-heading"')[1].split("</section>")[0]
    rows = section.split("<tr")[2:]
    assert len(rows) == 5  # per quarter: the whole clinic, then each discipline
    q3_clinic, q3_primary, q4_clinic, q4_primary, q4_psychology = rows
    for suppressed in (q3_clinic, q3_primary, q4_psychology):
        assert "Fewer than 25 responses: not shown" in suppressed
        assert "<td>3</td>" not in suppressed and "<td>7</td>" not in suppressed
    assert "2026-Q3" in q3_clinic and "2026-Q4" in q4_clinic and "Psychology" in q4_psychology
    assert "Whole clinic" in q4_clinic and "<td>37</td>" in q4_clinic  # 30 + 7 responses
    assert "Primary care" in q4_primary and "<td>30</td>" in q4_primary
    assert "67%" in q4_primary  # 20 of 30 at the top


@time_machine.travel(NOW, tick=False)
def test_clinician_sees_only_their_own_aggregate_above_the_threshold(app, make, client, auth):
    clinic = make.clinic()
    primary = make.clinician(clinic, discipline=Discipline.PRIMARY_CARE)
    psychology = make.clinician(clinic, discipline=Discipline.PSYCHOLOGY)
    quiet = make.clinician(clinic, discipline=Discipline.NURSING)
    patient = make.patient(clinic, team=[primary, psychology, quiet])
    _responses(app, patient, primary, 25, top=True, when=NOW - timedelta(days=2))
    _responses(app, patient, psychology, 24, top=True, when=NOW - timedelta(days=2))
    auth.login(primary.email, PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "Top score 100% of 25 responses" in home
    auth.logout()
    auth.login(psychology.email, PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "Fewer than 25 responses so far" in home and "Top score" not in home
    auth.logout()
    auth.login(quiet.email, PASSWORD)
    assert "CollaboRATE" not in client.get("/").get_data(as_text=True)
    auth.logout()
    coordinator = make.coordinator(clinic)
    auth.login(coordinator.email, PASSWORD)
    assert "prem-own-heading" not in client.get("/").get_data(as_text=True)


@time_machine.travel(NOW, tick=False)
def test_another_clinics_coordinator_sees_none_of_it(app, make, client, auth):
    clinic = make.clinic()
    primary = make.clinician(clinic, discipline=Discipline.PRIMARY_CARE)
    patient = make.patient(clinic, team=[primary])
    _responses(app, patient, primary, 30, top=True, when=NOW - timedelta(days=2))
    elsewhere = make.coordinator(make.clinic())
    auth.login(elsewhere.email, PASSWORD)
    html = client.get("/metrics").get_data(as_text=True)
    assert "No responses in this period." in html
