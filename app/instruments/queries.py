"""Reads: due questionnaires, a patient's occurrences and responses, score history with change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.careteam.models import Patient
from app.db import db, utcnow
from app.instruments import loader, scoring, wording
from app.instruments.models import Assignment, CaregiverCheckin, Occurrence, Response


def occurrence_status(occurrence: Occurrence, response: Response | None, now: datetime) -> str:
    if response is not None and response.submitted_at is not None:
        return "completed"
    if now >= occurrence.closes_at:
        return "missed"
    if now < occurrence.opens_at:
        return "upcoming"
    return "in_progress" if response is not None else "open"


@dataclass(frozen=True)
class Due:
    occurrence: Occurrence
    response: Response | None
    status: str
    definition: loader.Definition


def due_for_patient(patient: Patient, *, now: datetime | None = None) -> list[Due]:
    """Open (or started) questionnaires whose window has not closed, soonest closing first."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Occurrence, Response)
        .outerjoin(Response, Response.occurrence_id == Occurrence.id)
        .where(
            Occurrence.patient_id == patient.id,
            Occurrence.opens_at <= now,
            Occurrence.closes_at > now,
            Response.submitted_at.is_(None),
        )
        .order_by(Occurrence.closes_at)
    ).all()
    registry = loader.registry()
    return [
        Due(occ, resp, occurrence_status(occ, resp, now), registry[occ.instrument_id])
        for occ, resp in rows
        if occ.instrument_id in registry
    ]


def occurrence_for(patient: Patient, occurrence_id: uuid.UUID | None) -> Occurrence | None:
    if occurrence_id is None:
        return None
    return db.session.scalar(
        select(Occurrence).where(
            Occurrence.id == occurrence_id, Occurrence.patient_id == patient.id
        )
    )


def response_for(occurrence: Occurrence) -> Response | None:
    return db.session.scalar(select(Response).where(Response.occurrence_id == occurrence.id))


def submitted_response(patient: Patient, response_id: uuid.UUID | None) -> Response | None:
    if response_id is None:
        return None
    return db.session.scalar(
        select(Response).where(
            Response.id == response_id,
            Response.patient_id == patient.id,
            Response.submitted_at.is_not(None),
        )
    )


def assignments_for(patient: Patient) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.patient_id == patient.id)
            .order_by(Assignment.created_at)
        )
    )


def assignment_for(patient: Patient, assignment_id: uuid.UUID | None) -> Assignment | None:
    if assignment_id is None:
        return None
    return db.session.scalar(
        select(Assignment).where(
            Assignment.id == assignment_id, Assignment.patient_id == patient.id
        )
    )


@dataclass(frozen=True)
class ScoreRow:
    response: Response
    vs_previous: scoring.ChangeResult | None
    vs_baseline: scoring.ChangeResult | None
    previous: int | None = None  # the previous complete total (None: none before)
    baseline: int | None = None  # the first complete total, when it is an earlier one
    missing: int = 0  # scored items not answered (an incomplete response has no total)


@dataclass(frozen=True)
class InstrumentHistory:
    definition: loader.Definition
    rows: list[ScoreRow]  # newest first
    missed: int

    @property
    def last_complete(self) -> ScoreRow | None:
        """The newest response with a total (shown as such when the latest is incomplete)."""
        return next((row for row in self.rows if row.response.total is not None), None)


def score_history(patient: Patient, *, now: datetime | None = None) -> list[InstrumentHistory]:
    """Per instrument: every submitted response with change vs the previous and the baseline
    (the first complete score), and how many windows were missed."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Occurrence, Response)
        .outerjoin(Response, Response.occurrence_id == Occurrence.id)
        .where(Occurrence.patient_id == patient.id)
        .order_by(Occurrence.due_date)
    ).all()
    registry = loader.registry()
    histories = []
    for instrument_id in sorted({occ.instrument_id for occ, _ in rows}):
        definition = registry.get(instrument_id)
        # Social-needs screens have no score; they show in their own section, never to a
        # caregiver (app/instruments/needs.py).
        if definition is None or definition.social_needs:
            continue
        mine = [(o, r) for o, r in rows if o.instrument_id == instrument_id]
        submitted = [r for _, r in mine if r is not None and r.submitted_at is not None]
        missed = sum(1 for o, r in mine if occurrence_status(o, r, now) == "missed")
        rows_ = _with_change(definition, submitted, menstruates=patient.menstruates)
        histories.append(InstrumentHistory(definition, rows_, missed))
    return histories


def _with_change(
    definition: loader.Definition, responses: list[Response], *, menstruates: bool | None
) -> list[ScoreRow]:
    out: list[ScoreRow] = []
    baseline: int | None = None
    previous: int | None = None
    for response in responses:
        total = response.total
        vs_previous = vs_baseline = None
        before, first = previous, baseline
        if total is not None:
            if previous is not None:
                vs_previous = scoring.change(definition, total, previous)
            if baseline is not None:
                vs_baseline = scoring.change(definition, total, baseline)
            baseline = total if baseline is None else baseline
            previous = total
        missing = (
            0
            if total is not None
            else wording.missing_items(definition, response.answers, menstruates=menstruates)
        )
        out.append(ScoreRow(response, vs_previous, vs_baseline, before, first, missing))
    return list(reversed(out))


def checkins_for(patient: Patient, *, limit: int = 10) -> list[CaregiverCheckin]:
    return list(
        db.session.scalars(
            select(CaregiverCheckin)
            .where(CaregiverCheckin.patient_id == patient.id)
            .order_by(CaregiverCheckin.submitted_at.desc())
            .limit(limit)
        )
    )
