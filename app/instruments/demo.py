"""Demo questionnaires: schedules and ~4 months of plausible, seeded-random answers.

Idempotent: a patient who already has demo assignments is left alone. Crisis resources for the
demo clinic are clearly fictional (555-01xx numbers).
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from app.alerts import services as alerts
from app.alerts.models import CrisisResource, Severity
from app.auth.models import User
from app.careteam.models import Clinic, Patient
from app.db import db, utcnow
from app.instruments import loader, scoring, services, social_needs
from app.instruments.models import Assignment, Occurrence, Response, ScheduleKind
from app.instruments.schedules import Schedule, local_today

CRISIS_LABELS = {
    "en": ("Demo crisis line (fictional)", "Demo clinic on-call nurse (fictional)"),
    "es": ("Línea de crisis de demostración (ficticia)", "Enfermería de guardia de demostración (ficticia)"),
    "fr": ("Ligne de crise de démonstration (fictive)", "Infirmière de garde de démonstration (fictive)"),
    "de": ("Demo-Krisentelefon (fiktiv)", "Demo-Bereitschaftspflege (fiktiv)"),
    "pt": ("Linha de crise de demonstração (fictícia)", "Enfermagem de plantão de demonstração (fictícia)"),
    "ar": ("خط أزمات تجريبي (وهمي)", "تمريض مناوب تجريبي (وهمي)"),
}  # fmt: skip
ACKNOWLEDGED = {
    "en": "Called the patient the same afternoon; safety plan reviewed (demo).",
    "es": "Se llamó a la persona esa misma tarde; plan de seguridad revisado (demo).",
    "fr": "Appel à la personne l'après-midi même ; plan de sécurité revu (démo).",
    "de": "Noch am selben Nachmittag angerufen; Sicherheitsplan besprochen (Demo).",
    "pt": "Ligamos para a pessoa na mesma tarde; plano de segurança revisto (demo).",
    "ar": "تم الاتصال بالمريض بعد ظهر اليوم نفسه، ومراجعة خطة السلامة (تجريبي).",
}  # the note on the acknowledged demo alert, in the patient's language
CRISIS_NUMBERS = ("555-0100", "555-0199")
# instrument, days between occurrences, occurrences (the last one is due today)
PLAN = (("phq9", 14, 9), ("gad7", 14, 9), ("phq15", 28, 5))
TRAJECTORIES = ("improving", "worsening", "stable", "improving")
CRITICAL_PATIENT = "patient@example.org"
# A positive Hunger Vital Sign a week ago ("sometimes true", "never true"): a social need to
# discuss on her record and summary; her caregiver, who may see scores, never sees it.
SOCIAL_NEEDS_PATIENT = "paciente@example.org"
SOCIAL_NEEDS_ANSWERS = {"1": 1, "2": 0}


def seed_crisis_resources(clinic: Clinic) -> None:
    existing = set(
        db.session.execute(
            select(CrisisResource.locale, CrisisResource.label).where(
                CrisisResource.clinic_id == clinic.id
            )
        ).all()
    )
    for locale, labels in CRISIS_LABELS.items():
        for position, (label, number) in enumerate(zip(labels, CRISIS_NUMBERS, strict=True)):
            if (locale, label) not in existing:
                db.session.add(
                    CrisisResource(
                        clinic_id=clinic.id,
                        locale=locale,
                        label=label,
                        contact=number,
                        position=position,
                    )
                )
    db.session.flush()


def seed_questionnaires(clinic: Clinic, patients: list[Patient], lead: User) -> None:
    seed_crisis_resources(clinic)
    seeded = set(
        db.session.scalars(
            select(Assignment.patient_id).where(Assignment.patient_id.in_([p.id for p in patients]))
        )
    )
    now = utcnow()
    for index, patient in enumerate(patients):
        if patient.id not in seeded:
            _seed_patient(patient, lead, index, now)


def _seed_patient(patient: Patient, lead: User, index: int, now: datetime) -> None:
    rng = random.Random(f"heed-demo-{patient.user.email}")
    today = local_today(now, patient.user.timezone)
    if patient.menstruates is None:
        patient.menstruates = (None, True, False)[index % 3]
    for instrument_id, every, count in PLAN:
        services.assign_instrument(
            patient=patient,
            definition=loader.registry()[instrument_id],
            schedule=Schedule(
                kind=ScheduleKind.EVERY_N_DAYS,
                start=today - timedelta(days=every * (count - 1)),
                interval_days=every,
            ),
            window_days=3,
            actor=lead,
            now=now - timedelta(days=every * (count - 1) + 1),
        )
    services.materialize(patient=patient, now=now)
    occurrences = list(
        db.session.scalars(
            select(Occurrence)
            .where(Occurrence.patient_id == patient.id, Occurrence.closes_at <= now)
            .order_by(Occurrence.due_date)
        )
    )
    trajectory = TRAJECTORIES[index % len(TRAJECTORIES)]
    rows, critical_id = [], None
    for instrument_id in sorted({o.instrument_id for o in occurrences}):
        definition = loader.registry()[instrument_id]
        mine = [o for o in occurrences if o.instrument_id == instrument_id]
        for step, occ in enumerate(mine):
            if rng.random() < 0.12:
                continue  # a missed window
            answers = _answers(definition, patient, trajectory, step / max(len(mine) - 1, 1), rng)
            critical = (
                patient.user.email == CRITICAL_PATIENT
                and instrument_id == "phq9"
                and step == len(mine) // 2
            )
            if critical:
                answers["9"] = 1
            row = _response_row(definition, patient, occ, answers, rng)
            rows.append(row)
            if critical:
                critical_id = row["id"]
    if patient.user.email == SOCIAL_NEEDS_PATIENT:
        rows.append(_social_needs_row(patient, lead, today, now, rng))
    if rows:
        db.session.execute(insert(Response), rows)
    if critical_id is not None:
        alert = alerts.raise_alert(
            patient_id=patient.id,
            rule_code="critical_answer",
            severity=Severity.URGENT,
            source_type="instrument_response",
            source_id=critical_id,
            snapshot={
                "instrument": "phq9",
                "title": loader.registry()["phq9"].short_title,
                "response_id": str(critical_id),
                "items": {"9": 1},
            },
            now=now - timedelta(days=50),
        )
        alerts.acknowledge(
            alert=alert,
            actor=lead,
            note=ACKNOWLEDGED.get(patient.user.locale, ACKNOWLEDGED["en"]),
            now=now - timedelta(days=50) + timedelta(hours=1),
        )


def _answers(definition, patient, trajectory, progress, rng) -> dict[str, int]:
    """Item answers around a level that follows the patient's trajectory (0..1 of the range)."""
    level = {
        "improving": 0.6 - 0.45 * progress,
        "worsening": 0.2 + 0.45 * progress,
        "stable": 0.35,
    }[trajectory]
    answers = {}
    for item in scoring.applicable_items(definition, menstruates=patient.menstruates):
        values = definition.values_for(item)
        if definition.critical_items and item.id in {c.item for c in definition.critical_items}:
            answers[item.id] = 0
            continue
        target = level * max(values) + rng.uniform(-0.8, 0.8)
        answers[item.id] = min(values, key=lambda v, t=target: abs(v - t))
    return answers


