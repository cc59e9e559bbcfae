"""Care-team membership: add, lead, remove; history kept; access follows on the next request."""

from __future__ import annotations

from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import Discipline
from app.careteam.models import CareTeamMembership
from app.db import db
from tests.conftest import Auth
from tests.factories import PASSWORD


def test_coordinator_adds_and_removes_members_with_history(app, make, client, auth):
    clinic = make.clinic()
    lead = make.clinician(clinic, discipline=Discipline.PRIMARY_CARE, name="Lead Doctor")
    physio = make.clinician(clinic, discipline=Discipline.PHYSIOTHERAPY, name="Physio Person")
    patient = make.patient(clinic, team=[lead])
    coordinator = make.coordinator(clinic)
    physio_client = app.test_client()
    Auth(physio_client).login(physio.email, PASSWORD)
    assert physio_client.get(f"/patients/{patient.id}").status_code == 404

    auth.login(coordinator.email, PASSWORD)
    page = client.get(f"/patients/{patient.id}/team").get_data(as_text=True)
    assert "Physio Person" in page  # offered as a candidate
    response = auth.post(
        f"/patients/{patient.id}/team",
        {"member": str(physio.id), "is_lead": "y"},
        token_from=f"/patients/{patient.id}/team",
    )
    assert response.status_code == 302
    assert physio_client.get(f"/patients/{patient.id}").status_code == 200  # next request
    with app.app_context():
        rows = db.session.scalars(
            select(CareTeamMembership).where(CareTeamMembership.ended_at.is_(None))
        ).all()
        assert {(r.member_id, r.is_lead) for r in rows} == {(lead.id, False), (physio.id, True)}

    auth.post(
        f"/patients/{patient.id}/team/remove",
        {"member_id": str(physio.id)},
        token_from=f"/patients/{patient.id}/team",
    )
    assert physio_client.get(f"/patients/{patient.id}").status_code == 404
    page = client.get(f"/patients/{patient.id}/team").get_data(as_text=True)
    assert "Team history" in page
    with app.app_context():
        ended = db.session.scalars(
            select(CareTeamMembership).where(CareTeamMembership.member_id == physio.id)
        ).one()
        assert ended.ended_at is not None
        assert ended.ended_by_id == coordinator.id
        actions = set(
            db.session.scalars(
                select(AuditEvent.action).where(AuditEvent.actor_id == coordinator.id)
            )
        )
        assert {"care_team.add", "care_team.remove"} <= actions


def test_adding_someone_from_another_clinic_or_garbage_is_refused(app, make, auth):
    clinic = make.clinic()
    outsider = make.clinician(make.clinic())
    lead = make.clinician(clinic)
    patient = make.patient(clinic, team=[lead])
    auth.login(lead.email, PASSWORD)
    for member in (str(outsider.id), "not-a-uuid", ""):
        response = auth.post(
            f"/patients/{patient.id}/team",
            {"member": member},
            token_from=f"/patients/{patient.id}/team",
        )
        assert response.status_code == 200
        assert "Not a valid choice" in response.get_data(as_text=True)
    response = auth.post(
        f"/patients/{patient.id}/team/remove",
        {"member_id": "garbage"},
        token_from=f"/patients/{patient.id}/team",
    )
    assert response.status_code == 400
    with app.app_context():
        assert (
            db.session.scalar(
                select(CareTeamMembership).where(CareTeamMembership.member_id == outsider.id)
            )
            is None
        )
