"""The diary in a patient's data export, and what erasure removes: every word they wrote."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import undefer

from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db
from app.diary.models import CaregiverObservation, DiaryEntry, DiaryRevision, TrackedSymptom

FREE_TEXT = ("notes", "custom_triggers")


@exporter(covers=(DiaryEntry, CaregiverObservation, TrackedSymptom))
def diary(patient: Patient) -> list[Section]:
    entries = db.session.scalars(
        select(DiaryEntry)
        .where(DiaryEntry.patient_id == patient.id)
        .order_by(DiaryEntry.local_date)
    ).all()
    rows = [
        {
            "date": entry.local_date.isoformat(),
            "mode": entry.mode.value,
            "overall_symptoms": entry.overall_symptoms,
            "mood": entry.mood,
            "stress": entry.stress,
            "energy": entry.energy,
            "sleep_minutes": entry.sleep_minutes,
            "sleep_quality": entry.sleep_quality,
            "night_awakenings": entry.night_awakenings,
            "triggers": ",".join([*entry.triggers, *entry.custom_triggers]),
            "within_limits": entry.within_limits,
            "symptoms": ";".join(f"{s.symptom_key}={s.score}" for s in entry.symptoms),
            "notes": entry.notes,
        }
        for entry in entries
    ]
    observations = db.session.scalars(
        select(CaregiverObservation).where(CaregiverObservation.patient_id == patient.id)
    ).all()
    tracked = db.session.scalars(
        select(TrackedSymptom)
        .where(TrackedSymptom.patient_id == patient.id)
        .order_by(TrackedSymptom.position)
    ).all()
    return [
        Section("diary", rows),
        # The keys in "symptoms" above; own symptoms carry the patient's label.
        Section("tracked_symptoms", [{"key": t.key, "own_label": t.custom_label} for t in tracked]),
        Section(
            "caregiver_observations",
            [
                {
                    "date": o.local_date.isoformat(),
                    "reported_by": o.observer_role,
                    "symptom_level": o.symptom_level,
                    "activity_level": o.activity_level,
                    "sleep_disturbance": o.sleep_disturbance,
                    "note": o.note,
                }
                for o in observations
            ],
        ),
    ]


@eraser(covers=(DiaryEntry, CaregiverObservation, TrackedSymptom, DiaryRevision))
def erase_diary_text(patient: Patient) -> None:
    """Scores stay as pseudonymous data; notes, own tags and own symptom labels go, also from
    the amendment history."""
    db.session.execute(
        update(DiaryEntry)
        .where(DiaryEntry.patient_id == patient.id)
        .values(notes=None, custom_triggers=[])
    )
    db.session.execute(
        update(CaregiverObservation)
        .where(CaregiverObservation.patient_id == patient.id)
        .values(note=None)
    )
    db.session.execute(
        update(TrackedSymptom)
        .where(TrackedSymptom.patient_id == patient.id)
        .values(custom_label=None)
    )
    revisions = db.session.scalars(
        select(DiaryRevision)
        .options(undefer(DiaryRevision.changes))
        .join(DiaryEntry, DiaryEntry.id == DiaryRevision.entry_id)
        .where(DiaryEntry.patient_id == patient.id)
    )
    for revision in revisions:
        changes = dict(revision.changes or {})
        if any(key in changes for key in FREE_TEXT):
            revision.changes = {k: v for k, v in changes.items() if k not in FREE_TEXT}
    db.session.flush()
