"""SMS prompts wired to the diary, questionnaires and alerts, end to end."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.alerts.models import Alert
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.diary import services as diary
from app.diary.models import DiaryEntry, EntryMode
from app.diary.values import DiaryValues
from app.instruments import loader
from app.instruments import services as instruments
from app.prompts.models import OutboxMessage, OutboxStatus, PromptPurpose
from app.prompts.planning import local_instant
from app.prompts.services import plan_due_prompts, update_schedule
from app.sms.dispatch import dispatch_due
from app.sms.models import PatientText
from app.sms.outcomes import give_up
from app.sms.services import handle_inbound
from tests.instruments.helpers import assign_once
from tests.sms.fixtures import consenting

NY = ZoneInfo("America/New_York")


def _reply(phone: str, body: str, now) -> str | None:
    result = handle_inbound(sid=f"SM{uuid.uuid4().hex}", from_number=phone, body=body, now=now)
    db.session.commit()
    return result.reply


def _reminded_with_sms_replies(make, app, phone: str):
    """A New York patient who answers the quick diary by SMS, just sent tonight's reminder."""
    patient = consenting(make, app, phone=phone, timezone="America/New_York")
    update_schedule(user=db.session.get(User, patient.user_id), sms_diary_replies=True)
    db.session.commit()
    today = utcnow().astimezone(NY).date()
    plan_due_prompts(now=local_instant(today, time(19, 25), NY))
    db.session.commit()
    now = local_instant(today, time(19, 30), NY)
    dispatch_due(now=now)
    return patient, now


def test_quick_diary_answered_by_sms_is_saved_as_a_diary_entry(app, make, ctx, fake):
    phone = "+12025550191"
    patient, now = _reminded_with_sms_replies(make, app, phone)
    _reply(phone, "6", now)
    _reply(phone, "11", now)  # out of range: asked again once
    _reply(phone, "12", now)  # then left empty, never zero
    assert "saved" in _reply(phone, "2", now)
    entry = db.session.scalars(select(DiaryEntry).where(DiaryEntry.patient_id == patient.id)).one()
    assert (entry.mode, entry.overall_symptoms, entry.mood, entry.sleep_quality) == (
        EntryMode.QUICK,
        6,
        None,
        2,
    )


def test_sms_quick_diary_takes_no_free_text_a_long_reply_is_kept_for_the_team(app, make, ctx, fake):
    """The SMS path has no notes: a 2,001-character reply is not a number, so it is kept for
    the care team to read (never put in the diary) and the question waits for a number."""
    phone = "+12025550193"
    patient, now = _reminded_with_sms_replies(make, app, phone)
    long_text = ("Worse after the school run. " * 72)[:2001]
    assert "your care team will read this" in _reply(phone, long_text, now)
    kept = db.session.scalars(select(PatientText).where(PatientText.patient_id == patient.id))
    assert [len(text.body) for text in kept] == [2001]
    assert "How was your mood" in _reply(phone, "4", now)
    _reply(phone, "3", now)
    assert "saved" in _reply(phone, "2", now)
    entry = db.session.scalars(select(DiaryEntry).where(DiaryEntry.patient_id == patient.id)).one()
    assert (entry.overall_symptoms, entry.mood, entry.sleep_quality, entry.notes) == (
        4,
        3,
        2,
        None,
    )


def test_saving_the_diary_cancels_that_days_reminder(app, make, ctx, fake):
    patient = consenting(make, app, phone="+12025550192", timezone="America/New_York")
    today = utcnow().astimezone(NY).date()
    plan_due_prompts(now=local_instant(today, time(19, 25), NY) - timedelta(hours=3))
    plan_due_prompts(now=local_instant(today, time(19, 25), NY))
    row = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_id == patient.user_id)
    ).one()
    assert row.status == OutboxStatus.PLANNED
    diary.record_entry(
        patient=db.session.get(Patient, patient.id),
        local_date=today,
        values=DiaryValues(mode=EntryMode.QUICK, overall_symptoms=3),
        submission_id=uuid.uuid4(),
        actor=db.session.get(User, patient.user_id),
    )
    db.session.refresh(row)
    assert row.status == OutboxStatus.CANCELLED
    dispatch_due(now=local_instant(today, time(19, 31), NY))
    assert fake.sent == []


