"""Case conferences in the patient's export (patient-facing part only, valid FHIR R4B) and
erasure (free text pseudonymized)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

from fhir.resources.R4B.communication import Communication
from fhir.resources.R4B.encounter import Encounter

from app.auth.models import User
from app.careteam.models import Patient
from app.conferences import data_rights, decisions, queries, services
from app.conferences.models import ActionKind, Attendance
from app.db import db
from tests.conferences.helpers import make_world, schedule, stand_in_rule

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET = "Hypothesis: the new job adds stress."
REFERRAL_ID = uuid.UUID("6f1c1d9e-3f7a-4c55-9d7e-0b1f2a3c4d5e")  # opaque: any id


def test_export_shows_the_review_never_the_discussion_and_erasure_pseudonymizes(app, make):
    world = make_world(make)
    with app.test_request_context(), stand_in_rule(world.flagged):
        conference = schedule(world, now=NOW)
        lead = db.session.get(User, world.lead.id)
        services.start(conference=conference, now=NOW)
        services.record_attendance(conference=conference, values={lead.id: Attendance.PRESENT})
        item = queries.items(conference)[0]
        services.save_note(
            conference=conference,
            item=item,
            by=lead,
            discussed=SECRET,
            hypotheses=SECRET,
            disagreements=None,
            uncertainty=None,
            now=NOW,
        )
        for kind in (ActionKind.RECOMMENDATION, ActionKind.REFERRAL, ActionKind.CARE_PLAN):
            action = decisions.add_action(
                conference=conference,
                item=item,
                kind=kind,
                description=SECRET,
                owner_id=lead.id,
                due_on=date(2026, 3, 9),
                by=lead,
                today=NOW.date(),
            )
            if kind == ActionKind.REFERRAL:
                decisions.link_referral(
                    origin=decisions.origin_token(action),
                    patient_id=item.patient_id,
                    referral_id=REFERRAL_ID,
                    now=NOW,
                )
        decisions.link_plan_version(
            origin=decisions.origin_token(action),
            patient_id=item.patient_id,
            version_id=action.id,
            now=NOW,
        )
        services.finish(conference=conference, now=NOW)
        patient = db.session.get(Patient, world.flagged.id)
        [section] = data_rights.conferences(patient)
        assert SECRET not in json.dumps(section.rows) + json.dumps(section.fhir_resources)
        assert section.rows[0]["participants"] == [lead.display_name]
        kinds = [r["resourceType"] for r in section.fhir_resources]
        assert kinds == ["Encounter", "Communication", "Communication", "Communication"]
        assert section.rows[0]["referrals"] == [str(REFERRAL_ID)]
        referral = next(r for r in section.fhir_resources if "referral" in r["id"])
        assert referral["about"] == [{"reference": f"ServiceRequest/{REFERRAL_ID}"}]
        Encounter.model_validate(section.fhir_resources[0])
        for resource in section.fhir_resources[1:]:
            Communication.model_validate(resource)
        data_rights.erase_conference_text(patient)
        db.session.expire_all()
        item = queries.items(conference)[0]
        assert item.hypotheses is None and item.discussed == data_rights.ERASED
        assert item.snapshot is None
        db.session.rollback()
