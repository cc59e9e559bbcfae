"""Bulk seeding of the benchmark population with Core INSERTs (executemany, batched)."""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import JSON, Table, insert

from app.auth.models import Discipline, Role, User
from app.careteam.models import CareTeamMembership, Clinic, ConsentChannel, Patient, SmsConsent
from app.db import db
from app.diary.models import DiaryEntry, EntryMode, SymptomRating, TrackedSymptom
from app.followups.models import Appointment, AppointmentStatus, Modality
from app.instruments import loader, scoring
from app.instruments.models import Assignment, Occurrence, Response, ScheduleKind
from app.security import ENCRYPTED_TYPES, blind_index, hash_password
from bench import population as popmod
from bench.population import Population

PASSWORD = "bench-password-2026"  # noqa: S105 - synthetic accounts in a throwaway database
BATCH = 10_000
SYMPTOM_KEYS = ("pain", "fatigue")  # tracked; the first is rated on full entries
TRIGGER_KEYS = ("work_stress", "poor_sleep", "conflict")


@dataclass
class Seeded:
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    busy_clinician_email: str = ""
    busy_clinician_id: uuid.UUID | None = None
    load_patients: list[tuple[uuid.UUID, str, str]] = field(default_factory=list)  # id, email, tz
    history_patients: dict[str, uuid.UUID] = field(default_factory=dict)
    # SMS recipients who are not diary patients: (patient id, user id, zone)
    recipients: list[tuple[uuid.UUID, uuid.UUID, str]] = field(default_factory=list)


