"""The diary in a patient's data export (every field, the amendment history, caregiver
observations; for the Bundle FHIR Observations, Provenance per save and caregiver
Observations), and what erasure removes: every word they
wrote."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload, undefer

from app.careteam.models import Patient
from app.datarights.registry import Section, caregiver_code, caregiver_observation, eraser, exporter
from app.db import db
from app.diary import fhir
from app.diary.models import (
    CaregiverObservation,
    DiaryEntry,
    DiaryRevision,
    RevisionKind,
    TrackedSymptom,
)

FREE_TEXT = ("notes", "custom_triggers")


def _plain(value: Any) -> Any:
    """A revision value as one cell: lists and objects as compact JSON."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None
    return value


def _time(value: time | None) -> str | None:
    return value.isoformat(timespec="minutes") if value else None


@exporter(
    covers=(DiaryEntry, CaregiverObservation, TrackedSymptom),
    sections=(
        "diary",
        "diary_symptoms",
        "diary_activities",
        "diary_amendments",
        "tracked_symptoms",
        "caregiver_observations",
    ),
)
def diary(patient: Patient) -> list[Section]:
    """Every diary field, one row per day; ratings (with the pain site), activity and pacing
    one row each; the amendment history one row per changed field; FHIR Observations."""
    entries = db.session.scalars(
        select(DiaryEntry)
        .options(selectinload(DiaryEntry.symptoms), selectinload(DiaryEntry.activities))
        .where(DiaryEntry.patient_id == patient.id)
        .order_by(DiaryEntry.local_date)
    ).all()
    revisions = db.session.scalars(
        select(DiaryRevision)
        .options(undefer(DiaryRevision.changes))
        .join(DiaryEntry, DiaryEntry.id == DiaryRevision.entry_id)
        .where(DiaryEntry.patient_id == patient.id)
        .order_by(DiaryEntry.local_date, DiaryRevision.at)
    ).all()
    tracked = db.session.scalars(
        select(TrackedSymptom)
        .where(TrackedSymptom.patient_id == patient.id)
        .order_by(TrackedSymptom.position)
    ).all()
    observations = db.session.scalars(
        select(CaregiverObservation)
        .where(CaregiverObservation.patient_id == patient.id)
        .order_by(CaregiverObservation.local_date, CaregiverObservation.created_at)
    ).all()
    own_labels = {t.key: t.custom_label for t in tracked if t.custom_label}
    days = {entry.id: entry.local_date.isoformat() for entry in entries}
    amended = {r.entry_id for r in revisions if r.kind == RevisionKind.AMENDED}
    rows = [
        {
            "date": entry.local_date.isoformat(),
            "mode": entry.mode.value,
            "overall_symptoms": entry.overall_symptoms,
            "mood": entry.mood,
            "stress": entry.stress,
            "energy": entry.energy,
            "bedtime": _time(entry.bedtime),
            "wake_time": _time(entry.wake_time),
            "sleep_minutes": entry.sleep_minutes,
            "sleep_quality": entry.sleep_quality,
            "night_awakenings": entry.night_awakenings,
            "rest_breaks": entry.rest_breaks,
            "within_limits": entry.within_limits,
            # Every trigger of the day (catalog codes, then own tags), and the own tags alone.
            "triggers": ",".join([*(entry.triggers or []), *(entry.custom_triggers or [])]),
            "own_triggers": ",".join(entry.custom_triggers or []),
            "symptoms": ";".join(f"{s.symptom_key}={s.score}" for s in entry.symptoms),
            "notes": entry.notes,
            "first_saved_at": entry.created_at.isoformat(),
            "last_saved_at": entry.updated_at.isoformat(),
        }
        for entry in entries
    ]
    ratings = [
        {
            "date": entry.local_date.isoformat(),
            "symptom": rating.symptom_key,
            "own_label": own_labels.get(rating.symptom_key),
            "score": rating.score,
            "body_site": rating.body_site,
        }
        for entry in entries
        for rating in entry.symptoms
    ]
    activities = [
        {
            "date": entry.local_date.isoformat(),
            "kind": block.kind.value,
            "planned_minutes": block.planned_minutes,
            "done_minutes": block.done_minutes,
            "exertion": block.exertion,
        }
        for entry in entries
        for block in entry.activities
    ]
    history = [
        {
            "date": days[revision.entry_id],
            "saved_at": revision.at.isoformat(),
            "kind": revision.kind.value,
            "saved_by": revision.actor_role,
            "field": name,
            "old_value": _plain(old),
            "new_value": _plain(new),
        }
        for revision in revisions
        for name, (old, new) in sorted((revision.changes or {}).items())
    ]
    per_entry = {
        entry.id: fhir.entry_observations(entry, amended=entry.id in amended, own_labels=own_labels)
        for entry in entries
    }
    resources = [resource for entry in entries for resource in per_entry[entry.id]]
    resources += [_provenance(r, days[r.entry_id], per_entry[r.entry_id]) for r in revisions]
    resources += [_caregiver_observation(o) for o in observations]
    return [
        Section("diary", rows, resources),
        Section("diary_symptoms", ratings),
        Section("diary_activities", activities),
        Section("diary_amendments", history),
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
                    "recorded_at": o.created_at.isoformat(),
                }
                for o in observations
            ],
        ),
    ]


DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
OBSERVATION_ITEMS = (
    ("symptom_level", "observed-symptom-level", "Observed symptom level (caregiver, 0-10)"),
    ("activity_level", "observed-activity-level", "Observed activity level (caregiver, 0-10)"),
    ("sleep_disturbance", "observed-sleep-disturbance", "Observed sleep disturbance (0-10)"),
)


def _provenance(
    revision: DiaryRevision, day: str, observations: list[dict[str, Any]]
) -> dict[str, Any]:
    """One save of a diary day (first save: CREATE, amendment: UPDATE) as a Provenance that
    targets the day's Observations; the changed values are in the JSON and CSV history."""
    created = revision.kind == RevisionKind.CREATED
    return {
        "resourceType": "Provenance",
        "id": str(revision.id),
        "target": [{"reference": f"Observation/{o['id']}"} for o in observations]
        or [{"display": f"Diary day {day}"}],
        "occurredDateTime": day,
        "recorded": revision.at.isoformat(),
        "activity": {
            "coding": [
                {
                    "system": DATA_OPERATION,
                    "code": "CREATE" if created else "UPDATE",
                    "display": "create" if created else "revise",
                }
            ]
        },
        "agent": [{"who": {"display": revision.actor_role}}],
    }


def _caregiver_observation(o: CaregiverObservation) -> dict[str, Any]:
    resource = {
        **caregiver_observation(
            id=str(o.id),
            patient_id=o.patient_id,
            code="observation",
            display="Caregiver observation of the day",
            performer=o.observer_role,
            issued=o.created_at,
        ),
        "effectiveDateTime": o.local_date.isoformat(),
        "component": [
            {"code": caregiver_code(code, display), "valueInteger": getattr(o, field)}
            for field, code, display in OBSERVATION_ITEMS
            if getattr(o, field) is not None
        ],
    }
    if not resource["component"]:
        del resource["component"]
    if o.note:
        resource["note"] = [*resource["note"], {"text": o.note}]
    return resource


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
