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
    SmsConsent,
)
from app.db import Base
from app.prompts.models import PromptSchedule
from app.sms.models import (
    ConsoleMessage,
    InboundMessage,
    MagicLink,
    NumberFlag,
    OutboxMessage,
    SmsConversation,
)

__all__ = [
    "AuditEvent",
    "Base",
    "BreakGlassGrant",
    "CareTeamMembership",
    "CaregiverLink",
    "Clinic",
    "ConsentGrant",
    "ConsoleMessage",
    "InboundMessage",
    "LoginThrottle",
    "MagicLink",
    "NumberFlag",
    "OneTimeToken",
    "OutboxMessage",
    "Patient",
    "PromptSchedule",
    "SmsConsent",
    "SmsConversation",
    "User",
]
