"""A patient invites a caregiver, grants scopes, changes and revokes them; effects are immediate."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from app.careteam.models import CaregiverLink, ConsentGrant, ConsentScope
from app.db import db, utcnow
from tests.conftest import Auth
from tests.factories import PASSWORD


def _invite(auth: Auth, patient_id, **overrides):
    data = {
        "invite-display_name": "Robin Helper",
        "invite-relationship_label": "Partner",
        "invite-email": "robin.helper@example.org",
        "invite-phone": "",
        "invite-scopes": ["view_scores"],
        "invite-expires_on": "",
        **overrides,
    }
    path = f"/patients/{patient_id}/caregivers"
    return auth.client.post(path, data={**data, "csrf_token": auth.token(path)})


def test_invited_caregiver_sees_only_what_is_granted_until_revoked(app, make, client, auth):
    patient = make.patient(name="Sharing Patient")
    auth.login(patient.user.email, PASSWORD)
    assert _invite(auth, patient.id).status_code == 302
    mail = app.extensions["heed.mail_outbox"][-1]
    link = re.search(r"http://localhost(/auth/invitation/\S+)", mail.body).group(1)

    caregiver_client = app.test_client()
    caregiver = Auth(caregiver_client)
    password = "caregiver password 1"
    caregiver.post(link, {"password": password, "confirm": password}, token_from=link)
    caregiver.login("robin.helper@example.org", password)
    home = caregiver_client.get("/").get_data(as_text=True)
    assert "Sharing Patient" in home
    assert caregiver_client.get(f"/patients/{patient.id}").status_code == 200
    assert caregiver_client.get(f"/patients/{patient.id}/access-log").status_code == 404

    with app.app_context():
        link_row = db.session.scalars(select(CaregiverLink)).one()
    path = f"/patients/{patient.id}/caregivers/{link_row.id}"
    auth.post(
        path,
        {f"link-{link_row.id.hex}-expires_on": ""},
        token_from=f"/patients/{patient.id}/caregivers",
    )
    assert (
        caregiver_client.get(f"/patients/{patient.id}").status_code == 404
    )  # revoked: next request
    log = client.get(f"/patients/{patient.id}/access-log").get_data(as_text=True)
    assert "Robin Helper" in log


def test_sharing_can_end_on_a_date(app, make, auth):
    patient = make.patient(timezone="Europe/Berlin")
    auth.login(patient.user.email, PASSWORD)
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    _invite(
        auth,
        patient.id,
        **{"invite-expires_on": tomorrow, "invite-scopes": ["view_scores", "view_diary_summary"]},
    )
    with app.app_context():
        grants = db.session.scalars(select(ConsentGrant)).all()
        assert {g.scope for g in grants} == {
            ConsentScope.VIEW_SCORES,
            ConsentScope.VIEW_DIARY_SUMMARY,
        }
        assert all(g.expires_at is not None for g in grants)
        caregiver_id = db.session.scalars(select(CaregiverLink.caregiver_id)).one()
    with time_machine.travel(utcnow() + timedelta(days=3)):
        from app.access import may
        from app.auth.models import User
        from app.careteam.models import Patient

        with app.test_request_context():
            from app.access import Action

            assert not may(
                db.session.get(User, caregiver_id),
                Action.VIEW_SCORES,
                db.session.get(Patient, patient.id),
            )


def test_bad_caregiver_input_is_explained_and_writes_nothing(app, make, auth):
    patient = make.patient()
    clinician = make.clinician()
    auth.login(patient.user.email, PASSWORD)
    cases = [
        ({"invite-email": "", "invite-phone": ""}, "Enter an email address or a mobile number"),
        ({"invite-relationship_label": ""}, "This field is required."),
        ({"invite-scopes": ["see_everything"]}, "not a valid choice"),
        ({"invite-expires_on": "2001-01-01"}, "Choose a date after today"),
        ({"invite-expires_on": "someday"}, "Not a valid date value"),
        ({"invite-email": clinician.email}, "cannot be a caregiver"),
    ]
    for overrides, message in cases:
        response = _invite(auth, patient.id, **overrides)
        assert response.status_code == 200, overrides
        assert message.lower() in response.get_data(as_text=True).lower(), overrides
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaregiverLink)) == 0
        assert db.session.scalar(select(func.count()).select_from(ConsentGrant)) == 0


def test_a_patient_cannot_change_another_patients_caregiver(app, make, auth):
    patient, other = make.patient(), make.patient()
    _, link = make.caregiver(other, [ConsentScope.VIEW_SCORES])
    auth.login(patient.user.email, PASSWORD)
    response = auth.post(f"/patients/{patient.id}/caregivers/{link.id}", {}, token_from="/")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalars(select(ConsentGrant)).one().revoked_at is None
