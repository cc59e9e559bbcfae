"""The schema import list: every model module, imported so that Base.metadata is complete
(Alembic autogenerate, `flask rotate-keys`, the schema checks of tests/test_migrations.py).

No model is defined here; a feature that adds a table adds its import below."""

from app.alerts.models import Alert, AlertSettings, AlertSource, CrisisResource
from app.api.models import ApiToken
from app.audit import AuditEvent
from app.auth.mfa.models import (
    Passkey,
    RecoveryCode,
    SecondFactorReset,
    TotpFactor,
    UsedChallenge,
)
from app.auth.models import LoginThrottle, OneTimeToken, User
from app.careplan.models import CarePlanComment, CarePlanVersion
from app.careteam.models import (
    BreakGlassGrant,
    CaregiverLink,
    CareTeamMembership,
    Clinic,
    ConsentGrant,
    Patient,
    SmsConsent,
)
from app.conferences.models import (
    AgendaItem,
    CaseConference,
    ConferenceAction,
    ConferenceMember,
)
from app.consent.models import ConsentPdf, ConsentRecord, ConsentVersion
from app.db import Base
from app.diary.models import (
    ActivityBlock,
    CaregiverObservation,
    DiaryEntry,
    DiaryRevision,
    SymptomRating,
    TrackedSymptom,
)
from app.education.models import LessonOpening, LessonRecommendation, PlanLesson, PracticeDay
from app.followups.models import Appointment
from app.instruments.models import Assignment, CaregiverCheckin, Occurrence, Response
from app.prems.models import PremSurvey
from app.prompts.models import OutboxMessage, PromptSchedule
from app.referrals.models import CommunityService, Referral, ReferralEvent, ReferralLink
from app.sms.models import ConsoleMessage, InboundMessage, MagicLink, NumberFlag, SmsConversation

__all__ = [
    "ActivityBlock",
    "AgendaItem",
    "Alert",
    "AlertSettings",
    "AlertSource",
    "ApiToken",
    "Appointment",
    "Assignment",
    "AuditEvent",
    "Base",
    "BreakGlassGrant",
    "CarePlanComment",
    "CarePlanVersion",
    "CareTeamMembership",
    "CaregiverCheckin",
    "CaregiverLink",
    "CaregiverObservation",
    "CaseConference",
    "Clinic",
    "CommunityService",
    "ConferenceAction",
    "ConferenceMember",
    "ConsentGrant",
    "ConsentPdf",
    "ConsentRecord",
    "ConsentVersion",
    "ConsoleMessage",
    "CrisisResource",
    "DiaryEntry",
    "DiaryRevision",
    "InboundMessage",
    "LessonOpening",
    "LessonRecommendation",
    "LoginThrottle",
    "MagicLink",
    "NumberFlag",
    "Occurrence",
    "OneTimeToken",
    "OutboxMessage",
    "Passkey",
    "Patient",
    "PlanLesson",
    "PracticeDay",
    "PremSurvey",
    "PromptSchedule",
    "RecoveryCode",
    "Referral",
    "ReferralEvent",
    "ReferralLink",
    "Response",
    "SecondFactorReset",
    "SmsConsent",
    "SmsConversation",
    "SymptomRating",
    "TotpFactor",
    "TrackedSymptom",
    "UsedChallenge",
    "User",
]
