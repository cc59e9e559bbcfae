"""Questionnaire totals for care-plan goals such as "PHQ-9 below 10"."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.careplan import sources
from app.careplan.content import Measure
from app.careteam.models import Patient
from app.db import db
from app.instruments.models import Response


def instrument_totals(
    patient: Patient, measure: Measure, start: date, end: date
) -> list[tuple[date, float | None]]:
    """One (local date, total) per complete response; incomplete responses have no total."""
    zone = ZoneInfo(patient.user.timezone)
    rows = db.session.execute(
        select(Response.submitted_at, Response.total)
        .where(
            Response.patient_id == patient.id,
            Response.instrument_id == measure.subject,
            Response.total.is_not(None),
            Response.submitted_at >= datetime.combine(start, time.min, tzinfo=zone),
            Response.submitted_at < datetime.combine(end, time.max, tzinfo=zone),
        )
        .order_by(Response.submitted_at)
    )
    return [(submitted.astimezone(zone).date(), float(total)) for submitted, total in rows]


def register() -> None:
    sources.register("instrument_total_below", instrument_totals)
