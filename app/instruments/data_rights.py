"""Questionnaire answers in a patient's export, including FHIR QuestionnaireResponses and
Observations for the Bundle. Scores are clinical data without identity; erasure keeps them."""

from __future__ import annotations

from sqlalchemy import select

from app.careteam.models import Patient
from app.datarights.registry import Section, exporter
from app.db import db
from app.instruments import fhir, loader
from app.instruments.models import Assignment, CaregiverCheckin, Occurrence, Response

KEPT_ON_ERASURE = (Assignment, Occurrence, Response, CaregiverCheckin)
"""Erasure keeps these rows: scores, schedules and check-in answers without identity or free text."""


@exporter(covers=(Response,))
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
        if (observation := fhir.observation(response, definition)) is not None:
            resources.append(observation)
    return [Section("questionnaires", rows, resources)]
