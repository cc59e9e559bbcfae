"""Questionnaire results that alert the care team: critical answers and threshold worsening."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.alerts import rules
from app.alerts import services as alerts
from app.alerts.models import Severity
from app.careteam.models import Patient
from app.db import db
from app.instruments import scoring
from app.instruments.loader import Definition
from app.instruments.models import Response

SOURCE_TYPE = "instrument_response"


def snapshot(response: Response, definition: Definition, *, items: bool) -> dict[str, Any]:
    """What the alert keeps of the response as it is now: its revision and either the critical
    items' answers (`items`) or the total and band."""
    kept: dict[str, Any] = {
        "instrument": definition.id,
        "title": definition.short_title,
        "response_id": str(response.id),
        "revision": response.revision,
    }
    if items:
        kept["items"] = {c.item: response.answers.get(c.item) for c in definition.critical_items}
    else:
        kept["total"], kept["band"] = response.total, response.band
    return kept


def raise_critical(response: Response, definition: Definition, now: datetime) -> None:
    """A critical answer (e.g. PHQ-9 item 9 ≥ 1) raises an urgent alert as soon as it is saved.

    The alert keeps the answers and revision that raised it; when the patient changes a
    critical item's answer later (while the draft is open), the alert also records the
    current answers, so its history shows both."""
    if not definition.critical_items:
        return
    current = snapshot(response, definition, items=True)
    if scoring.critical_answers(definition, response.answers):
        response.critical = True
        alerts.raise_alert(
            patient_id=response.patient_id,
            rule_code=rules.CRITICAL_ANSWER,
            severity=Severity.URGENT,
            source_type=SOURCE_TYPE,
            source_id=response.id,
            snapshot=current,
            now=now,
        )
    alerts.record_source_change(
        rule_code=rules.CRITICAL_ANSWER,
        source_type=SOURCE_TYPE,
        source_id=response.id,
        latest=current,
        now=now,
    )


def raise_worsening(
    patient: Patient, definition: Definition, response: Response, now: datetime
) -> None:
    """Worse by the instrument's threshold (or into a higher band) vs the previous score or the
    baseline raises a normal alert, unless the team switched these off for this patient."""
    if response.total is None or not alerts.settings_for(patient).worsening_alerts:
        return
    earlier = db.session.scalars(
        select(Response.total)
        .where(
            Response.patient_id == patient.id,
            Response.instrument_id == definition.id,
            Response.submitted_at.is_not(None),
            Response.total.is_not(None),
            Response.id != response.id,
        )
        .order_by(Response.submitted_at)
    ).all()
    if not earlier:
        return
    changes = (
        scoring.change(definition, response.total, earlier[-1]),
        scoring.change(definition, response.total, earlier[0]),
    )
    if any(change.flag == "worse" for change in changes):
        alerts.raise_alert(
            patient_id=patient.id,
            rule_code=rules.worsening_rule(definition.id),
            severity=Severity.NORMAL,
            source_type=SOURCE_TYPE,
            source_id=response.id,
            snapshot=snapshot(response, definition, items=False),
            now=now,
        )
