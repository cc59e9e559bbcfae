"""Diary days with exactly the answers a test names: anything not given stays NULL (missing)."""

from __future__ import annotations

import uuid
from datetime import date

from flask import Flask

from app.careteam.models import Patient
from app.db import db
from app.diary.models import ActivityBlock, ActivityKind, DiaryEntry, EntryMode, SymptomRating


def add_day(
    app: Flask,
    patient: Patient,
    day: date,
    *,
    activity: dict[ActivityKind, tuple[int | None, int | None]] | None = None,
    symptoms: dict[str, int] | None = None,
    **values,
) -> None:
    """One entry. `activity`: kind -> (planned, done) minutes; `symptoms`: key -> score;
    `values`: entry columns (overall_symptoms, mood, sleep_minutes, ...)."""
    with app.app_context():
        entry = DiaryEntry(
            patient_id=patient.id,
            local_date=day,
            client_entry_id=uuid.uuid4(),
            mode=EntryMode.FULL,
            created_by_id=patient.user_id,
            **values,
        )
        db.session.add(entry)
        db.session.flush()
        for kind, (planned, done) in (activity or {}).items():
            db.session.add(
                ActivityBlock(
                    entry_id=entry.id, kind=kind, planned_minutes=planned, done_minutes=done
                )
            )
        for key, score in (symptoms or {}).items():
            db.session.add(SymptomRating(entry_id=entry.id, symptom_key=key, score=score))
        db.session.commit()
