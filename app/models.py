"""Import every model module so that Base.metadata is complete (Alembic, schema checks)."""

from app.audit import AuditEvent
from app.auth.models import LoginThrottle, OneTimeToken, User
from app.careteam.models import (
    BreakGlassGrant,
    CaregiverLink,
    CareTeamMembership,
    Clinic,
    ConsentGrant,
    Patient,
)
from app.db import Base
from app.diary.models import (
    ActivityBlock,
    CaregiverObservation,
    DiaryEntry,
    DiaryRevision,
    SymptomRating,
    TrackedSymptom,
)

__all__ = [
    "ActivityBlock",
    "AuditEvent",
    "Base",
    "BreakGlassGrant",
    "CareTeamMembership",
    "CaregiverLink",
    "CaregiverObservation",
    "Clinic",
    "ConsentGrant",
    "DiaryEntry",
    "DiaryRevision",
    "LoginThrottle",
    "OneTimeToken",
    "Patient",
    "SymptomRating",
    "TrackedSymptom",
    "User",
]
