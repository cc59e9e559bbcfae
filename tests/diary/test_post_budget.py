"""Statement budget for the JSON diary POST that bench stage 1 sends: create and amend.

Counted as the statements one request sends (the test's SAVEPOINTs stand for the request's
two transactions: the access check's audit event is committed first, then the entry).
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
# The session's user, the patient, the access event; the day's entry (with its children),
# the submission id, the entry's insert or update, its revision, its audit event, and the
# cancel of the day's reminder.
BUDGET = 9


def _payload(mood: int) -> dict:
    return {
        "submission_id": str(uuid.uuid4()),
        "overall_symptoms": 3,
        "mood": mood,
        "stress": 4,
        "energy": 5,
        "sleep_quality": 2,
    }


def _sent(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]


@time_machine.travel(NOW, tick=False)
def test_json_diary_post_stays_within_statement_budget(app, make, client, auth, count_queries):
    patient = make.patient()
    with app.app_context():
        reminder = OutboxMessage(
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
