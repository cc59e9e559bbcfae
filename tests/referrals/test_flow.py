"""Referral journeys through the pages: to an outside service with its one-time link, inside
the clinic with a decline and a re-route, bad input, access, the patient's answer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.db import db, utcnow
from app.referrals.models import Referral, ReferralEvent, ReferralLink, Status
from tests.conftest import csrf_from
from tests.factories import PASSWORD
from tests.referrals.helpers import form_data, link_in, world


def _count(app, model=Referral) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _refer_to_food_bank(app, client, auth, w):
    auth.login(w.worker.email, PASSWORD)
    url = f"/patients/{w.patient.id}/referrals"
    data = form_data(
        client,
        url,
        target_kind="service",
        service=str(w.food_bank.id),
        shared=["contact", "reason"],
        consent="y",
        action="send",
    )
    response = client.post(url, data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    return link_in(response.get_data(as_text=True))


def test_outside_service_accepts_and_completes_through_its_links(app, make, client, auth):
    w = world(app, make)
    token = _refer_to_food_bank(app, client, auth, w)
    outbox = app.extensions["heed.mail_outbox"]
    assert any(m.to == "referrals@foodbank.example.org" and token in m.body for m in outbox)
    auth.logout()

    page = client.get(f"/r/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Worried about food" in html
    answer = {"csrf_token": csrf_from(html), "status": "accepted"}
    done = client.post(f"/r/{token}", data=answer)
    assert done.status_code == 200
    outcome_token = link_in(done.get_data(as_text=True))
    assert client.post(f"/r/{token}", data=answer).status_code == 410  # used once

    html = client.get(f"/r/{outcome_token}").get_data(as_text=True)
    empty = client.post(
        f"/r/{outcome_token}", data={"csrf_token": csrf_from(html), "status": "completed"}
    )
    assert empty.status_code == 400 and "Describe the outcome." in empty.get_data(as_text=True)
    ok = client.post(
        f"/r/{outcome_token}",
        data={"csrf_token": csrf_from(html), "status": "completed", "note": "Parcel collected"},
    )
    assert ok.status_code == 200
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert referral.status == Status.COMPLETED and referral.outcome == "Parcel collected"
        assert referral.first_response_at is not None
        events = db.session.scalars(select(ReferralEvent.to_status).order_by(ReferralEvent.at))
        assert list(events) == [Status.DRAFT, Status.REQUESTED, Status.ACCEPTED, Status.COMPLETED]
    notices = [m for m in outbox if m.to == w.worker.email]
    assert len(notices) == 2  # accepted, completed

    auth.login(w.worker.email, PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "News about referrals you sent" in home


def test_expired_link_is_gone(app, make, client, auth):
    w = world(app, make)
    token = _refer_to_food_bank(app, client, auth, w)
    with app.app_context():
        link = db.session.scalars(select(ReferralLink)).one()
        link.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert client.get(f"/r/{token}").status_code == 410
    assert client.get("/r/not-a-real-token").status_code == 410


def test_inactive_or_unknown_service_and_missing_consent_write_nothing(app, make, client, auth):
    w = world(app, make, active=False)
    auth.login(w.worker.email, PASSWORD)
    url = f"/patients/{w.patient.id}/referrals"
    for service in (str(w.food_bank.id), "7d3c1b0e-0000-4000-8000-000000000000"):
        data = form_data(client, url, target_kind="service", service=service, consent="y")
        response = client.post(url, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "This service does not exist or is no longer active." in html
        assert 'aria-invalid="true"' in html
    with app.test_request_context():
        bank = db.session.get(type(w.food_bank), w.food_bank.id)
        bank.active = True
        db.session.commit()
    data = form_data(client, url, target_kind="service", service=str(w.food_bank.id))
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "consent to share" in response.get_data(as_text=True)
    assert _count(app) == 0


def test_internal_decline_needs_a_reason_then_reroute(app, make, client, auth):
    w = world(app, make)
    auth.login(w.worker.email, PASSWORD)
    url = f"/patients/{w.patient.id}/referrals"
    data = form_data(client, url, target_kind="discipline", discipline="psychiatry", action="send")
    response = client.post(url, data=data)
    assert response.status_code == 302
    with app.app_context():
        referral_id = db.session.scalar(select(Referral.id))
    auth.logout()

    auth.login(w.psychiatrist.email, PASSWORD)  # not on the team: the receiving discipline
    assert "Referrals waiting for you" in client.get("/").get_data(as_text=True)
    page = client.get(f"/referrals/{referral_id}")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    bad = client.post(
        f"/referrals/{referral_id}/status", data={"csrf_token": token, "status": "rejected"}
    )
    assert bad.status_code == 400 and "Give a reason." in bad.get_data(as_text=True)
    early = client.post(
        f"/referrals/{referral_id}/status",
        data={"csrf_token": token, "status": "completed", "note": "x"},
    )
    assert early.status_code == 400
    assert "not possible at this step" in early.get_data(as_text=True)
    client.post(
        f"/referrals/{referral_id}/status",
        data={"csrf_token": token, "status": "rejected", "note": "Primary care can do this review"},
    )
    auth.logout()

    auth.login(w.worker.email, PASSWORD)
    reroute = f"/referrals/{referral_id}/reroute"
    data = form_data(client, reroute, target_kind="clinician", clinician=str(w.psychiatrist.id))
    assert client.post(reroute, data=data).status_code == 302
    with app.app_context():
        new = db.session.scalars(
            select(Referral).where(Referral.rerouted_from_id == referral_id)
        ).one()
        assert new.status == Status.REQUESTED and new.target_user_id == w.psychiatrist.id
    assert client.get(reroute).status_code == 404  # re-routed once


def test_only_the_sides_of_a_referral_see_it(app, make, client, auth):
    w = world(app, make)
    token = _refer_to_food_bank(app, client, auth, w)
    assert token
    with app.app_context():
        referral_id = db.session.scalar(select(Referral.id))
    auth.logout()
    outsider = make.clinician(w.clinic)  # psychology, not on the team
    other_clinic = make.coordinator(make.clinic())
    for person in (outsider, other_clinic):
        auth.login(person.email, PASSWORD)
        assert client.get(f"/referrals/{referral_id}").status_code == 404
        assert client.get(f"/patients/{w.patient.id}/referrals").status_code == 404
        auth.logout()
    auth.login(w.coordinator.email, PASSWORD)
    assert client.get(f"/referrals/{referral_id}").status_code == 200
    auth.logout()
    auth.login(w.patient.user.email, PASSWORD)
    assert client.get(f"/referrals/{referral_id}").status_code == 404
    home = client.get("/").get_data(as_text=True)
    assert "Your referrals" in home and "Sent" in home


def test_patient_answers_got_help(app, make, client, auth):
    w = world(app, make)
    _refer_to_food_bank(app, client, auth, w)
    auth.logout()
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        referral.requested_at = utcnow() - timedelta(days=30)
        db.session.commit()
        referral_id = referral.id
    auth.login(w.patient.user.email, PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "Did you get help from" in home
    url = f"/referrals/{referral_id}/answer"
    token = csrf_from(client.get(url).get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token}).status_code == 400
    assert client.post(url, data={"csrf_token": token, "answer": "got_help"}).status_code == 302
    assert "Got help" in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Referral, referral_id).patient_answer == "got_help"


def test_directory_is_for_coordinators(app, make, client, auth):
    w = world(app, make)
    auth.login(w.worker.email, PASSWORD)
    assert client.get("/referrals/directory").status_code == 200
    assert client.get("/referrals/directory/new").status_code == 404
    auth.logout()
    auth.login(w.coordinator.email, PASSWORD)
    url = "/referrals/directory/new"
    token = csrf_from(client.get(url).get_data(as_text=True))
    bad = client.post(url, data={"csrf_token": token, "name": "Ride club"})
    assert bad.status_code == 400 and "Choose at least one kind of help." in bad.get_data(
        as_text=True
    )
    ok = client.post(
        url,
        data={
            "csrf_token": token,
            "name": "Ride club",
            "help_kinds": ["transportation"],
            "active": "y",
        },
    )
    assert ok.status_code == 302
    assert "Ride club" in client.get("/referrals/directory").get_data(as_text=True)
