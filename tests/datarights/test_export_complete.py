"""The patient's export holds everything Heed keeps about them, in all three formats: every diary
field (sleep times, pain site, activity and pacing), the amendment history, caregiver
observations and check-ins, follow-ups, the prompt schedule, text messages with their bodies,
kept texts, alerts; the FHIR Bundle carries the diary as coded Observations, and caregiver
reports, the amendment history, follow-ups, texts and the access log as R4 resources."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.auditevent import AuditEvent as FhirAuditEvent
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.communication import Communication
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.provenance import Provenance
from sqlalchemy import String, Text, select

from app.careteam.models import BreakGlassGrant
from app.datarights.registry import CAREGIVER_SYSTEM, NON_VALIDATED
from app.db import db
from app.diary.fhir import DIARY_SYSTEM
from app.followups.models import Appointment
from app.prompts.models import PromptSchedule
from app.schema import Base
from app.security import ENCRYPTED_TYPES
from app.sms.models import InboundMessage, NumberFlag
from tests.datarights.records import (
    ALERT_NOTE,
    BODY,
    BREAK_GLASS_REASON,
    EMAIL,
    NOTE,
    OBSERVATION_NOTE,
    OWN_LABEL,
    OWN_TAG,
    TELEHEALTH,
    TEXT,
    full_record,
)
from tests.factories import PASSWORD


def _json(client, patient) -> dict[str, list[dict]]:
    response = client.get(f"/patients/{patient.id}/data/export.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))["sections"]


def _csv(client, patient) -> dict[str, list[dict[str, str]]]:
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/patients/{patient.id}/data/export.csv").data)
    )
    return {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
    }


def test_json_and_csv_hold_every_diary_field_and_every_feature(app, make, client, auth):
    record = full_record(make, app)
    auth.login(EMAIL, PASSWORD)
    day = record.day.isoformat()
    for sections in (_json(client, record.patient), _csv(client, record.patient)):

        def one(name: str, sections=sections) -> dict:
            rows = sections[name]
            assert len(rows) == 1, (name, rows)
            return {k: str(v) if v is not None else "" for k, v in rows[0].items()}

        entry = one("diary")
        assert entry["date"] == day
        expected = {
            "overall_symptoms": "4",
            "mood": "6",
            "stress": "7",
            "energy": "2",
            "bedtime": "23:15",
            "wake_time": "06:45",
            "sleep_minutes": "450",
            "sleep_quality": "2",
            "night_awakenings": "5",
            "rest_breaks": "6",
            "within_limits": "1",
            "triggers": f"work_stress,{OWN_TAG}",
            "own_triggers": OWN_TAG,
            "notes": NOTE,
        }
        assert {k: entry[k] for k in expected} == expected
        ratings = {r["symptom"]: r for r in sections["diary_symptoms"]}
        assert str(ratings["pain"]["score"]) == "8"
        assert ratings["pain"]["body_site"] == "lower_back"
        own = next(r for r in ratings.values() if r["own_label"] == OWN_LABEL)
        assert str(own["score"]) == "9"
        activities = {r["kind"]: r for r in sections["diary_activities"]}
        assert [str(activities["physical"][k]) for k in ("planned_minutes", "done_minutes")] == [
            "30",
            "47",
        ]
        assert str(activities["physical"]["exertion"]) == "7"
        assert str(activities["rest"]["done_minutes"]) == "25"
        # The amendment history: created, then mood 3 -> 6.
        history = sections["diary_amendments"]
        assert {r["kind"] for r in history} == {"created", "amended"}
        change = next(r for r in history if r["kind"] == "amended")
        assert (change["field"], str(change["old_value"]), str(change["new_value"])) == (
            "mood",
            "3",
            "6",
        )
        assert any(r["field"] == "notes" and r["new_value"] == NOTE for r in history)

        observation = one("caregiver_observations")
        assert (observation["sleep_disturbance"], observation["note"]) == ("10", OBSERVATION_NOTE)
        checkin = one("caregiver_checkins")
        assert [checkin[k] for k in ("observed_function", "observed_activity", "own_strain")] == [
            "3",
            "8",
            "9",
        ]
        assert "non-validated" in checkin["report"]
        followup = one("followups")
        assert (followup["telehealth_link"], followup["with"]) == (TELEHEALTH, "Dr. Export Lead")
        assert followup["status"] == "planned"
        schedule = one("prompt_schedule")
        assert (schedule["diary_reminder_time"], schedule["answer_diary_by_text"]) == (
            "20:40",
            "True",
        )
        message = one("text_messages")
        assert (message["body"], message["status"]) == (BODY, "sent")
        assert one("texts_to_care_team")["text"] == TEXT
        alert = one("alerts")
        assert (alert["note"], alert["acknowledged_by"]) == (ALERT_NOTE, "Dr. Export Lead")
        assert one("questionnaire_schedules")["instrument"] == "gad7"
        assert one("questionnaires")["total"] == "14"
        assert one("care_plan_comments")["comment"] == "Yara's question"
        assert sections["access_log"]
        thresholds = one("alert_thresholds")
        assert [thresholds[k] for k in ("days_without_diary", "symptom_rise_points")] == ["9", "4"]
        assert (thresholds["worsening_alerts"], thresholds["set_by"]) == (
            "False",
            "Dr. Export Lead",
        )
        (due,) = [r for r in sections["questionnaire_occurrences"] if r["instrument"] == "gad7"]
        assert due["status"] == "completed" and due["due_date"] and due["closes_at"]
        token = one("one_time_links")
        assert token["purpose"] == "password_reset" and token["expires_at"]
        grant = one("break_glass_access")
        assert (grant["administrator"], grant["reason"]) == ("Export Admin", BREAK_GLASS_REASON)
        conversation = one("sms_diary_conversations")
        assert (conversation["state"], conversation["answers"]) == ("completed", "2")
        assert conversation["date"] == day and conversation["ended_at"]
        link = one("sms_links")
        assert link["purpose"] == "diary_reminder" and link["redeemed_at"]
        assert one("sms_received")["kind"] == "text"
        flag = one("sms_number_flags")
        assert (flag["error_code"], flag["cleared_at"]) == ("21610", "")
        # Never a secret: no link digest, blind index or Twilio message id in any section.
        flat = json.dumps(sections, default=str)
        assert "d" * 64 not in flat and "i" * 64 not in flat and "SM-inbound-export" not in flat


def test_fhir_bundle_carries_the_diary_as_coded_observations(app, make, client, auth):
    record = full_record(make, app)
    auth.login(EMAIL, PASSWORD)
    bundle = client.get(f"/patients/{record.patient.id}/data/export.fhir").get_json(force=True)
    validated = Bundle.model_validate(bundle)
    diary = [
        entry.resource
        for entry in validated.entry
        if isinstance(entry.resource, Observation)
        and any(c.system == DIARY_SYSTEM for c in entry.resource.code.coding or [])
    ]

    def by_code(code: str) -> list[Observation]:
        return [o for o in diary if any(c.code == code for c in o.code.coding)]

    day = record.day.isoformat()
    assert all(str(o.effectiveDateTime) == day for o in diary)
    # The entry was amended after it was first saved.
    assert {o.status for o in diary} == {"amended"}
    assert by_code("mood")[0].valueInteger == 6
    assert by_code("overall-symptoms")[0].valueInteger == 4
    assert by_code("within-energy-limits")[0].valueInteger == 1
    assert by_code("rest-breaks")[0].valueInteger == 6
    # LOINC where one means exactly this: sleep duration, 0-10 pain severity (with the site).
    (sleep,) = by_code("93832-4")
    assert (sleep.valueQuantity.value, sleep.valueQuantity.code) == (450, "min")
    (pain,) = by_code("72514-3")
    assert pain.valueInteger == 8
    assert pain.bodySite.coding[0].code == "lower_back"
    assert str(by_code("bedtime")[0].valueTime) == "23:15:00"
    assert str(by_code("wake-time")[0].valueTime) == "06:45:00"
    (own,) = by_code("symptom-own")
    assert (own.code.text, own.valueInteger) == (OWN_LABEL, 9)
    (physical,) = by_code("activity-physical")
    parts = {c.code.coding[0].code: c for c in physical.component}
    assert parts["planned-minutes"].valueQuantity.value == 30
    assert parts["done-minutes"].valueQuantity.value == 47
    assert parts["exertion"].valueInteger == 7
    triggers = by_code("trigger")
    assert {t.valueCodeableConcept.text for t in triggers} >= {OWN_TAG}
    assert any(
        t.valueCodeableConcept.coding and t.valueCodeableConcept.coding[0].code == "work_stress"
        for t in triggers
    )
    assert by_code("note")[0].valueString == NOTE
    ids = [entry.resource.id for entry in validated.entry]
    assert len(ids) == len(set(ids))


def test_fhir_bundle_carries_caregivers_history_followups_texts_and_access_log(
    app, make, client, auth
):
    record = full_record(make, app)
    auth.login(EMAIL, PASSWORD)
    bundle = client.get(f"/patients/{record.patient.id}/data/export.fhir").get_json(force=True)
    resources = [entry.resource for entry in Bundle.model_validate(bundle).entry]
    patient_ref = f"Patient/{record.patient.id}"

    def of(kind: type) -> list:
        return [r for r in resources if isinstance(r, kind)]

    # Caregiver reports: Observations in Heed's caregiver system, by a RelatedPerson, non-validated.
    caregiver = {
        o.code.coding[0].code: o
        for o in of(Observation)
        if o.code.coding[0].system == CAREGIVER_SYSTEM
    }
    assert set(caregiver) == {"checkin", "observation"}
    for o in caregiver.values():
        assert o.category[0].coding[0].system == CAREGIVER_SYSTEM
        assert o.performer[0].type == "RelatedPerson"
        assert o.subject.reference == patient_ref
        assert NON_VALIDATED in [n.text for n in o.note]
    checkin = {c.code.coding[0].code: c.valueInteger for c in caregiver["checkin"].component}
    assert checkin == {"observed-function": 3, "observed-activity": 8, "own-strain": 9}
    assert caregiver["checkin"].performer[0].display == "Export Caregiver"
    seen = caregiver["observation"]
    assert str(seen.effectiveDateTime) == record.day.isoformat()
    parts = {c.code.coding[0].code: c.valueInteger for c in seen.component}
    assert parts == {
        "observed-symptom-level": 5,
        "observed-activity-level": 1,
        "observed-sleep-disturbance": 10,
    }
    assert OBSERVATION_NOTE in [n.text for n in seen.note]

    # The amendment history: a Provenance per save, targeting the day's Observations.
    observation_ids = {f"Observation/{o.id}" for o in of(Observation)}
    provenances = sorted(of(Provenance), key=lambda p: p.recorded)
    assert [p.activity.coding[0].code for p in provenances] == ["CREATE", "UPDATE"]
    for p in provenances:
        assert p.target and {t.reference for t in p.target} <= observation_ids
        assert p.agent[0].who.display == "patient"

    # The follow-up.
    (visit,) = of(FhirAppointment)
    assert visit.status == "booked" and visit.start is not None
    actors = [p.actor for p in visit.participant]
    assert actors[0].reference == patient_ref
    assert (actors[1].type, actors[1].display) == ("Practitioner", "Dr. Export Lead")
    assert TELEHEALTH not in json.dumps(bundle)

    # Texts: the prompt sent (link redacted) and the text kept from the patient.
    texts = {c.payload[0].contentString: c for c in of(Communication)}
    assert set(texts) == {BODY, TEXT}
    assert all(c.status == "completed" for c in texts.values())
    assert texts[BODY].sent is not None and texts[BODY].recipient[0].reference == patient_ref
    assert texts[TEXT].received is not None and texts[TEXT].sender.reference == patient_ref

    # The access log.
    audits = of(FhirAuditEvent)
    assert audits
    for event in audits:
        assert event.type.code == "110110" and event.recorded is not None
        assert event.outcome in ("0", "4") and event.agent[0].who.display
        assert event.entity[0].what.reference == patient_ref
    ids = [r.id for r in resources]
    assert len(ids) == len(set(ids))


def test_erasure_removes_what_the_new_sections_hold(app, make, client, auth):
    record = full_record(make, app)
    auth.login(EMAIL, PASSWORD)
    response = auth.post(
        f"/patients/{record.patient.id}/data/erase",
        {"password": PASSWORD, "understood": "y"},
        token_from=f"/patients/{record.patient.id}/data",
    )
    assert response.status_code == 302
    needles = (NOTE, OWN_TAG, OWN_LABEL, OBSERVATION_NOTE, ALERT_NOTE, TEXT, TELEHEALTH)
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, (String, Text, *ENCRYPTED_TYPES)):
                    values = db.session.scalars(select(column)).all()
                    found = json.dumps(values, ensure_ascii=False, default=str)
                    assert not any(needle in found for needle in needles), column
        assert not db.session.scalars(
            select(PromptSchedule).where(PromptSchedule.user_id == record.patient.user_id)
        ).all()
        visit = db.session.scalars(
            select(Appointment).where(Appointment.patient_id == record.patient.id)
        ).one()
        assert visit.telehealth_url is None
        user_id = record.patient.user_id
        # Number flags hold the phone's blind index: gone. Received message ids stay (Twilio
        # retries stay deduplicated) without the person. The break-glass grant and its reason
        # stay: the administrator's justification is part of the audit trail.
        assert not db.session.scalars(select(NumberFlag).where(NumberFlag.user_id == user_id)).all()
        inbound = db.session.scalars(
            select(InboundMessage).where(InboundMessage.sid == "SM-inbound-export")
        ).one()
        assert inbound.user_id is None
        grant = db.session.scalars(
            select(BreakGlassGrant).where(BreakGlassGrant.patient_id == record.patient.id)
        ).one()
        assert grant.reason == BREAK_GLASS_REASON
