"""Import every model module so that Base.metadata is complete (Alembic, schema checks)."""

from app.alerts.models import Alert, AlertSettings, AlertSource, CrisisResource
from app.audit import AuditEvent
from app.auth.models import LoginThrottle, OneTimeToken, User
from app.careteam.models import (
    BreakGlassGrant,
    CaregiverLink,
    CareTeamMembership,
    Clinic,
    ConsentGrant,
    Patient,
    SmsConsent,
)
from app.db import Base
from app.followups.models import Appointment
from app.instruments.models import Assignment, CaregiverCheckin, Occurrence, Response

__all__ = [
    "Alert",
    "AlertSettings",
    "AlertSource",
    "Appointment",
    "Assignment",
    "AuditEvent",
    "Base",
    "BreakGlassGrant",
    "CareTeamMembership",
    "CaregiverCheckin",
    "CaregiverLink",
    "Clinic",
    "ConsentGrant",
    "CrisisResource",
    "LoginThrottle",
    "Occurrence",
    "OneTimeToken",
    "Patient",
    "Response",
    "SmsConsent",
    "User",
]