def _social_needs_row(patient, lead, today, now, rng) -> dict[str, object]:
    """The Hunger Vital Sign on its default schedule, first due a week ago and answered."""
    definition = loader.registry()["hvs"]
    schedule = social_needs.default_schedule(today - timedelta(days=7))
    assignment = services.assign_instrument(
        patient=patient,
        definition=definition,
        schedule=schedule,
        window_days=social_needs.WINDOW_DAYS,
        actor=lead,
        now=now - timedelta(days=8),
    )
    services.materialize(patient=patient, now=now)
    occ = db.session.scalars(
        select(Occurrence).where(Occurrence.assignment_id == assignment.id)
    ).one()
    return _response_row(definition, patient, occ, dict(SOCIAL_NEEDS_ANSWERS), rng)


def _response_row(definition, patient, occ, answers, rng) -> dict[str, object]:
    result = scoring.score(definition, answers, menstruates=patient.menstruates)
    submitted = occ.opens_at + timedelta(hours=rng.randint(8, 60))
    locale, _ = scoring.choose_locale(
        definition, preferred=patient.user.locale, readable=list(patient.readable_locales)
    ) or ("en", True)
    return {
        "id": uuid.uuid4(),
        "occurrence_id": occ.id,
        "patient_id": patient.id,
        "instrument_id": definition.id,
        "instrument_version": definition.version,
        "locale": locale,
        "language_tag": definition.translations[locale].language_tag,
        "preferred_locale": patient.user.locale,
        "answers": answers,
        "started_at": submitted - timedelta(minutes=4),
        "updated_at": submitted,
        "submitted_at": submitted,
        "submission_key": uuid.uuid4(),
        "total": result.total,
        "max_total": result.max_total,
        "band": result.band,
        "subscales": {s.code: {"score": s.score, "positive": s.positive} for s in result.subscales},
        "critical": bool(scoring.critical_answers(definition, answers)),
    }
