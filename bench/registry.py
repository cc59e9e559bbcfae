"""Stage 7 (issue 16): the registry page for 2,000 active patients.

A second clinic, apart from the SMS population (whose 100,000 recipients share one clinic),
with one coordinator, 10 clinicians and 2,000 patients who each have 6 months of treatment:
PHQ-9 and GAD-7 every 2 weeks (88 % answered), the last 28 days of diary (some missing), a
done visit every ~5 weeks and the next one planned, and an open alert for 1 in 20. The
coordinator's `/registry` is timed as in stage 2 (3 warm-ups, then timed GETs through the
Procfile's gunicorn command).
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from app.alerts.models import Alert, Severity
from app.auth.models import Discipline, Role, User
from app.careteam.models import CareTeamMembership, Clinic, Patient
from app.db import db
from app.diary.models import DiaryEntry
from app.followups.models import Appointment, AppointmentStatus, Modality
from app.security import hash_password
from bench import population as popmod
from bench import procs
from bench.load import Session
from bench.population import Population
from bench.seed import (
    PASSWORD,
    _analyze,
    _answer_templates,
    _diary_rows,
    _questionnaires,
    _t,
    _Writer,
)
from bench.stats import percentile

PATIENTS = 2000
TREATMENT_DAYS = 182
DIARY_DAYS = 28
REQUESTS = 30
COORDINATOR = "coordinator@registry.bench.example.org"


@dataclass(frozen=True)
class RegistrySeed:
    coordinator_email: str
    patients: int
    seconds: float
    rows: dict[str, int]


def seed_registry(app: Flask, *, now: datetime, patients: int = PATIENTS) -> RegistrySeed:
    started = time.perf_counter()
    rng = random.Random(16)
    pop = Population(questionnaire_every=14)
    with app.app_context():
        writer = _Writer()
        password_hash = hash_password(PASSWORD)
        clinic_id = uuid.uuid4()
        writer.add(_t(Clinic), {"id": clinic_id, "name": "Registry bench clinic",
                                "timezone": "UTC", "created_at": now})  # fmt: skip
        writer.flush()
        staff = []
        for n, role in enumerate([Role.COORDINATOR] + [Role.CLINICIAN] * 10):
            user_id = uuid.uuid4()
            staff.append(user_id)
            email = COORDINATOR if n == 0 else f"clinician{n}@registry.bench.example.org"
            writer.add(_t(User), {
                "id": user_id, "email": email, "password_hash": password_hash, "role": role,
                "discipline": None if n == 0 else Discipline.PSYCHOLOGY, "clinic_id": clinic_id,
                "display_name": f"Registry staff {n}",
                "locale": "en", "timezone": "UTC", "session_version": 1, "active": True,
                "created_at": now,
            })  # fmt: skip
        writer.flush()
        answers = _answer_templates()
        for index in range(patients):
            user_id, patient_id = uuid.uuid4(), uuid.uuid4()
            zone = popmod.zone_for(index, pop)
            enrolled = now - timedelta(days=rng.randint(7, TREATMENT_DAYS))
            days = (now - enrolled).days
            writer.add(_t(User), {
                "id": user_id, "email": f"patient{index}@registry.bench.example.org",
                "password_hash": None, "role": Role.PATIENT, "discipline": None,
                "clinic_id": clinic_id, "display_name": f"Registry patient {index:04d}",
                "locale": "en", "timezone": zone, "session_version": 1, "active": True,
                "created_at": enrolled,
            })  # fmt: skip
            writer.add(_t(Patient), {
                "id": patient_id, "user_id": user_id, "clinic_id": clinic_id,
                "readable_locales": [], "menstruates": None, "enrolled_at": enrolled,
            })  # fmt: skip
            lead = staff[1 + index % 10]
            writer.add(_t(CareTeamMembership), {
                "id": uuid.uuid4(), "patient_id": patient_id, "member_id": lead, "is_lead": True,
                "started_at": enrolled, "ended_at": None, "added_by_id": None, "ended_by_id": None,
            })  # fmt: skip
            today = now.astimezone(ZoneInfo(zone)).date()
            writer.add_all(
                _t(DiaryEntry),
                _diary_rows(rng, writer, pop, today - timedelta(days=1), min(days, DIARY_DAYS),
                            patient_id, user_id),
            )  # fmt: skip
            _questionnaires(writer, rng, pop, answers, now, today, days, ZoneInfo(zone),
                            patient_id, lead)  # fmt: skip
            for back in range(rng.randint(3, 40), days, 35):
                writer.add(_t(Appointment), {
                    "id": uuid.uuid4(), "patient_id": patient_id, "clinician_id": lead,
                    "starts_at": now - timedelta(days=back), "modality": Modality.IN_PERSON,
                    "status": AppointmentStatus.DONE, "created_at": now,
                })  # fmt: skip
            writer.add(_t(Appointment), {
                "id": uuid.uuid4(), "patient_id": patient_id, "clinician_id": lead,
                "starts_at": now + timedelta(days=rng.randint(1, 30)),
                "modality": Modality.IN_PERSON, "status": AppointmentStatus.PLANNED,
                "created_at": now,
            })  # fmt: skip
            if index % 20 == 0:
                writer.add(_t(Alert), {
                    "id": uuid.uuid4(), "patient_id": patient_id, "rule_code": "no_diary",
                    "severity": Severity.NORMAL, "source_type": "bench",
                    "source_id": uuid.uuid4(), "created_at": now - timedelta(days=1),
                    "repeat_count": 0,
                })  # fmt: skip
        writer.flush()
        db.session.commit()
        _analyze()
    return RegistrySeed(COORDINATOR, patients, time.perf_counter() - started, dict(writer.counts))


def run_registry(app: Flask, *, env: dict[str, str], logs: Path, now: datetime | None = None
                 ) -> dict[str, Any]:  # fmt: skip
    seeded = seed_registry(app, now=now or datetime.now(UTC))
    figures: dict[str, Any] = {"registry_seed_seconds": round(seeded.seconds, 1)}
    remarks = [f"registry: {seeded.patients} active patients in their own clinic"]
    with procs.gunicorn("wsgi:app", env=env, log=logs / "registry.log") as (base, _master):
        session = Session(base)
        session.login(seeded.coordinator_email, PASSWORD)
        statuses: dict[int, int] = {}
        for _ in range(3):  # warm-up, not counted
            status, html = session.get("/registry")
        rows = html.count('<th scope="row">') if status == 200 else 0
        latencies = []
        for _ in range(REQUESTS):
            began = time.perf_counter()
            status, _body = session.get("/registry")
            elapsed = (time.perf_counter() - began) * 1000
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                latencies.append(elapsed)
    figures["registry_median_ms"] = _round(percentile(latencies, 50))
    figures["registry_p95_ms"] = _round(percentile(latencies, 95))
    remarks.append(f"registry (/registry, {rows} rows listed): statuses {statuses}")
    return {"figures": figures, "notes": {}, "remarks": remarks}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
