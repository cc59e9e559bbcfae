"""The demo seeds one upcoming conference for the clinic, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.careteam.models import Clinic, Patient
from app.conferences import demo, queries
from app.conferences.models import CaseConference
from app.db import db, utcnow
from tests.conferences.helpers import make_world


def test_demo_conference_is_upcoming_nominated_and_idempotent(app, make):
    world = make_world(make)
    with app.test_request_context():
        clinic = db.session.get(Clinic, world.clinic.id)
        patient = db.session.get(Patient, world.flagged.id)
        conference = demo.seed(clinic, [patient])
        assert conference is not None and conference.starts_at > utcnow()
        assert conference.video_url == demo.DEMO_LINK
        # the real agenda rules may list patients too; the demo nominates exactly one
        [item] = [item for item in queries.items(conference) if item.nomination]
        assert item.patient_id == patient.id and item.nomination == demo.DEMO_REASON
        assert demo.seed(clinic, [patient]) is None
        assert db.session.scalar(select(func.count()).select_from(CaseConference)) == 1
        db.session.rollback()
