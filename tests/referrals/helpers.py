"""Shared set-up for the referral tests: a clinic with a social worker, a psychiatrist, a
coordinator, a patient and a food bank in the directory."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.auth.models import Discipline, User
from app.careteam.models import Clinic, Patient
from app.db import db
from app.referrals import services
from app.referrals.models import CommunityService
from tests.conftest import csrf_from
from tests.sms.fixtures import consenting

FOOD_BANK = {
    "name": "Riverside Community Food Bank",
    "help_kinds": ["food"],
    "languages": ["en", "es"],
    "address": "12 Example Street",
    "phone": "+1 202 555 0180",
    "email": "referrals@foodbank.example.org",
    "hours": "Mon-Fri",
    "accepts": "Link",
    "active": True,
}


@dataclass
class World:
    clinic: Clinic
    worker: User
    psychiatrist: User
    coordinator: User
    patient: Patient
    food_bank: CommunityService


def world(app, make, *, active: bool = True) -> World:
    clinic = make.clinic()
    worker = make.clinician(clinic, discipline=Discipline.SOCIAL_WORK)
    psychiatrist = make.clinician(clinic, discipline=Discipline.PSYCHIATRY)
    coordinator = make.coordinator(clinic)
    patient = consenting(make, app, phone="+12025550199", clinic=clinic, team=[worker])
    with app.test_request_context():
        bank = services.save_service(
            clinic_id=clinic.id, service=None, values={**FOOD_BANK, "active": active}
        )
        db.session.commit()
    return World(clinic, worker, psychiatrist, coordinator, patient, bank)


def form_data(client, url: str, **values: str) -> dict[str, str]:
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "urgency": "soon", "reason": "Worried about food"}
    data.update(values)
    return data


LINK_RE = re.compile(r"/r/([A-Za-z0-9_-]+)")


def link_in(html: str) -> str:
    match = LINK_RE.search(html)
    assert match, "no one-time link on the page"
    return match.group(1)
