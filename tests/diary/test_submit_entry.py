"""One service takes a submitted diary form to a saved entry (or the errors to show): the view
only hands the form over and turns the outcome into a response."""

from __future__ import annotations

import ast
import inspect
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.diary import queries, services, views
from app.diary.models import DiaryEntry, EntryMode


def _submit(patient: Patient, data: dict, *, days_ago: int = 1) -> services.Submission:
    today = queries.local_today(patient)
    return services.submit_entry(
        patient=patient,
        local_date=today - timedelta(days=days_ago),
        today=today,
        mode=EntryMode.QUICK,
        data=data,
        actor=db.session.get(User, patient.user_id),
    )


def _entries(patient: Patient) -> int:
    return db.session.scalar(
        select(func.count()).select_from(DiaryEntry).where(DiaryEntry.patient_id == patient.id)
    )


def test_submit_entry_saves_refuses_and_detects_conflicts(make, ctx):
    patient = db.session.get(Patient, make.patient().id)
    key = str(uuid.uuid4())
    saved = _submit(patient, {"submission_id": key, "overall_symptoms": "4", "mood": "6"})
    assert saved.result is not None and saved.result.created and not saved.errors
    assert (saved.result.entry.overall_symptoms, saved.result.entry.mood) == (4, 6)

    again = _submit(patient, {"submission_id": key, "overall_symptoms": "4", "mood": "6"})
    assert again.result is not None and again.result.replayed

    conflict = _submit(patient, {"submission_id": key, "overall_symptoms": "9", "mood": "6"})
    assert (conflict.result, conflict.status) == (None, 409)
    assert "already sent with different answers" in conflict.errors["submission_id"]

    invalid = _submit(
        patient, {"submission_id": str(uuid.uuid4()), "overall_symptoms": "11"}, days_ago=2
    )
    assert (invalid.result, invalid.status) == (None, 422)
    assert "overall_symptoms" in invalid.errors
    db.session.rollback()
    assert _entries(patient) == 1


def test_the_post_view_only_hands_the_form_to_submit_entry():
    tree = ast.parse(inspect.getsource(views._save))
    calls = {
        f"{node.func.value.id}.{node.func.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
    }
    assert "services.submit_entry" in calls
    assert not {c for c in calls if c.startswith(("queries.", "forms.", "db."))}, calls
    assert not {c for c in calls if c.startswith("services.") and c != "services.submit_entry"}
