"""About 120 days of synthetic diary history per demo patient: deterministic, bulk, idempotent.

Built-in patterns for insights and clinician views to find: a short night goes with more pain
that day and the next; an activity burst is followed by a flare 24-48 hours later; high stress
goes with headache. About 15 % of days are missing, more of them towards the end.
"""

from __future__ import annotations

import random
import uuid
import zlib
from datetime import date, time, timedelta

from sqlalchemy import insert, select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.diary.models import (
    ActivityBlock,
    ActivityKind,
    CaregiverObservation,
    DiaryEntry,
    DiaryRevision,
    EntryMode,
    RevisionKind,
    SymptomRating,
)
from app.diary.queries import local_today

DAYS = 120
OTHER_TRIGGERS = ("weather_change", "skipped_meal", "screen_time", "conflict", "travel")
SHORT_NOTES = {
    "en": ["Rough morning.", "Walked the dog.", "Better than yesterday.", "Stayed in bed late."],
    "es": ["Mañana difícil.", "Caminé un rato.", "Mejor que ayer.", "Me quedé en cama."],
    "fr": ["Matinée difficile.", "Petite marche.", "Mieux qu'hier.", "Resté au lit."],
    "de": ["Schwerer Morgen.", "Kurz spazieren.", "Besser als gestern.", "Lange im Bett."],
    "pt": ["Manhã difícil.", "Caminhei um pouco.", "Melhor que ontem.", "Fiquei na cama."],
    "ar": ["صباح صعب.", "مشيت قليلاً.", "أفضل من الأمس.", "بقيت في السرير."],
}
LONG_NOTES = {
    "en": "Busy week at work and I pushed through three long days in a row. By Thursday evening "
    "my back and shoulders were burning and I could hardly concentrate on anything. I tried the "
    "breathing exercise from my last appointment and lay down for twenty minutes, which helped a "
    "little. I want to talk about how to plan the week so that I do not crash at the end of it.",
    "es": "Semana muy cargada en el trabajo y aguanté tres días largos seguidos. El jueves por la "
    "noche me ardían la espalda y los hombros y casi no podía concentrarme. Probé el ejercicio de "
    "respiración de la última consulta y me acosté veinte minutos, lo que ayudó un poco. Quiero "
    "hablar de cómo planificar la semana para no derrumbarme al final.",
    "fr": "Semaine chargée au travail, j'ai enchaîné trois longues journées. Jeudi soir, le dos et "
    "les épaules me brûlaient et je n'arrivais plus à me concentrer. J'ai essayé l'exercice de "
    "respiration du dernier rendez-vous et je me suis allongée vingt minutes, ce qui a un peu aidé.",
    "de": "Anstrengende Woche bei der Arbeit, drei lange Tage am Stück. Am Donnerstagabend brannten "
    "Rücken und Schultern, und ich konnte mich kaum konzentrieren. Die Atemübung aus dem letzten "
    "Termin und zwanzig Minuten Liegen haben ein wenig geholfen. Ich möchte über Pausen sprechen.",
    "pt": "Semana pesada no trabalho, aguentei três dias longos seguidos. Na quinta à noite as costas "
    "e os ombros ardiam e eu mal conseguia me concentrar. Tentei o exercício de respiração da última "
    "consulta e me deitei vinte minutos, o que ajudou um pouco. Quero falar sobre pausas.",
    "ar": "أسبوع مزدحم في العمل وتحملت ثلاثة أيام طويلة متتالية. مساء الخميس كان ظهري وكتفاي "
    "يؤلمانني ولم أستطع التركيز. جربت تمرين التنفس من الموعد الأخير واستلقيت عشرين دقيقة، "
    "وساعدني ذلك قليلاً. أريد أن أتحدث عن كيفية تنظيم الأسبوع حتى لا أنهار في نهايته.",
}


def _clamp(value: float, low: int = 0, high: int = 10) -> int:
    return int(max(low, min(high, round(value))))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class _Rows:
    def __init__(self) -> None:
        self.entries: list[dict] = []
        self.ratings: list[dict] = []
        self.blocks: list[dict] = []
        self.revisions: list[dict] = []
        self.observations: list[dict] = []