class _Writer:
    """Buffers rows per table and writes them in batches through one connection."""

    def __init__(self) -> None:
        self.buffers: dict[Table, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}

    def add(self, table: Table, row: dict[str, Any]) -> None:
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= BATCH:
            self.flush()  # every table, parents first (first-seen order), for foreign keys

    def add_all(self, table: Table, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.add(table, row)

    def flush(self, table: Table | None = None) -> None:
        tables = [table] if table is not None else list(self.buffers)
        for name in tables:
            rows = self.buffers.get(name) or []
            if rows:
                connection = db.session.connection()
                if connection.dialect.name == "postgresql":
                    _copy(connection.connection.driver_connection, name, rows)
                else:
                    connection.execute(insert(name), rows)
                self.counts[name.name] = self.counts.get(name.name, 0) + len(rows)
                self.buffers[name] = []


def _converter(column: Any) -> Callable[[Any], Any]:
    """Python value -> what COPY needs (SQLAlchemy's bind processing is bypassed)."""
    kind = column.type
    if isinstance(kind, JSON):
        return lambda v: None if v is None else json.dumps(v)
    if isinstance(kind, ENCRYPTED_TYPES):
        return lambda v: None if v is None else kind.process_bind_param(v, None)
    return lambda v: v.value if isinstance(v, Enum) else v


def _copy(raw: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY ... FROM STDIN in the session's transaction (the fastest bulk path)."""
    names = list(rows[0])
    convert = [(name, _converter(table.c[name])) for name in names]
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([fn(row[name]) for name, fn in convert])


def _t(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def seed(app: Flask, pop: Population, *, now: datetime, load_patients: int) -> Seeded:
    started = time.perf_counter()
    out = Seeded()
    rng = random.Random(8)
    with app.app_context():
        writer = _Writer()
        password_hash = hash_password(PASSWORD)
        clinic_id = uuid.uuid4()
        writer.add(
            _t(Clinic),
            {"id": clinic_id, "name": "Bench clinic", "timezone": "UTC", "created_at": now},
        )
        writer.flush()
        clinicians = _clinicians(writer, pop, clinic_id, password_hash, now)
        out.busy_clinician_id = clinicians[0]
        out.busy_clinician_email = "clinician0@bench.example.org"
        patients = _recipients(writer, pop, clinic_id, password_hash, now)
        answers = _answer_templates()
        seeded = [(i, pid, uid) for i, (pid, uid) in enumerate(patients[: pop.diary_patients])]
        extra = list(pop.history_profiles.items())
        for n, (label, _days) in enumerate(extra):
            pid, uid = patients[pop.diary_patients + n]
            out.history_patients[label] = pid
            seeded.append((pop.diary_patients + n, pid, uid))
        for index, patient_id, user_id in seeded:
            profile = index - pop.diary_patients
            days = extra[profile][1] if profile >= 0 else pop.history_days
            zone = popmod.zone_for(index, pop)
            team = [clinicians[c] for c in popmod.team_for(index, pop)]
            if profile >= 0:
                team = [clinicians[0], *team[1:]]
            _patient_history(writer, rng, pop, answers, now=now, index=index, days=days, zone=zone,
                             patient_id=patient_id, user_id=user_id, team=team)  # fmt: skip
            if index < load_patients:
                out.load_patients.append((patient_id, _email(index), zone))
        writer.flush()
        db.session.commit()
        _analyze()
        out.recipients = [
            (pid, uid, popmod.zone_for(n, pop))
            for n, (pid, uid) in enumerate(patients)
            if n >= len(seeded)
        ]
        out.rows = dict(writer.counts)
    out.seconds = time.perf_counter() - started
    return out


def _analyze() -> None:
    """Planner statistics and visibility maps, as autovacuum would have left them in
    production (the bench server runs with autovacuum off: without statistics PostgreSQL
    guesses row counts, seq-scans indexed tables and JIT-compiles cheap queries; without a
    visibility map every index-only scan also reads the table). VACUUM runs outside a
    transaction, on its own connection."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        db.session.commit()
        with connection.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as autocommit:
            autocommit.exec_driver_sql("VACUUM ANALYZE")


def _email(index: int) -> str:
    return f"patient{index}@bench.example.org"


def _clinicians(writer: _Writer, pop: Population, clinic_id, password_hash, now) -> list[uuid.UUID]:
    disciplines = list(Discipline)
    ids = []
    for n in range(pop.clinicians):
        user_id = uuid.uuid4()
        ids.append(user_id)
        writer.add(_t(User), {
            "id": user_id, "email": f"clinician{n}@bench.example.org", "password_hash": password_hash,
            "role": Role.CLINICIAN, "discipline": disciplines[n % len(disciplines)],
            "clinic_id": clinic_id, "display_name": f"Clinician {n}", "locale": "en",
            "timezone": "UTC", "session_version": 1, "active": True, "created_at": now,
        })  # fmt: skip
    writer.flush()
    return ids


def _recipients(writer: _Writer, pop: Population, clinic_id, password_hash, now) -> list[tuple]:
    """Every patient (diary patients first): a user with a phone, an enrollment, SMS consent."""
    out = []
    for index in range(pop.recipients):
        user_id, patient_id, phone = uuid.uuid4(), uuid.uuid4(), popmod.phone_for(index)
        writer.add(_t(User), {
            "id": user_id, "email": _email(index), "password_hash": password_hash,
            "role": Role.PATIENT, "discipline": None, "clinic_id": clinic_id,
            "display_name": f"Patient {index}", "locale": "en",
            "timezone": popmod.zone_for(index, pop), "phone": phone,
            "phone_index": blind_index(phone), "session_version": 1, "active": True,
            "created_at": now,
        })  # fmt: skip
        writer.add(_t(Patient), {
            "id": patient_id, "user_id": user_id, "clinic_id": clinic_id,
            "readable_locales": [], "menstruates": None, "enrolled_at": now,
        })  # fmt: skip
        writer.add(_t(SmsConsent), {
            "id": uuid.uuid4(), "user_id": user_id, "recorded_by_id": None,
            "channel": ConsentChannel.PAPER, "wording": "Bench consent", "locale": "en",
            "granted_at": now,
        })  # fmt: skip
        out.append((patient_id, user_id))
    writer.flush()
    return out


def _answer_templates() -> dict[str, list[tuple[dict[str, int], Any]]]:
    """A few scored answer sets per instrument, reused (scoring 100k responses adds nothing)."""
    rng = random.Random(3)
    templates: dict[str, list[tuple[dict[str, int], Any]]] = {}
    for instrument in popmod.INSTRUMENTS:
        definition = loader.registry()[instrument]
        items = scoring.applicable_items(definition, menstruates=None)
        sets = []
        for level in range(12):
            answers = {}
            for item in items:
                values = definition.values_for(item)
                answers[item.id] = min(
                    values, key=lambda v: abs(v - level / 12 * max(values) + rng.random() - 0.5)
                )
            sets.append((answers, scoring.score(definition, answers, menstruates=None)))
        templates[instrument] = sets
    return templates


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def _patient_history(writer: _Writer, rng: random.Random, pop: Population, answers, *, now,
                     index, days, zone, patient_id, user_id, team) -> None:  # fmt: skip
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    end = today - timedelta(days=1)
    for position, (clinician, lead) in enumerate(zip(team, [True, False, False], strict=False)):
        writer.add(_t(CareTeamMembership), {
            "id": uuid.uuid4(), "patient_id": patient_id, "member_id": clinician,
            "is_lead": lead and position == 0, "started_at": now - timedelta(days=days),
            "ended_at": None, "added_by_id": None, "ended_by_id": None,
        })  # fmt: skip
    for position, key in enumerate(SYMPTOM_KEYS):
        writer.add(_t(TrackedSymptom), {
            "id": uuid.uuid4(), "patient_id": patient_id, "key": key, "custom_label": None,
            "position": position, "created_at": now - timedelta(days=days),
        })  # fmt: skip
    writer.add_all(_t(DiaryEntry), _diary_rows(rng, writer, pop, end, days, patient_id, user_id))
    _questionnaires(writer, rng, pop, answers, now, today, days, tz, patient_id, team[0])
    _appointments(writer, rng, pop, now, index, days, patient_id, team[0])


def _diary_rows(rng, writer, pop, end, days, patient_id, user_id) -> Iterator[dict[str, Any]]:
    level = rng.uniform(2, 7)
    for day in popmod.diary_days(rng, end=end, days=days, missing_rate=pop.missing_rate):
        level = min(10.0, max(0.0, level + rng.uniform(-0.7, 0.7)))
        full = rng.random() < 0.4
        entry_id = uuid.uuid4()
        stamp = datetime(day.year, day.month, day.day, 20, tzinfo=UTC)
        yield {
            "id": entry_id, "patient_id": patient_id, "local_date": day,
            "client_entry_id": uuid.uuid4(), "mode": EntryMode.FULL if full else EntryMode.QUICK,
            "overall_symptoms": round(level), "mood": round(10 - level),
            "stress": rng.randint(0, 10) if full else None,
            "energy": rng.randint(0, 10) if full else None, "bedtime": None, "wake_time": None,
            "sleep_minutes": rng.randint(300, 540) if full else None,
            "sleep_quality": rng.randint(1, 5), "night_awakenings": None,
            "triggers": rng.sample(TRIGGER_KEYS, rng.randint(0, 2)) if full else [],
            "custom_triggers": [], "rest_breaks": None, "within_limits": None, "notes": None,
            "created_by_id": user_id, "created_at": stamp, "updated_at": stamp,
        }  # fmt: skip
        if full:
            for key in SYMPTOM_KEYS[:1]:
                writer.add(_t(SymptomRating), {
                    "id": uuid.uuid4(), "entry_id": entry_id, "symptom_key": key,
                    "score": min(10, max(0, round(level + rng.uniform(-2, 2)))), "body_site": None,
                })  # fmt: skip


def _questionnaires(writer, rng, pop, answers, now, today, days, tz, patient_id, lead) -> None:
    dates = popmod.questionnaire_dates(end=today, days=days, every=pop.questionnaire_every)
    for instrument in popmod.INSTRUMENTS:
        definition = loader.registry()[instrument]
        assignment_id = uuid.uuid4()
        writer.add(_t(Assignment), {
            "id": assignment_id, "patient_id": patient_id, "instrument_id": instrument,
            "assigned_by_id": lead, "schedule_kind": ScheduleKind.EVERY_N_DAYS,
            "start_date": dates[0], "schedule_from": dates[0],
            "interval_days": pop.questionnaire_every, "weekdays": "", "days_before": None,
            "window_days": 3, "status": "active", "created_at": now - timedelta(days=days),
            "updated_at": now - timedelta(days=days),
        })  # fmt: skip
        for due in dates:
            occurrence_id, opens = uuid.uuid4(), _local_midnight(due, tz)
            closes = opens + timedelta(days=3)
            writer.add(_t(Occurrence), {
                "id": occurrence_id, "assignment_id": assignment_id, "patient_id": patient_id,
                "instrument_id": instrument, "due_date": due, "opens_at": opens,
                "closes_at": closes,
            })  # fmt: skip
            if closes > now or rng.random() > pop.answered_rate:
                continue
            chosen, result = rng.choice(answers[instrument])
            submitted = opens + timedelta(hours=rng.randint(8, 60))
            writer.add(_t(Response), {
                "id": uuid.uuid4(), "occurrence_id": occurrence_id, "patient_id": patient_id,
                "instrument_id": instrument, "instrument_version": definition.version,
                "locale": "en", "preferred_locale": "en", "answers": chosen,
                "started_at": submitted - timedelta(minutes=4), "updated_at": submitted,
                "submitted_at": submitted, "submission_key": uuid.uuid4(),
                "total": result.total, "max_total": result.max_total, "band": result.band,
                "subscales": {s.code: {"score": s.score, "positive": s.positive} for s in result.subscales},
                "critical": False,
            })  # fmt: skip


def _appointments(writer, rng, pop, now, index, days, patient_id, lead) -> None:
    for back in range(90, days, 90):  # a follow-up every ~3 months, done
        writer.add(_t(Appointment), {
            "id": uuid.uuid4(), "patient_id": patient_id, "clinician_id": lead,
            "starts_at": now - timedelta(days=back, hours=rng.randint(0, 8)),
            "modality": Modality.IN_PERSON, "status": AppointmentStatus.DONE, "created_at": now,
        })  # fmt: skip
    if index < pop.upcoming_patients:
        writer.add(_t(Appointment), {
            "id": uuid.uuid4(), "patient_id": patient_id, "clinician_id": lead,
            "starts_at": now + timedelta(minutes=rng.randint(60, pop.upcoming_days * 24 * 60 - 60)),
            "modality": rng.choice(list(Modality)), "status": AppointmentStatus.PLANNED,
            "created_at": now,
        })  # fmt: skip
