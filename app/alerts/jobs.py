"""Clock jobs for alerts: evaluate diary rules for every patient, escalate overdue urgent alerts."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.alerts import rules, services
from app.alerts.diary_rules import BASELINE_DAYS, SUSTAINED_DAYS, silent_since, sustained_rise
from app.alerts.models import AlertSettings, Severity
from app.careteam.models import Patient
from app.db import db, utcnow
from app.diary.models import DiaryEntry, SymptomRating
from app.diary.queries import local_today

NAMESPACE = uuid.UUID("5b1d0c3e-8f1e-4c5e-9a55-1f0c2b7f6a10")


def _source(patient: Patient, rule: str, day: date) -> uuid.UUID:
    """A stable id for 'this rule, this patient, this episode' so re-evaluation is idempotent."""
    return uuid.uuid5(NAMESPACE, f"{patient.id}:{rule}:{day.isoformat()}")


def evaluate_diary_rules(*, now: datetime | None = None) -> int:
    """Raise no-diary and sustained-rise alerts for every patient; a fixed number of queries."""
    now = now or utcnow()
    patients = list(db.session.scalars(select(Patient)))
    settings = {s.patient_id: s for s in db.session.scalars(select(AlertSettings))}
    horizon = (now - timedelta(days=BASELINE_DAYS + SUSTAINED_DAYS + 2)).date()
    last_entry = dict(
        db.session.execute(
            select(DiaryEntry.patient_id, func.max(DiaryEntry.local_date)).group_by(
                DiaryEntry.patient_id
            )
        ).all()
    )
    series: dict[uuid.UUID, dict[str, dict[date, float | None]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for patient_id, day, overall, key, score in db.session.execute(
        select(
            DiaryEntry.patient_id,
            DiaryEntry.local_date,
            DiaryEntry.overall_symptoms,
            SymptomRating.symptom_key,
            SymptomRating.score,
        )
        .outerjoin(SymptomRating, SymptomRating.entry_id == DiaryEntry.id)
        .where(DiaryEntry.local_date >= horizon)
    ):
        if overall is not None:
            series[patient_id]["overall"][day] = float(overall)
        if key is not None and score is not None:
            series[patient_id][key][day] = float(score)
    raised = 0
    for patient in patients:
        chosen = settings.get(patient.id)
        today = local_today(patient, now=now)
        silent = silent_since(
            last_entry.get(patient.id),
            enrolled_on=local_today(patient, now=patient.enrolled_at),
            today=today,
            days=chosen.no_diary_days if chosen else 5,
        )
        if silent is not None:
            _raise(patient, rules.NO_DIARY, Severity.NORMAL, silent, now)
            raised += 1
        points = chosen.symptom_rise_points if chosen else 2
        for symptom, values in series.get(patient.id, {}).items():
            rise = sustained_rise(values, symptom=symptom, today=today, points=points)
            if rise is not None:
                _raise(patient, rules.SYMPTOM_RISE, Severity.NORMAL, rise.ends_on, now, symptom)
                raised += 1
    return raised


def _raise(
    patient: Patient, rule: str, severity: Severity, day: date, now: datetime, detail: str = ""
) -> None:
    services.raise_alert(
        patient_id=patient.id,
        rule_code=rule,
        severity=severity,
        source_type="diary_rule",
        source_id=_source(patient, f"{rule}{detail}", day),
        now=now,
    )


def escalate(*, now: datetime | None = None) -> int:
    return len(services.escalate_due(delay=current_app.config["ALERT_ESCALATION_AFTER"], now=now))
