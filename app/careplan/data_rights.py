"""The care plan in a patient's export; erasure removes its free text and the patient's comments."""

from __future__ import annotations

from sqlalchemy import delete, select

from app.careplan.models import CarePlanComment, CarePlanVersion
from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db


@exporter(
    covers=(CarePlanVersion, CarePlanComment), sections=("care_plan_versions", "care_plan_comments")
)
def care_plan(patient: Patient) -> list[Section]:
    versions = db.session.scalars(
        select(CarePlanVersion)
        .where(CarePlanVersion.patient_id == patient.id)
        .order_by(CarePlanVersion.version)
    ).all()
    comments = db.session.scalars(
        select(CarePlanComment)
        .where(CarePlanComment.patient_id == patient.id)
        .order_by(CarePlanComment.created_at)
    ).all()
    return [
        Section(
            "care_plan_versions",
            [
                {"version": v.version, "saved_at": v.created_at.isoformat(), "plan": v.content}
                for v in versions
            ],
        ),
        Section(
            "care_plan_comments",
            [{"written_at": c.created_at.isoformat(), "comment": c.body} for c in comments],
        ),
    ]


@eraser(covers=(CarePlanVersion, CarePlanComment))
def erase_care_plan(patient: Patient) -> None:
    """Plans and comments are free text about the person: they are deleted, not kept."""
    db.session.execute(delete(CarePlanComment).where(CarePlanComment.patient_id == patient.id))
    db.session.execute(delete(CarePlanVersion).where(CarePlanVersion.patient_id == patient.id))
    db.session.flush()
