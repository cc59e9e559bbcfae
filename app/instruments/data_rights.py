"""Questionnaire answers in a patient's export, including FHIR QuestionnaireResponses and
Observations for the Bundle, the questionnaire schedules, each due questionnaire (answered or
missed) and caregivers' check-ins (custom, non-validated caregiver report). Scores and check-ins are clinical data without free text or
identity; erasure keeps them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.careteam.models import Patient
from app.datarights.registry import Section, caregiver_code, caregiver_observation, exporter
from app.db import db, utcnow
from app.instruments import fhir, loader
from app.instruments.models import (
    Assignment,
    CaregiverCheckin,
    Occurrence,
    Response,
    SocialNeedReview,
)
from app.instruments.queries import occurrence_status

KEPT_ON_ERASURE = (Assignment, Occurrence, Response, CaregiverCheckin, SocialNeedReview)
"""Erasure keeps these rows: scores, schedules and check-in answers without identity or free text."""


@exporter(covers=(Response,), sections=("questionnaires",))
def questionnaires(patient: Patient) -> list[Section]:
    responses = db.session.scalars(
        select(Response)
        .where(Response.patient_id == patient.id, Response.submitted_at.is_not(None))
        .order_by(Response.submitted_at)
    ).all()
    registry = loader.registry()
    rows, resources = [], []
    for response in responses:
        rows.append(
            {
                "instrument": response.instrument_id,
                "submitted_at": response.submitted_at.isoformat()
                if response.submitted_at
                else None,
                "language": response.answered_tag,
                "total": response.total,
                "band": response.band,
                "answers": ";".join(f"{k}={v}" for k, v in sorted(response.answers.items())),
            }
        )
        definition = registry.get(response.instrument_id)
        if definition is None or response.locale not in definition.translations:
            continue
        resources.append(fhir.questionnaire_response(response, definition))
        resources.extend(fhir.observations(response, definition))
    return [Section("questionnaires", rows, resources)]


@exporter(covers=(Assignment,), sections=("questionnaire_schedules",))
def questionnaire_schedules(patient: Patient) -> list[Section]:
    rows = db.session.scalars(
        select(Assignment)
        .where(Assignment.patient_id == patient.id)
        .order_by(Assignment.created_at)
    ).all()
    return [
        Section(
            "questionnaire_schedules",
            [
                {
                    "instrument": row.instrument_id,
                    "schedule": row.schedule_kind.value,
                    "from": row.schedule_from.isoformat(),
                    "every_days": row.interval_days,
                    "weekdays": row.weekdays,
                    "days_before_followup": row.days_before,
                    "window_days": row.window_days,
                    "status": row.status.value,
                }
                for row in rows
            ],
        )
    ]


@exporter(covers=(Occurrence,), sections=("questionnaire_occurrences",))
def questionnaire_occurrences(patient: Patient) -> list[Section]:
    """Every due questionnaire: its window, and whether it was answered or missed."""
    now = utcnow()
    rows = db.session.execute(
        select(Occurrence, Response)
        .outerjoin(Response, Response.occurrence_id == Occurrence.id)
        .where(Occurrence.patient_id == patient.id)
        .order_by(Occurrence.due_date, Occurrence.instrument_id)
    ).all()
    return [
        Section(
            "questionnaire_occurrences",
            [
                {
                    "instrument": occurrence.instrument_id,
                    "due_date": occurrence.due_date.isoformat(),
                    "opens_at": occurrence.opens_at.isoformat(),
                    "closes_at": occurrence.closes_at.isoformat(),
                    "status": occurrence_status(occurrence, response, now),
                }
                for occurrence, response in rows
            ],
        )
    ]


@exporter(covers=(CaregiverCheckin,), sections=("caregiver_checkins",))
def caregiver_checkins(patient: Patient) -> list[Section]:
    caregiver = aliased(User)
    rows = db.session.execute(
        select(CaregiverCheckin, caregiver.display_name)
        .join(caregiver, caregiver.id == CaregiverCheckin.caregiver_id)
        .where(CaregiverCheckin.patient_id == patient.id)
        .order_by(CaregiverCheckin.submitted_at)
    ).all()
    return [
        Section(
            "caregiver_checkins",
            [
                {
                    "submitted_at": row.submitted_at.isoformat(),
                    "caregiver": name,
                    "report": "caregiver report, non-validated items",
                    "observed_function": row.observed_function,
                    "observed_activity": row.observed_activity,
                    "own_strain": row.own_strain,
                }
                for row, name in rows
            ],
            [_checkin_observation(row, name) for row, name in rows],
        )
    ]


CHECKIN_ITEMS = (
    ("observed_function", "observed-function", "Observed function (caregiver, 0-10)"),
    ("observed_activity", "observed-activity", "Observed activity (caregiver, 0-10)"),
    ("own_strain", "own-strain", "Caregiver's own strain (0-10)"),
)


def _checkin_observation(row: CaregiverCheckin, name: str) -> dict[str, Any]:
    """One check-in as an Observation: its three answers as components."""
    return {
        **caregiver_observation(
            id=str(row.id),
            patient_id=row.patient_id,
            code="checkin",
            display="Caregiver check-in",
            performer=name,
            issued=row.submitted_at,
        ),
        "effectiveDateTime": row.submitted_at.isoformat(),
        "component": [
            {"code": caregiver_code(code, display), "valueInteger": getattr(row, field)}
            for field, code, display in CHECKIN_ITEMS
        ],
    }


@exporter(covers=(SocialNeedReview,), sections=("social_need_reviews",))
def social_need_reviews(patient: Patient) -> list[Section]:
    """A clinician's review of each screened social need: confirmed with the patient, or not."""
    rows = db.session.scalars(
        select(SocialNeedReview)
        .where(SocialNeedReview.patient_id == patient.id)
        .order_by(SocialNeedReview.reviewed_at)
    )
    return [
        Section(
            "social_need_reviews",
            [
                {
                    "screen": str(row.response_id),
                    "domain": row.domain,
                    "confirmed": row.confirmed,
                    "reviewed_at": row.reviewed_at.isoformat(),
                }
                for row in rows
            ],
        )
    ]
