"""Demo diaries: realistic, deterministic, idempotent, and the patterns are findable."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.diary import queries
from app.diary.demo import DAYS
from app.diary.insights import Factor, day_facts, find_patterns
from app.diary.models import CaregiverObservation, DiaryEntry


def _entries_count() -> int:
    return db.session.scalar(select(func.count()).select_from(DiaryEntry))


def test_demo_history_is_idempotent_and_has_patterns(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.test_request_context():
        first = _entries_count()
        assert 12 * DAYS * 0.78 < first < 12 * DAYS * 0.92  # about 15 % of days missing
        assert db.session.scalar(select(func.count()).select_from(CaregiverObservation)) > 5
        patient = db.session.scalars(
            select(Patient).join(User).where(User.email == "paciente@example.org")
        ).one()
        today = queries.local_today(patient)
        entries = queries.entries_between(patient, today - timedelta(days=DAYS), today)
        assert all(e.local_date < today for e in entries)  # today is left for the patient
        notes = [e.notes for e in entries if e.notes and len(e.notes) > 200]
        assert notes and "semana" in notes[0].lower()
        stored = db.session.scalars(text("SELECT notes FROM diary_entries WHERE notes IS NOT NULL"))
        assert all("semana" not in value.lower() for value in stored)  # bulk insert encrypted
        early = sum(1 for e in entries if e.local_date < today - timedelta(days=DAYS // 2))
        assert early > len(entries) - early  # adherence drops later on
        report = find_patterns(day_facts(entries))
        factors = {(a.factor, a.outcome) for a in report.associations if a.difference > 0}
        assert (Factor("short_sleep"), "pain") in factors
        assert (Factor("trigger", "work_stress"), "headache") in factors or (
            Factor("high_stress"),
            "headache",
        ) in factors
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert _entries_count() == first
