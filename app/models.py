"""Import every model module so that Base.metadata is complete (Alembic, schema checks)."""

from app.audit import AuditEvent
from app.auth.models import LoginThrottle, OneTimeToken, User
from app.careplan.models import CarePlanComment, CarePlanVersion
from app.careteam.models import (
    BreakGlassGrant,
    CaregiverLink,
    CareTeamMembership,
    Clinic,
    ConsentGrant,
    Patient,
)
from app.db import Base

__all__ = [
    "AuditEvent",
    "Base",
    "BreakGlassGrant",
    "CarePlanComment",
    "CarePlanVersion",
    "CareTeamMembership",
    "CaregiverLink",
    "Clinic",
    "ConsentGrant",
    "LoginThrottle",
    "OneTimeToken",
    "Patient",
    "User",
]