def test_a_questionnaire_window_prompts_once_and_not_after_it_is_answered(app, make, ctx, fake):
    patient = db.session.get(
        Patient, consenting(make, app, phone="+12025550193", timezone="America/New_York").id
    )
    clinician = db.session.get(User, make.clinician().id)
    _, occurrence = assign_once(patient, clinician, "gad7")
    # Windows open at local midnight; quiet hours (21:00-08:00) defer the prompt to 08:00.
    before_eight = local_instant(occurrence.due_date, time(7, 59), NY)
    plan_due_prompts(now=before_eight)
    plan_due_prompts(now=before_eight)  # idempotent
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.target == str(occurrence.id))
    ).all()
    opening = [r for r in rows if r.purpose == PromptPurpose.QUESTIONNAIRE_DUE]
    assert len(opening) == 1
    assert opening[0].status == OutboxStatus.PLANNED
    instruments.submit_response(
        occurrence=occurrence,
        patient=patient,
        definition=loader.registry()["gad7"],
        values={str(i): 1 for i in range(1, 8)},
        locale="en",
        submission_key=uuid.uuid4(),
    )
    db.session.commit()
    dispatch_due(now=opening[0].due_at + timedelta(seconds=5))
    assert fake.sent == []  # answered before the prompt went out: nothing is sent
    db.session.refresh(opening[0])
    assert opening[0].status != OutboxStatus.SENT


def test_opt_out_and_failed_delivery_alert_the_team(app, make, ctx, fake):
    phone = "+12025550194"
    patient = consenting(make, app, phone=phone, timezone="America/New_York")
    _reply(phone, "STOP", utcnow())
    rules = {
        a.rule_code for a in db.session.scalars(select(Alert).where(Alert.patient_id == patient.id))
    }
    assert "sms_opt_out" in rules
    row = OutboxMessage(
        recipient_id=patient.user_id,
        patient_id=patient.id,
        purpose=PromptPurpose.DIARY_REMINDER,
        target="diary",
        local_date=date(2026, 6, 1),
        slot="daily",
        due_at=utcnow(),
        expires_at=utcnow(),
        next_attempt_at=utcnow(),
        status=OutboxStatus.FAILED,
        attempts=3,
    )
    db.session.add(row)
    db.session.flush()
    give_up(row, utcnow())  # retries exhausted: the signal reaches the alerts feature
    rules = {
        a.rule_code for a in db.session.scalars(select(Alert).where(Alert.patient_id == patient.id))
    }
    assert "sms_failure" in rules


def test_response_rate_counts_prompts_followed_by_their_task(app, make, ctx, fake):
    from app.trends.prompt_metrics import prompt_counts

    patient = consenting(make, app, phone="+12025550195", timezone="America/New_York")
    record = db.session.get(Patient, patient.id)
    day = date(2026, 6, 1)
    for offset, answered in ((0, True), (1, False)):
        local = day + timedelta(days=offset)
        db.session.add(
            OutboxMessage(
                recipient_id=patient.user_id,
                patient_id=patient.id,
                purpose=PromptPurpose.DIARY_REMINDER,
                target="diary",
                local_date=local,
                slot="daily",
                due_at=local_instant(local, time(19, 30), NY),
                expires_at=local_instant(local, time(23, 59), NY),
                next_attempt_at=local_instant(local, time(19, 30), NY),
                status=OutboxStatus.DELIVERED,
                sid=f"SM{uuid.uuid4().hex}",
            )
        )
        if answered:
            diary.record_entry(
                patient=record,
                local_date=local,
                values=DiaryValues(mode=EntryMode.QUICK, mood=5),
                submission_id=uuid.uuid4(),
                actor=db.session.get(User, patient.user_id),
            )
    db.session.flush()
    counts = prompt_counts(
        record.clinic_id,
        local_instant(day, time(0, 0), NY),
        local_instant(day + timedelta(days=3), time(0, 0), NY),
    )
    assert (counts.sent, counts.answered) == (2, 1)


def test_the_eve_of_a_follow_up_brings_one_previsit_prompt(app, make, ctx, fake):
    from app.followups.models import Appointment, AppointmentStatus, Modality

    patient = consenting(make, app, phone="+12025550196", timezone="America/New_York")
    clinician = make.clinician()
    visit_day = date(2026, 6, 10)
    db.session.add(
        Appointment(
            patient_id=patient.id,
            clinician_id=clinician.id,
            starts_at=local_instant(visit_day, time(10, 0), NY),
            modality=Modality.IN_PERSON,
            status=AppointmentStatus.PLANNED,
        )
    )
    db.session.flush()
    eve = local_instant(visit_day - timedelta(days=1), time(19, 25), NY)
    plan_due_prompts(now=eve)
    plan_due_prompts(now=eve)
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.purpose == PromptPurpose.PREVISIT_CHECKIN)
    ).all()
    assert len(rows) == 1
    assert rows[0].local_date == visit_day - timedelta(days=1)