def _history(patient: Patient, today: date, rows: _Rows, observer: User | None) -> None:
    rng = random.Random(zlib.crc32(patient.user.email.encode()))
    locale = patient.user.locale if patient.user.locale in SHORT_NOTES else "en"
    now = utcnow()
    bursts: set[int] = set()
    long_note_days = set(rng.sample(range(10, DAYS), 3))
    for n in range(DAYS, 0, -1):
        day = today - timedelta(days=n)
        index = DAYS - n
        short_night = rng.random() < 0.22
        burst = rng.random() < 0.12
        if burst:
            bursts.add(index)
        stress = _clamp(rng.gauss(4, 2) + (4 if rng.random() < 0.2 else 0))
        after_burst = bool({index - 1, index - 2} & bursts)
        if observer is not None and index % 6 == 0:
            rows.observations.append(
                {
                    "id": _uuid(rng),
                    "patient_id": patient.id,
                    "local_date": day,
                    "observer_id": observer.id,
                    "observer_role": str(observer.role),
                    "client_id": _uuid(rng),
                    "symptom_level": _clamp(rng.gauss(4 + 3 * after_burst, 1.5)),
                    "activity_level": _clamp(rng.gauss(5 - 2 * after_burst, 1.5)),
                    "sleep_disturbance": _clamp(rng.gauss(3 + 4 * short_night, 1.5)),
                    "note": None,
                    "created_at": now,
                }
            )
        missing_chance = 0.06 + 0.2 * index / DAYS  # adherence drops over time (~15 % overall)
        if rng.random() < missing_chance:
            continue
        pain = _clamp(rng.gauss(3, 1.2) + 2.2 * short_night + 2.5 * after_burst)
        fatigue = _clamp(rng.gauss(3.5, 1.2) + 1.2 * short_night + 2.5 * after_burst)
        headache = _clamp(rng.gauss(2, 1.2) + 3.5 * (stress >= 7))
        overall = _clamp(max(pain, fatigue, headache) - rng.random())
        quick = overall >= 7 and rng.random() < 0.5
        entry_id = _uuid(rng)
        minutes = rng.randint(260, 330) if short_night else rng.randint(400, 510)
        wake = time(rng.randint(6, 7), rng.choice((0, 15, 30, 45)))
        bed_total = (wake.hour * 60 + wake.minute - minutes) % 1440
        bedtime = time(bed_total // 60, bed_total % 60)
        entry = {
            "id": entry_id,
            "patient_id": patient.id,
            "local_date": day,
            "client_entry_id": _uuid(rng),
            "mode": EntryMode.QUICK if quick else EntryMode.FULL,
            "overall_symptoms": overall,
            "mood": _clamp(7.5 - 0.5 * overall + rng.gauss(0, 1)),
            "sleep_quality": _clamp(2 if short_night else rng.gauss(3.6, 0.8), 1, 5),
            "stress": None,
            "energy": None,
            "bedtime": None,
            "wake_time": None,
            "sleep_minutes": None,
            "night_awakenings": None,
            "triggers": [],
            "custom_triggers": [],
            "rest_breaks": None,
            "within_limits": None,
            "notes": None,
            "created_by_id": patient.user_id,
            "created_at": now,
            "updated_at": now,
        }
        if not quick:
            triggers = (["work_stress"] if stress >= 7 else []) + (
                ["poor_sleep"] if short_night else []
            )
            if rng.random() < 0.15:
                triggers.append(rng.choice(OTHER_TRIGGERS))
            entry.update(
                stress=stress,
                energy=_clamp(7 - 0.5 * fatigue + rng.gauss(0, 1)),
                bedtime=bedtime,
                wake_time=wake,
                sleep_minutes=minutes,
                night_awakenings=rng.randint(2, 5) if short_night else rng.randint(0, 2),
                triggers=sorted(set(triggers)),
                rest_breaks=rng.randint(0, 4),
                within_limits=_clamp(2 if burst else rng.gauss(3.5, 0.8), 1, 5),
            )
            if index in long_note_days:
                entry["notes"] = LONG_NOTES[locale]
            elif rng.random() < 0.1:
                entry["notes"] = rng.choice(SHORT_NOTES[locale])
            for key, score in (("pain", pain), ("fatigue", fatigue), ("headache", headache)):
                rows.ratings.append(
                    {
                        "id": _uuid(rng),
                        "entry_id": entry_id,
                        "symptom_key": key,
                        "score": score,
                        "body_site": "lower_back" if key == "pain" and score else None,
                    }
                )
            physical = rng.randint(150, 240) if burst else rng.randint(15, 60)
            for kind, done in (
                (ActivityKind.PHYSICAL, physical),
                (ActivityKind.COGNITIVE, rng.randint(60, 240)),
                (ActivityKind.REST, rng.randint(20, 90)),
            ):
                rows.blocks.append(
                    {
                        "id": _uuid(rng),
                        "entry_id": entry_id,
                        "kind": kind,
                        "planned_minutes": min(done, 90) if kind == ActivityKind.PHYSICAL else None,
                        "done_minutes": done,
                        "exertion": _clamp(done / 25 + rng.gauss(0, 1)),
                    }
                )
        rows.entries.append(entry)
        rows.revisions.append(
            {
                "id": _uuid(rng),
                "entry_id": entry_id,
                "submission_id": entry["client_entry_id"],
                "payload_digest": "demo",
                "kind": RevisionKind.CREATED,
                "actor_id": patient.user_id,
                "actor_role": "patient",
                "at": now,
                "changes": {},
            }
        )


def seed_diaries(patients: list[Patient], observers: dict[uuid.UUID, User]) -> int:
    """Insert history for demo patients without any diary entry yet; returns entries added."""
    ids = [p.id for p in patients]
    seeded = set(
        db.session.scalars(select(DiaryEntry.patient_id).where(DiaryEntry.patient_id.in_(ids)))
    )
    rows = _Rows()
    for patient in patients:
        if patient.id not in seeded:
            _history(patient, local_today(patient), rows, observers.get(patient.id))
    for model, batch in (
        (DiaryEntry, rows.entries),
        (SymptomRating, rows.ratings),
        (ActivityBlock, rows.blocks),
        (DiaryRevision, rows.revisions),
        (CaregiverObservation, rows.observations),
    ):
        if batch:
            db.session.execute(insert(model), batch)
    db.session.flush()
    return len(rows.entries)
