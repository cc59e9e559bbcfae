"""Experience surveys in a patient's export (their own answers, JSON/CSV and FHIR
QuestionnaireResponse); erasure deletes them (the aggregates lose those responses)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from app.careteam.models import Patient
from app.datarights.registry import Section, eraser, exporter
from app.db import db
from app.prems.instruments import INSTRUMENTS
from app.prems.models import PremSurvey


@exporter(covers=(PremSurvey,), sections=("experience_surveys",))
def experience_surveys(patient: Patient) -> list[Section]:
    surveys = db.session.scalars(
        select(PremSurvey)
        .where(PremSurvey.patient_id == patient.id)
        .order_by(PremSurvey.invited_at)
    ).all()
    return [
        Section(
            "experience_surveys",
            [
                {
                    "instrument": INSTRUMENTS[s.instrument].short_title,
                    "invited_at": s.invited_at.isoformat(),
                    "expires_at": s.expires_at.isoformat(),
                    "answered_at": s.answered_at.isoformat() if s.answered_at else None,
                    "language": s.language_tag,
                    "substituted": s.substituted,
                    # One column per item (a flat CSV): the value 0-4, or None if left out.
                    **{
                        f"item_{item_id}": (s.answers or {}).get(item_id)
                        for item_id in INSTRUMENTS[s.instrument].item_ids
                    },
                    "top_score": s.top_score,
                    "mean_score": s.mean_score,
                }
                for s in surveys
            ],
            [_response(s) for s in surveys if s.answered_at is not None],
        )
    ]


def _response(survey: PremSurvey) -> dict[str, Any]:
    instrument = INSTRUMENTS[survey.instrument]
    labels = dict(instrument.options)
    texts = dict(instrument.items)
    answers = survey.answers or {}
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(survey.id),
        "status": "completed",
        "questionnaire": instrument.sources[0],
        "subject": {"reference": f"Patient/{survey.patient_id}"},
        "authored": survey.answered_at.isoformat() if survey.answered_at else None,
        "language": survey.language_tag,
        "item": [
            {
                "linkId": item_id,
                "text": texts[item_id],
                "answer": [{"valueCoding": {"code": str(value), "display": labels[value]}}],
            }
            for item_id, value in answers.items()
            if value is not None
        ],
    }


@eraser(covers=(PremSurvey,))
def erase_experience_surveys(patient: Patient) -> None:
    db.session.execute(delete(PremSurvey).where(PremSurvey.patient_id == patient.id))
    db.session.flush()
