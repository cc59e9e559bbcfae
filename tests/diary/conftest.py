"""Diary fixtures: bulk history for query-budget tests (the statement counter, `count_queries`,
is in tests/conftest.py)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask
from sqlalchemy import insert

from app.careteam.models import Patient
from app.db import db
from app.diary.models import ActivityBlock, ActivityKind, DiaryEntry, EntryMode, SymptomRating


def bulk_history(
    app: Flask, patient: Patient, *, days: int, end: date, seed: int = 7, skip_end: bool = True
) -> int:
    """Insert `days` of daily entries ending the day before `end` (or at `end`), in bulk."""
    rng = random.Random(seed)
    entries, ratings, blocks = [], [], []
    now = datetime.now(UTC)
    for n in range(1 if skip_end else 0, days + (1 if skip_end else 0)):
        day = end - timedelta(days=n)
        entry_id = uuid.uuid4()
        entries.append(
            {
                "id": entry_id,
                "patient_id": patient.id,
                "local_date": day,
                "client_entry_id": uuid.uuid4(),
                "mode": EntryMode.FULL,
                "overall_symptoms": rng.randint(0, 10),
                "mood": rng.randint(0, 10),
                "bedtime": time(23, 0),
                "wake_time": time(7, 0),
                "sleep_minutes": 480,
                "triggers": ["work_stress"] if n % 3 == 0 else [],
                "custom_triggers": [],
                "created_by_id": patient.user_id,
                "created_at": now,
                "updated_at": now,
            }
        )
        ratings.append(
            {"id": uuid.uuid4(), "entry_id": entry_id, "symptom_key": "pain", "score": n % 11}
        )
        blocks.append(
            {
                "id": uuid.uuid4(),
                "entry_id": entry_id,
                "kind": ActivityKind.PHYSICAL,
                "done_minutes": 30,
            }
        )
    with app.app_context():
        db.session.execute(insert(DiaryEntry), entries)
        db.session.execute(insert(SymptomRating), ratings)
        db.session.execute(insert(ActivityBlock), blocks)
        db.session.commit()
    return len(entries)
