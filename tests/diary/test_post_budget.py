"""Statement budget for the JSON diary POST that bench stage 1 sends, and for the API's PUT of
the same entry: create and amend (issue 19: one lean diary write path).

Counted as the statements one request sends (the test's SAVEPOINTs stand for the request's
one transaction: the access check's audit event is inserted with the entry's).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from app.audit import AuditEvent
from app.db import db
from app.diary.models import DiaryEntry, DiaryRevision, RevisionKind
from app.prompts.models import DIARY_TARGET, OutboxMessage, OutboxStatus, PromptPurpose
from tests.conftest import csrf_from
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
DAY = NOW.date() - timedelta(days=2)
# The session's user, the patient; the day's entry (with its children) and the submission id
# in one statement; the entry's insert or update, its revision, the access and entry audit
# events in one insert, and the cancel of the day's reminder. (Before issue 19's lean path: 9.)
BUDGET = 7


def _payload(mood: int) -> dict:
    return {
        "submission_id": str(uuid.uuid4()),
        "overall_symptoms": 3,
        "mood": mood,
        "stress": 4,
        "energy": 5,
        "sleep_quality": 2,
    }


def _reminder(patient) -> OutboxMessage:
    return OutboxMessage(
        recipient_id=patient.user_id,
        patient_id=patient.id,
        purpose=PromptPurpose.DIARY_REMINDER,
        target=DIARY_TARGET,
        local_date=DAY,
        slot="daily",
        due_at=NOW,
        expires_at=NOW,
        next_attempt_at=NOW,
        status=OutboxStatus.PLANNED,
    )


def _audited_in_order(patient_id) -> list[str]:
    rows = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.patient_id == patient_id, AuditEvent.action != "patient.view_diary")
        .order_by(AuditEvent.id)
    ).all()
    return [a for a in rows if a.startswith(("patient.write_diary", "diary."))]


def _sent(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]


@time_machine.travel(NOW, tick=False)
def test_json_diary_post_stays_within_statement_budget(app, make, client, auth, count_queries):
    patient = make.patient()
    with app.app_context():
        reminder = _reminder(patient)
        db.session.add(reminder)
        db.session.commit()
        reminder_id = reminder.id
    assert auth.login(patient.user.email, PASSWORD).status_code == 302
    url = f"/patients/{patient.id}/diary/entry/{DAY.isoformat()}"
    headers = {"X-CSRFToken": csrf_from(client.get(url).get_data(as_text=True))}
    with count_queries() as created:
        assert client.post(url, json=_payload(4), headers=headers).status_code == 201
    assert len(_sent(created)) <= BUDGET, "\n".join(created)
    with count_queries() as amended:
        assert client.post(url, json=_payload(6), headers=headers).status_code == 200
    assert len(_sent(amended)) <= BUDGET, "\n".join(amended)
    with app.app_context():
        entry = db.session.scalars(select(DiaryEntry)).one()
        assert (entry.local_date, entry.mood, entry.stress) == (DAY, 6, 4)
        kinds = db.session.scalars(
            select(DiaryRevision.kind).where(DiaryRevision.entry_id == entry.id)
        ).all()
        assert sorted(kinds) == sorted([RevisionKind.CREATED, RevisionKind.AMENDED])
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.patient_id == patient.id)
        ).all()
        assert actions.count("diary.entry_create") == actions.count("diary.entry_amend") == 1
        assert actions.count("patient.write_diary") >= 2
        # The access event of each save, then its entry event (inserted in one statement).
        assert _audited_in_order(patient.id)[-4:] == [
            "patient.write_diary",
            "diary.entry_create",
            "patient.write_diary",
            "diary.entry_amend",
        ]
        assert db.session.get(OutboxMessage, reminder_id).status == OutboxStatus.CANCELLED


@time_machine.travel(NOW, tick=False)
def test_api_put_stays_within_the_same_statement_budget(app, make, client, auth, count_queries):
    """The API's PUT runs the same write path: the token or session check, the body's
    validation and the If-Match check add no statement."""
    patient = make.patient()
    with app.app_context():
        reminder = _reminder(patient)
        db.session.add(reminder)
        db.session.commit()
        reminder_id = reminder.id
    assert auth.login(patient.user.email, PASSWORD).status_code == 302
    page = f"/patients/{patient.id}/diary/entry/{DAY.isoformat()}"
    csrf = csrf_from(client.get(page).get_data(as_text=True))
    url = f"/api/v1/patients/{patient.id}/diary/{DAY.isoformat()}"
    body = {k: v for k, v in _payload(4).items() if k != "submission_id"}
    with count_queries() as created:
        first = client.put(
            url, json=body, headers={"X-CSRFToken": csrf, "Idempotency-Key": str(uuid.uuid4())}
        )
    assert first.status_code == 201, first.get_data(as_text=True)
    assert len(_sent(created)) <= BUDGET, "\n".join(created)
    headers = {"X-CSRFToken": csrf, "If-Match": first.headers["ETag"]}
    with count_queries() as amended:
        second = client.put(
            url, json={**body, "mood": 6}, headers={**headers, "Idempotency-Key": "second"}
        )
    assert second.status_code == 200, second.get_data(as_text=True)
    assert len(_sent(amended)) <= BUDGET, "\n".join(amended)
    assert second.headers["ETag"] == '"2"' and second.get_json()["values"]["mood"] == 6
    stale = client.put(url, json=body, headers={**headers, "Idempotency-Key": "third"})
    assert stale.status_code == 412 and stale.headers["ETag"] == '"2"'
    with app.app_context():
        entry = db.session.scalars(select(DiaryEntry)).one()
        assert (entry.version, entry.mood) == (2, 6)
        assert _audited_in_order(patient.id)[-5:-1] == [
            "patient.write_diary",
            "diary.entry_create",
            "patient.write_diary",
            "diary.entry_amend",
        ]
        # The refused PUT still committed its access event (and its refusal).
        refused = db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.patient_id == patient.id)
            .order_by(AuditEvent.id.desc())
            .limit(2)
        ).all()
        assert refused == ["request.refused", "patient.write_diary"]
        assert db.session.get(OutboxMessage, reminder_id).status == OutboxStatus.CANCELLED


@time_machine.travel(NOW, tick=False)
def test_json_amend_with_symptoms_and_activities_checks_tracked_keys(app, make, client, auth):
    patient = make.patient()
    assert auth.login(patient.user.email, PASSWORD).status_code == 302
    url = f"/patients/{patient.id}/diary/entry/{DAY.isoformat()}"
    headers = {"X-CSRFToken": csrf_from(client.get(url).get_data(as_text=True))}
    first = {
        **_payload(4),
        "symptom-pain": 6,
        "symptom-fatigue": 3,
        "site-pain": "head",
        "activity-physical-done": 30,
        "activity-rest-planned": 20,
    }
    assert client.post(url, json=first, headers=headers).status_code == 201
    untracked = {**_payload(4), "symptom-nausea": 2}
    refused = client.post(url, json=untracked, headers=headers)
    assert refused.status_code == 422 and "symptom-nausea" in refused.get_json()["errors"]
    second = {**_payload(5), "symptom-pain": 2, "activity-physical-done": 45}
    assert client.post(url, json=second, headers=headers).status_code == 200
    with app.app_context():
        entry = db.session.scalars(select(DiaryEntry)).one()
        assert entry.symptom_scores() == {"pain": 2}
        assert [(b.kind, b.done_minutes) for b in entry.activities] == [("physical", 45)]
