"""Demo: one upcoming case conference for the demo clinic (in three days, 14:00 clinic time,
by video), its clinicians invited and one patient nominated. Idempotent: a clinic that already
has an upcoming conference is left alone. Synthetic data only."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.auth.models import Role, User
from app.careteam.models import Clinic, Patient
from app.conferences import services
from app.conferences.models import CaseConference, Modality
from app.db import db, utcnow
from app.followups.localtime import to_utc

DEMO_LINK = "https://video.example.org/heed-case-review"
DEMO_REASON = "Demo: pain and low mood not improving since the last plan change."


def seed(clinic: Clinic, patients: list[Patient]) -> CaseConference | None:
    now = utcnow()
    upcoming = db.session.scalar(
        select(CaseConference).where(
            CaseConference.clinic_id == clinic.id, CaseConference.starts_at > now
        )
    )
    coordinator = db.session.scalar(
        select(User).where(User.clinic_id == clinic.id, User.role == Role.COORDINATOR)
    )
    if upcoming is not None or coordinator is None or not patients:
        return None
    members = db.session.scalars(
        select(User.id).where(User.clinic_id == clinic.id, User.role == Role.CLINICIAN)
    ).all()
    day = now.astimezone(ZoneInfo(clinic.timezone)).date() + timedelta(days=3)
    conference = services.schedule(
        coordinator=coordinator,
        starts_at=to_utc(day, time(14, 0), clinic.timezone),
        modality=Modality.VIDEO,
        video_url=DEMO_LINK,
        member_ids=list(members),
        now=now,
    )
    services.nominate(
        conference=conference, patient=patients[0], by=coordinator, reason=DEMO_REASON, now=now
    )
    return conference
