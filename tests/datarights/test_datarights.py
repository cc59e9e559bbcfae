"""A patient downloads all their data, or erases it: no name, contact or free text remains."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import timedelta

from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import String, Text, select, text

from app.alerts import services as alerts
from app.alerts.models import Alert, Severity
from app.audit import AuditEvent
from app.auth.models import User
from app.careplan import services as careplan
from app.careplan.content import PlanContent
from app.careteam.models import ConsentGrant, ConsentScope, Patient, SmsConsent
from app.db import db, utcnow
from app.diary import services as diary
from app.diary.models import DiaryEntry, DiaryRevision
from app.diary.values import DiaryValues
from app.instruments import loader
from app.instruments import services as instruments
from app.schema import Base
from app.security import ENCRYPTED_TYPES
from tests.factories import PASSWORD
from tests.instruments.helpers import assign_once

NAME, EMAIL, PHONE = "Zelda Quintero-Unique", "zelda.unique@example.org", "+12025550173"


NOTE = "Zelda wrote this private sentence about her week"
ALERT_NOTE = "Phoned Zelda, she is fine"
OWN_LABEL = "Zelda's jaw clicking"


def _patient(make, app):
    clinician = make.clinician(name="Dr. Team Member")
    patient = make.patient(team=[clinician], name=NAME, email=EMAIL, phone=PHONE)
    make.caregiver(patient, [ConsentScope.VIEW_SCORES], name="Helper Person")
    with app.test_request_context():
        record = db.session.get(Patient, patient.id)
        user = db.session.get(User, patient.user_id)
        lead = db.session.get(User, clinician.id)
        yesterday = utcnow().date() - timedelta(days=1)
        for note, tags in ((NOTE, ("Zelda's bus",)), (NOTE + " (edited)", ())):
            diary.record_entry(
                patient=record,
                local_date=yesterday,
                values=DiaryValues(overall_symptoms=4, notes=note, custom_triggers=tags),
                submission_id=uuid.uuid4(),
                actor=user,
            )
        plan = PlanContent(hypotheses="Zelda's stress at work")
        careplan.save_version(patient=record, author=lead, content=plan, base_version=0)
        careplan.add_comment(
            patient=record, author=user, body="Zelda asks a question", plan_version=1
        )
        alert = alerts.raise_alert(
            patient_id=record.id,
            rule_code="no_diary",
            severity=Severity.NORMAL,
            source_type="patient",
            source_id=record.id,
        )
        alerts.acknowledge(alert=alert, actor=lead, note=ALERT_NOTE)
        diary.set_tracked_symptoms(patient=record, codes=["pain"], custom_labels=[OWN_LABEL])
        _, occurrence = assign_once(record, lead, "gad7")
        instruments.submit_response(
            occurrence=occurrence,
            patient=record,
            definition=loader.registry()["gad7"],
            values={str(i): 1 for i in range(1, 8)},
            locale="en",
            submission_key=uuid.uuid4(),
        )
        db.session.commit()
    return patient


def test_exports_contain_everything_in_three_formats(app, make, client, auth):
    patient = _patient(make, app)
    auth.login(EMAIL, PASSWORD)
    response = client.get(f"/patients/{patient.id}/data/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.get_data(as_text=True))
    sections = document["sections"]
    assert sections["profile"][0]["name"] == NAME
    assert sections["profile"][0]["phone"] == PHONE
    assert {row["member"] for row in sections["care_team"]} == {"Dr. Team Member"}
    assert sections["caregiver_sharing"][0]["scope"] == "view_scores"

    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/patients/{patient.id}/data/export.csv").data)
    )
    assert {"profile.csv", "care_team.csv", "access_log.csv"} <= set(archive.namelist())
    assert NAME in archive.read("profile.csv").decode()

    assert sections["diary"][0]["notes"].startswith(NOTE)
    assert sections["questionnaires"][0]["instrument"] == "gad7"
    assert sections["care_plan_comments"][0]["comment"] == "Zelda asks a question"
    assert sections["care_plan_versions"][0]["plan"]["hypotheses"] == "Zelda's stress at work"
    assert sections["alerts"][0]["note"] == ALERT_NOTE
    assert sections["alerts"][0]["rule"] == "no_diary"
    assert [row["own_label"] for row in sections["tracked_symptoms"]] == [None, OWN_LABEL]
    assert ALERT_NOTE in archive.read("alerts.csv").decode()

    bundle = client.get(f"/patients/{patient.id}/data/export.fhir").get_json(force=True)
    validated = Bundle.model_validate(bundle)
    kinds = [entry.resource.get_resource_type() for entry in validated.entry]
    assert kinds[0] == "Patient"
    assert {"QuestionnaireResponse", "Observation"} <= set(kinds)
    with app.app_context():
        exports = db.session.scalars(
            select(AuditEvent.object_id).where(AuditEvent.action == "patient.export")
        ).all()
    assert sorted(exports) == ["csv", "fhir", "json"]
    assert client.get(f"/patients/{patient.id}/data/export.exe").status_code == 404


def test_erasure_with_wrong_password_changes_nothing(app, make, client, auth):
    patient = _patient(make, app)
    auth.login(EMAIL, PASSWORD)
    response = auth.post(
        f"/patients/{patient.id}/data/erase",
        {"password": "wrong one", "understood": "y"},
        token_from=f"/patients/{patient.id}/data",
    )
    assert response.status_code == 400
    assert "That password is not right." in response.get_data(as_text=True)
    response = auth.post(
        f"/patients/{patient.id}/data/erase",
        {"password": PASSWORD},
        token_from=f"/patients/{patient.id}/data",
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, patient.user_id).display_name == NAME


def test_erasure_leaves_no_name_contact_or_phone_in_any_table(app, make, client, auth):
    patient = _patient(make, app)
    auth.login(EMAIL, PASSWORD)
    auth.post("/auth/settings/text-messages", {"agree": "1"}, token_from="/auth/settings")
    response = auth.post(
        f"/patients/{patient.id}/data/erase",
        {"password": PASSWORD, "understood": "y"},
        token_from=f"/patients/{patient.id}/data",
    )
    assert response.status_code == 302
    confirmation = app.extensions["heed.mail_outbox"][-1]
    assert confirmation.to == EMAIL
    assert client.get("/").status_code == 302  # signed out
    assert auth.login(EMAIL, PASSWORD).status_code == 200  # and cannot sign in again

    needles = (NAME, EMAIL, PHONE, PHONE[2:], "Zelda", NOTE, ALERT_NOTE, OWN_LABEL)
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            columns = [c.name for c in table.columns if isinstance(c.type, (String, Text))]
            for column in columns:
                values = db.session.execute(
                    text(f'SELECT "{column}" FROM "{table.name}"')
                ).scalars()
                for value in values:
                    assert not any(needle in (value or "") for needle in needles), (
                        table.name,
                        column,
                    )
        # Encrypted columns hide their text from the scan above: read every one decrypted too.
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, ENCRYPTED_TYPES):
                    values = db.session.scalars(select(column)).all()
                    found = json.dumps(values, ensure_ascii=False, default=str)
                    assert not any(needle in found for needle in needles), column
        entry = db.session.scalars(
            select(DiaryEntry).where(DiaryEntry.patient_id == patient.id)
        ).one()
        assert (entry.notes, entry.custom_triggers) == (None, [])
        alert = db.session.scalars(select(Alert).where(Alert.patient_id == patient.id)).one()
        assert (alert.rule_code, alert.acknowledged_at is not None, alert.note) == (
            "no_diary",
            True,
            None,
        )
        history = db.session.scalars(
            select(DiaryRevision.changes).where(DiaryRevision.entry_id == entry.id)
        ).all()
        assert len(history) == 2
        assert not any(needle in json.dumps(history) for needle in needles)
        user = db.session.get(User, patient.user_id)
        assert (user.email, user.phone, user.phone_index, user.password_hash) == (
            None,
            None,
            None,
            None,
        )
        assert db.session.scalars(select(ConsentGrant)).one().revoked_at is not None
        assert db.session.scalars(select(SmsConsent)).one().withdrawn_at is not None
        actions = set(
            db.session.scalars(select(AuditEvent.action).where(AuditEvent.patient_id == patient.id))
        )
        assert "patient.erase" in actions
