"""Free text people write is encrypted at rest: care plans and comments, alert notes, the diary's
own trigger tags and own symptom labels. The database holds Fernet tokens; the pages, the
export and the patient's own forms show the words as written."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from app import create_app
from app.alerts import services as alerts
from app.alerts.models import Alert, Severity
from app.auth.models import User
from app.careplan import services as careplan
from app.careplan.models import CarePlanComment, CarePlanVersion
from app.careteam.models import Patient
from app.db import db
from app.diary import queries as diary_queries
from app.diary import services as diary
from app.diary.models import DiaryEntry, TrackedSymptom
from app.diary.values import DiaryValues
from tests.careplan.helpers import plan
from tests.factories import PASSWORD

HYPOTHESES = "Pain rises with the night shifts; worry about her mother keeps it going."
GOAL = "Walk to the bakery and back three times a week"
COMMENT = "Could the physio move to Thursdays? Wednesdays I look after my grandson."
ACK_NOTE = "Called her at 16:10: safe at home, her sister stays tonight."
TAG = "argument with Daniel"
LABEL = "jaw clicking at dawn"


@pytest.fixture
def written(app, make):
    """Every kind of free text, written through the services as the app writes it."""
    lead = make.clinician()
    created = make.patient(team=[lead], name="Rosa Encrypted")
    with app.test_request_context():
        patient = db.session.get(Patient, created.id)
        clinician = db.session.get(User, lead.id)
        version = careplan.save_version(
            patient=patient,
            author=clinician,
            content=plan(HYPOTHESES, goal_what=GOAL),
            base_version=0,
        )
        comment = careplan.add_comment(
            patient=patient, author=patient.user, body=COMMENT, plan_version=1
        )
        alert = alerts.raise_alert(
            patient_id=patient.id,
            rule_code="critical_answer",
            severity=Severity.URGENT,
            source_type="response",
            source_id=uuid.uuid4(),
        )
        alerts.acknowledge(alert=alert, actor=clinician, note=ACK_NOTE)
        diary.set_tracked_symptoms(patient=patient, codes=["pain"], custom_labels=[LABEL])
        day = diary_queries.local_today(patient) - timedelta(days=1)
        entry = diary.record_entry(
            patient=patient,
            local_date=day,
            values=DiaryValues(overall_symptoms=5, custom_triggers=(TAG,)),
            submission_id=uuid.uuid4(),
            actor=patient.user,
        ).entry
        symptom = next(t for t in diary_queries.tracked_symptoms(patient) if t.is_custom)
        db.session.commit()
        ids = {
            ("care_plan_versions", "content"): version.id,
            ("care_plan_comments", "body"): comment.id,
            ("alerts", "note"): alert.id,
            ("diary_entries", "custom_triggers"): entry.id,
            ("diary_tracked_symptoms", "custom_label"): db.session.scalar(
                select(TrackedSymptom.id).where(TrackedSymptom.key == symptom.key)
            ),
        }
    return created, lead, day, ids


def test_each_column_stores_a_token_and_the_app_reads_the_text(app, written):
    patient, _, _, ids = written
    words = {
        ("care_plan_versions", "content"): (HYPOTHESES, GOAL, "hypotheses"),
        ("care_plan_comments", "body"): (COMMENT,),
        ("alerts", "note"): (ACK_NOTE,),
        ("diary_entries", "custom_triggers"): (TAG,),
        ("diary_tracked_symptoms", "custom_label"): (LABEL,),
    }
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        for (table, column), row_id in ids.items():
            stored = db.session.scalar(
                text(f"SELECT CAST({column} AS TEXT) FROM {table} WHERE id = :id"),
                {"id": row_id.hex if sqlite else row_id},
            )
            assert stored.startswith("gAAAAA"), (table, column)  # a Fernet token
            assert not any(word in stored for word in words[table, column]), (table, column)
        version = db.session.get(CarePlanVersion, ids["care_plan_versions", "content"])
        assert version.plan.hypotheses == HYPOTHESES
        assert version.plan.goals[0].what == GOAL
        assert db.session.get(CarePlanComment, ids["care_plan_comments", "body"]).body == COMMENT
        assert db.session.get(Alert, ids["alerts", "note"]).note == ACK_NOTE
        entry = db.session.get(DiaryEntry, ids["diary_entries", "custom_triggers"])
        assert entry.custom_triggers == [TAG]
        tracked = db.session.scalars(
            select(TrackedSymptom).where(TrackedSymptom.patient_id == patient.id)
        ).all()
        assert {t.custom_label for t in tracked} == {None, LABEL}


def test_pages_show_the_words_as_written(app, client, auth, written):
    patient, lead, day, _ = written
    auth.login(lead.email, PASSWORD)
    plan_page = client.get(f"/patients/{patient.id}/care-plan").get_data(as_text=True)
    assert HYPOTHESES in plan_page and GOAL in plan_page and COMMENT in plan_page
    record = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert ACK_NOTE in record
    summary = client.get(f"/patients/{patient.id}/summary").get_data(as_text=True)
    assert ACK_NOTE in summary
    auth.logout()

    auth.login(patient.user.email, PASSWORD)
    entry_page = client.get(f"/patients/{patient.id}/diary/entry/{day.isoformat()}")
    html = entry_page.get_data(as_text=True)
    assert entry_page.status_code == 200
    assert TAG in html and LABEL in html
    assert LABEL in client.get(f"/patients/{patient.id}/diary/symptoms").get_data(as_text=True)


def test_the_patients_export_has_the_words_as_written(client, auth, written):
    patient, _, _, _ = written
    auth.login(patient.user.email, PASSWORD)
    sections = client.get(f"/patients/{patient.id}/data/export.json").get_json(force=True)[
        "sections"
    ]
    assert sections["care_plan_versions"][0]["plan"]["hypotheses"] == HYPOTHESES
    assert sections["care_plan_versions"][0]["plan"]["goals"][0]["what"] == GOAL
    assert sections["care_plan_comments"][0]["comment"] == COMMENT
    assert sections["alerts"][0]["note"] == ACK_NOTE
    assert sections["diary"][0]["triggers"] == TAG
    assert LABEL in [row["own_label"] for row in sections["tracked_symptoms"]]


def test_rotate_keys_rewrites_these_columns_too(app, database_url, written):
    *_, ids = written
    old_key = app.config["FIELD_ENCRYPTION_KEYS"][0]
    new_key = Fernet.generate_key().decode()
    rotated = create_app(
        {"DATABASE_URL": database_url, "FIELD_ENCRYPTION_KEYS": [new_key, old_key]}
    )
    rotated.extensions["heed.sessionmaker"] = app.extensions[
        "heed.sessionmaker"
    ]  # same test transaction
    output = rotated.test_cli_runner().invoke(args=["rotate-keys"]).output
    for table, column in ids:
        assert f"{table}.{column}: 1" in output
    only_new = create_app({"DATABASE_URL": database_url, "FIELD_ENCRYPTION_KEYS": [new_key]})
    only_new.extensions["heed.sessionmaker"] = app.extensions["heed.sessionmaker"]
    with only_new.app_context():
        version = db.session.get(CarePlanVersion, ids["care_plan_versions", "content"])
        assert version.plan.hypotheses == HYPOTHESES
        assert db.session.get(CarePlanComment, ids["care_plan_comments", "body"]).body == COMMENT
        assert db.session.get(Alert, ids["alerts", "note"]).note == ACK_NOTE
        entry = db.session.get(DiaryEntry, ids["diary_entries", "custom_triggers"])
        assert entry.custom_triggers == [TAG]
        label = db.session.get(TrackedSymptom, ids["diary_tracked_symptoms", "custom_label"])
        assert label.custom_label == LABEL
    for application in (rotated, only_new):
        application.extensions["heed.engine"].dispose()


def test_a_note_over_the_limit_is_refused_and_nothing_is_written(app, make, client, auth):
    """The database cannot check an encrypted note's length: the form and the service do."""
    lead = make.clinician()
    patient = make.patient(team=[lead])
    with app.test_request_context():
        alert = alerts.raise_alert(
            patient_id=patient.id,
            rule_code="no_diary",
            severity=Severity.NORMAL,
            source_type="patient",
            source_id=patient.id,
        )
        db.session.commit()
        with pytest.raises(ValueError, match="1000"):
            alerts.acknowledge(alert=alert, actor=db.session.get(User, lead.id), note="x" * 1001)
    auth.login(lead.email, PASSWORD)
    record = f"/patients/{patient.id}"
    response = auth.post(
        f"{record}/alerts/{alert.id}/acknowledge", {"note": "x" * 1001}, token_from=record
    )
    assert response.status_code == 400  # the note comes back marked, with the message beside it
    page = response.get_data(as_text=True)
    assert '<p class="error" id="note-error">Use at most 1000 characters.</p>' in page
    assert 'aria-invalid="true"' in page
    empty = auth.post(f"{record}/alerts/{alert.id}/acknowledge", {"note": " "}, token_from=record)
    assert empty.status_code == 400
    assert "Write a short note on what was done." in empty.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(Alert, alert.id)
        assert (stored.acknowledged_at, stored.note) == (None, None)
    auth.post(f"{record}/alerts/{alert.id}/acknowledge", {"note": "x" * 1000}, token_from=record)
    with app.app_context():
        assert db.session.get(Alert, alert.id).note == "x" * 1000
