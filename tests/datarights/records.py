"""One patient with something in every table Heed keeps about them, each value distinct, so an
export that leaves a field out (or shows the wrong one) is caught."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from app.alerts import services as alerts
from app.alerts.models import Severity
from app.auth import services as auth
from app.auth.models import TokenPurpose, User
from app.careplan import services as careplan
from app.careplan.content import PlanContent
from app.careteam.models import BreakGlassGrant, ConsentScope, Patient
from app.db import db, utcnow
from app.diary import queries as diary_queries
from app.diary import services as diary
from app.diary.models import ActivityKind
from app.diary.values import Activity, DiaryValues
from app.followups import services as followups
from app.followups.models import Modality
from app.instruments import loader
from app.instruments import services as instruments
from app.prompts import services as prompts
from app.prompts.models import DIARY_TARGET, OutboxMessage, OutboxStatus, PromptPurpose
from app.sms.models import (
    ConversationState,
    InboundMessage,
    MagicLink,
    NumberFlag,
    PatientText,
    SmsConversation,
)
from tests.instruments.helpers import assign_once

ZONE = "America/New_York"
EMAIL = "yara.export@example.org"
NOTE = "Yara's note about a long week"
OWN_TAG = "Yara's bus ride"
OWN_LABEL = "Yara's jaw clicking"
OBSERVATION_NOTE = "She rested most of the afternoon"
ALERT_NOTE = "Called Yara back, all well"
TEXT = "Yara texting: feeling low tonight"
BODY = "Heed: time for your diary. [link]"
TELEHEALTH = "https://video.example.org/room-4711"
BREAK_GLASS_REASON = "Night shift: the lead clinician is unreachable"


@dataclass(frozen=True)
class Record:
    patient: Patient
    clinician: User
    caregiver: User
    day: date


def full_record(make, app) -> Record:
    clinician = make.clinician(name="Dr. Export Lead")
    patient = make.patient(team=[clinician], email=EMAIL, timezone=ZONE, name="Yara Export")
    admin = make.admin(name="Export Admin")
    caregiver, _link = make.caregiver(
        patient,
        [ConsentScope.SUBMIT_OBSERVATIONS],
        name="Export Caregiver",
    )
    with app.test_request_context():
        record = db.session.get(Patient, patient.id)
        user = db.session.get(User, patient.user_id)
        lead = db.session.get(User, clinician.id)
        carer = db.session.get(User, caregiver.id)
        now = utcnow()
        day = now.astimezone(ZoneInfo(ZONE)).date() - timedelta(days=2)
        diary.set_tracked_symptoms(patient=record, codes=["pain"], custom_labels=[OWN_LABEL])
        own_key = next(s.key for s in diary_queries.tracked_symptoms(record) if s.is_custom)
        first = DiaryValues(
            overall_symptoms=4,
            mood=3,
            stress=7,
            energy=2,
            bedtime=time(23, 15),
            wake_time=time(6, 45),
            sleep_quality=2,
            night_awakenings=5,
            rest_breaks=6,
            within_limits=1,
            notes=NOTE,
            symptoms={"pain": 8, own_key: 9},
            body_sites={"pain": "lower_back"},
            triggers=("work_stress",),
            custom_triggers=(OWN_TAG,),
            activities={
                ActivityKind.PHYSICAL: Activity(30, 47, 7),
                ActivityKind.REST: Activity(None, 25, None),
            },
        )
        diary.record_entry(
            patient=record, local_date=day, values=first, submission_id=uuid.uuid4(), actor=user
        )
        # An amendment: mood changed from 3 to 6.
        amended = DiaryValues(**{**first.__dict__, "mood": 6})
        diary.record_entry(
            patient=record, local_date=day, values=amended, submission_id=uuid.uuid4(), actor=user
        )
        diary.record_observation(
            patient=record,
            local_date=day,
            observation=diary.Observation(
                symptom_level=5, activity_level=1, sleep_disturbance=10, note=OBSERVATION_NOTE
            ),
            client_id=uuid.uuid4(),
            observer=carer,
        )
        instruments.record_checkin(
            patient=record,
            caregiver=carer,
            observed_function=3,
            observed_activity=8,
            own_strain=9,
            submission_key=uuid.uuid4(),
            now=now - timedelta(days=1),
        )
        careplan.save_version(
            patient=record,
            author=lead,
            content=PlanContent(hypotheses="Yara's plan"),
            base_version=0,
        )
        careplan.add_comment(patient=record, author=user, body="Yara's question", plan_version=1)
        alert = alerts.raise_alert(
            patient_id=record.id,
            rule_code="no_diary",
            severity=Severity.NORMAL,
            source_type="patient",
            source_id=record.id,
        )
        alerts.acknowledge(alert=alert, actor=lead, note=ALERT_NOTE)
        _, occurrence = assign_once(record, lead, "gad7")
        instruments.submit_response(
            occurrence=occurrence,
            patient=record,
            definition=loader.registry()["gad7"],
            values={str(i): 2 for i in range(1, 8)},
            locale="en",
            submission_key=uuid.uuid4(),
        )
        followups.schedule(
            patient=record,
            clinician=lead,
            starts_at=now + timedelta(days=3),
            modality=Modality.TELEHEALTH,
            telehealth_url=TELEHEALTH,
            actor=lead,
        )
        prompts.update_schedule(user=user, diary_time=time(20, 40), sms_diary_replies=True)
        db.session.add(
            OutboxMessage(
                recipient_id=user.id,
                patient_id=record.id,
                purpose=PromptPurpose.DIARY_REMINDER,
                target=DIARY_TARGET,
                local_date=day,
                slot="daily",
                due_at=now - timedelta(days=2),
                expires_at=now - timedelta(days=2),
                next_attempt_at=now - timedelta(days=2),
                status=OutboxStatus.SENT,
                sid="SM-export-test",
                sent_at=now - timedelta(days=2),
                body_redacted=BODY,
            )
        )
        db.session.add(
            PatientText(
                sid="SM-inbound-export",
                patient_id=record.id,
                sender_id=user.id,
                sender_role="patient",
                body=TEXT,
                received_at=now - timedelta(hours=5),
                replied=True,
            )
        )
        alerts.save_settings(
            patient=record,
            actor=lead,
            no_diary_days=9,
            symptom_rise_points=4,
            worsening_alerts=False,
        )
        auth.issue_token(
            user=user, purpose=TokenPurpose.PASSWORD_RESET, lifetime=timedelta(hours=1)
        )
        db.session.add(
            BreakGlassGrant(
                admin_id=admin.id,
                patient_id=record.id,
                reason=BREAK_GLASS_REASON,
                expires_at=now - timedelta(days=1),
            )
        )
        db.session.add(
            SmsConversation(
                user_id=user.id,
                patient_id=record.id,
                local_date=day,
                step=3,
                answers={"overall_symptoms": 4, "mood": 3, "stress": None},
                state=ConversationState.COMPLETED,
                started_at=now - timedelta(days=2),
                expires_at=now - timedelta(days=2) + timedelta(hours=4),
                completed_at=now - timedelta(days=2) + timedelta(minutes=7),
            )
        )
        db.session.add(
            MagicLink(
                digest="d" * 64,
                user_id=user.id,
                patient_id=record.id,
                purpose=PromptPurpose.DIARY_REMINDER,
                target=DIARY_TARGET,
                local_date=day,
                expires_at=now - timedelta(days=1),
                used_at=now - timedelta(days=2),
            )
        )
        db.session.add(
            InboundMessage(sid="SM-inbound-export", user_id=user.id, kind="text", received_at=now)
        )
        db.session.add(NumberFlag(user_id=user.id, phone_index="i" * 64, error_code=21610))
        db.session.commit()
    return Record(patient, clinician, caregiver, day)
