"""A patient's text is never discarded: kept encrypted, an urgent "message to read" alert, a
reply with the clinic's crisis line (none once the sender has stopped texts), shown on the
record to the care team only, exported and erased with the patient's data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select, text

from app.alerts import rules
from app.alerts.models import Alert, AlertSource, CrisisResource, Severity
from app.audit import AuditEvent
from app.auth.models import User
from app.careteam import services as careteam
from app.careteam.models import ConsentGrant, ConsentScope, Patient
from app.config import SUPPORTED_LOCALES
from app.datarights import services as datarights
from app.db import db, utcnow
from app.instruments.demo import CRISIS_LABELS, CRISIS_NUMBERS
from app.sms import bodies, patient_texts
from app.sms.models import InboundMessage, PatientText
from app.sms.segments import MAX_SEGMENTS, count
from tests.conftest import Auth
from tests.factories import PASSWORD
from tests.sms.fixtures import consenting
from tests.sms.test_webhooks import inbound

WORDS = "I want to kill myself"


def _crisis(app, patient: Patient, locale: str, label: str, contact: str) -> None:
    with app.app_context():
        db.session.add(
            CrisisResource(clinic_id=patient.clinic_id, locale=locale, label=label, contact=contact)
        )
        db.session.commit()


def _texts(app, patient_id) -> list[PatientText]:
    with app.app_context():
        return list(
            db.session.scalars(select(PatientText).where(PatientText.patient_id == patient_id))
        )


def _alerts(app, patient_id) -> list[Alert]:
    with app.app_context():
        return list(db.session.scalars(select(Alert).where(Alert.patient_id == patient_id)))


def test_free_text_is_kept_encrypted_alerts_the_team_and_replies_with_crisis_line(
    app, make, client, twilio_app
):
    clinic = make.clinic()
    lead = make.clinician(clinic)
    patient = consenting(make, app, phone="+12025550170", clinic=clinic, team=[lead])
    _crisis(app, patient, "en", "Crisis line", "555-0100")

    response = inbound(client, "SMfree1", WORDS)

    reply = response.get_data(as_text=True)
    assert "could not read" not in reply
    assert "your care team will read this" in reply
    assert "not read around the clock" in reply
    assert "Crisis line 555-0100" in reply
    assert WORDS not in reply and patient.user.display_name not in reply
    (kept,) = _texts(app, patient.id)
    assert kept.body == WORDS and kept.sender_role == "patient" and kept.replied
    with app.app_context():
        raw = db.session.execute(
            text("SELECT body FROM sms_patient_texts WHERE sid = 'SMfree1'")
        ).scalar_one()
    assert "kill" not in raw  # encrypted at rest
    (alert,) = _alerts(app, patient.id)
    assert (alert.rule_code, alert.severity) == (rules.MESSAGE_TO_READ, Severity.URGENT)
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.patient_id == patient.id)
        ).all()
        assert "sms.text_kept" in actions
        assert WORDS not in str(db.session.scalars(select(AuditEvent.object_id)).all())  # ids only

    lead_client = app.test_client()
    Auth(lead_client).login(lead.email, PASSWORD)
    inbox = lead_client.get("/alerts").get_data(as_text=True)
    assert "A text message from the patient or a caregiver to read" in inbox
    assert f"/patients/{patient.id}#patient-texts" in inbox
    record = lead_client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert "Messages from the patient" in record
    assert f'<p class="note" dir="auto">{WORDS}</p>' in record


def test_reply_is_in_the_senders_language_with_that_locales_crisis_line(
    app, make, client, twilio_app
):
    patient = consenting(make, app, phone="+12025550171", locale="es")
    _crisis(app, patient, "en", "Crisis line", "555-0100")
    _crisis(app, patient, "es", "Línea de crisis", "555-0111")
    reply = inbound(client, "SMes1", "me siento muy mal", sender="+12025550171").get_data(
        as_text=True
    )
    assert "Línea de crisis 555-0111" in reply
    with app.test_request_context(), force_locale("es"):
        expected = bodies.kept_reply("Línea de crisis 555-0111")
    assert expected.replace("&", "&amp;") in reply
    assert "your care team" not in reply


def test_without_crisis_resources_the_reply_still_says_where_to_turn(app, make, client, twilio_app):
    consenting(make, app, phone="+12025550172")
    reply = inbound(client, "SMnone", "hello?", sender="+12025550172").get_data(as_text=True)
    assert "local emergency number" in reply and "not read around the clock" in reply


def test_an_opted_out_sender_is_kept_and_alerted_but_gets_no_reply(app, make, client, twilio_app):
    patient = consenting(make, app, phone="+12025550173")
    _crisis(app, patient, "en", "Crisis line", "555-0100")
    inbound(client, "SMstop", "STOP", sender="+12025550173")
    response = inbound(client, "SMafter", "please call me", sender="+12025550173")
    assert response.status_code == 200
    assert "<Message>" not in response.get_data(as_text=True)
    (kept,) = _texts(app, patient.id)
    assert kept.body == "please call me" and not kept.replied
    assert rules.MESSAGE_TO_READ in {a.rule_code for a in _alerts(app, patient.id)}


def test_repeats_attach_to_the_open_alert_and_a_replay_is_not_stored_twice(
    app, make, client, twilio_app
):
    patient = consenting(make, app, phone="+12025550174")
    inbound(client, "SMone", "first", sender="+12025550174")
    assert inbound(client, "SMone", "first", sender="+12025550174").status_code == 200
    inbound(client, "SMtwo", "second", sender="+12025550174")
    assert sorted(t.body for t in _texts(app, patient.id)) == ["first", "second"]
    (alert,) = _alerts(app, patient.id)
    assert alert.repeat_count == 1
    with app.app_context():
        sources = db.session.scalars(
            select(AlertSource.source_type).where(AlertSource.alert_id == alert.id)
        ).all()
        assert sources == ["patient_text", "patient_text"]
        assert (
            db.session.scalar(select(InboundMessage.kind).where(InboundMessage.sid == "SMone"))
            == "reply"
        )


def test_a_caregivers_text_concerns_the_patients_who_share_with_them(app, make, client, twilio_app):
    sharing = make.patient()
    caregiver, _ = make.caregiver(
        sharing, scopes=[ConsentScope.RECEIVE_CHECKINS], phone="+12025550175"
    )
    revoked = make.patient()
    with app.app_context():
        link = careteam.link_caregiver(
            patient=db.session.get(Patient, revoked.id),
            caregiver=db.session.get(User, caregiver.id),
            relationship_label="Friend",
        )
        careteam.grant_scope(
            link=link,
            scope=ConsentScope.VIEW_SCORES,
            granted_by=db.session.get(User, revoked.user_id),
        )
        db.session.flush()
        grant = db.session.scalars(
            select(ConsentGrant).where(ConsentGrant.link_id == link.id)
        ).one()
        grant.revoked_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    inbound(client, "SMcare", "He has not eaten for days", sender="+12025550175")
    (kept,) = _texts(app, sharing.id)
    assert (kept.sender_role, kept.sender_id) == ("caregiver", caregiver.id)
    assert _texts(app, revoked.id) == [] and _alerts(app, revoked.id) == []
    assert rules.MESSAGE_TO_READ in {a.rule_code for a in _alerts(app, sharing.id)}


def test_unknown_numbers_are_unchanged(app, client, twilio_app):
    reply = inbound(client, "SMunk", WORDS, sender="+12025550176").get_data(as_text=True)
    assert "does not receive Heed messages" in reply
    with app.app_context():
        assert db.session.scalars(select(PatientText)).all() == []


def test_record_lists_texts_for_the_team_and_coordinator_only(app, make, client, twilio_app):
    clinic = make.clinic()
    lead, other = make.clinician(clinic), make.clinician(clinic)
    coordinator = make.coordinator(clinic)
    patient = consenting(make, app, phone="+12025550177", clinic=clinic, team=[lead])
    caregiver, _ = make.caregiver(patient, scopes=[ConsentScope.VIEW_SCORES])
    inbound(client, "SMrec", "Zelda's secret words", sender="+12025550177")
    for user, sees in (
        (lead, True),
        (coordinator, True),
        (patient.user, False),
        (caregiver, False),
        (other, False),
    ):
        viewer = app.test_client()
        Auth(viewer).login(user.email, PASSWORD)
        page = viewer.get(f"/patients/{patient.id}")
        body = page.get_data(as_text=True)
        assert ("secret words" in body) == sees, user.email
        assert ("Messages from the patient" in body) == sees, user.email
    with app.app_context():
        views = db.session.scalars(
            select(AuditEvent.actor_id).where(
                AuditEvent.action == "sms.texts_view", AuditEvent.patient_id == patient.id
            )
        ).all()
    assert sorted(map(str, views)) == sorted([str(lead.id), str(coordinator.id)])


def test_export_includes_and_erasure_removes_kept_texts(app, make, client, twilio_app):
    patient = consenting(make, app, phone="+12025550178")
    inbound(client, "SMexp", "words to export", sender="+12025550178")
    with app.test_request_context():
        record = db.session.get(Patient, patient.id)
        sections = {section.name: section.rows for section in datarights.collect(record)}
        assert sections["texts_to_care_team"][0]["text"] == "words to export"
        assert sections["texts_to_care_team"][0]["from"] == "patient"
        datarights.erase(record)
        db.session.commit()
    assert _texts(app, patient.id) == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_kept_reply_with_the_demo_crisis_lines_fits_two_segments(app, make, locale):
    patient = make.patient(locale=locale)
    with app.test_request_context():
        db.session.add(
            CrisisResource(
                clinic_id=patient.clinic_id,
                locale=locale,
                label=CRISIS_LABELS[locale][0],
                contact=CRISIS_NUMBERS[0],
            )
        )
        db.session.flush()
        reply = patient_texts.kept_reply(locale=locale, clinic_id=patient.clinic_id)
        assert CRISIS_NUMBERS[0] in reply
        assert count(reply).segments <= MAX_SEGMENTS
        # A label too long for two segments: the contact alone still goes out.
        db.session.execute(CrisisResource.__table__.update().values(label="Ä" * 190))
        long_reply = patient_texts.kept_reply(locale=locale, clinic_id=patient.clinic_id)
        assert CRISIS_NUMBERS[0] in long_reply and count(long_reply).segments <= MAX_SEGMENTS
        db.session.rollback()


def test_an_empty_text_gets_help_and_raises_nothing(app, make, client, twilio_app):
    patient = consenting(make, app, phone="+12025550179")
    reply = inbound(client, "SMempty", "   ", sender="+12025550179").get_data(as_text=True)
    assert "STOP" in reply
    assert _texts(app, patient.id) == [] and _alerts(app, patient.id) == []
