"""Versioned consent: versions, giving through the form, the PDF and its hash, withdrawal
(SMS prompts stop, caregiver grants end), material changes, bad input, export and erasure."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, date, datetime, time

import pypdf
import pytest
from fhir.resources.R4B.consent import Consent
from sqlalchemy import select, update

from app.audit import AuditEvent
from app.auth.models import User
from app.careteam.models import CaregiverLink, ConsentGrant, ConsentScope, Patient
from app.consent import demo, queries, services
from app.consent.models import (
    ConsentDecision,
    ConsentMethod,
    ConsentPdf,
    ConsentPurpose,
    ConsentRecord,
    ConsentVersion,
    VersionStatus,
)
from app.consent.pdf import AgreedDocument, Receipt, render, sha256
from app.datarights.services import as_fhir_bundle
from app.db import db
from app.prompts.models import OutboxMessage, OutboxStatus
from app.prompts.planning import local_instant
from app.prompts.services import plan_due_prompts
from app.sms.dispatch import dispatch_due
from tests.conftest import csrf_from
from tests.factories import PASSWORD
from tests.sms.fixtures import consenting


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_pdf_is_reproducible_and_arabic_text_extracts():
    receipt = Receipt(
        heading="سجل الموافقة",
        locale="ar",
        documents=(AgreedDocument("الرسائل النصية", "يجوز لهيد أن يرسل إليّ رسائل.", "1", "أوافق"),),
        facts=(("الاسم المكتوب", "سارة"),),
        moment=datetime(2026, 12, 2, 8, tzinfo=UTC),
    )
    content = render(receipt)
    assert content == render(receipt) and sha256(content) == hashlib.sha256(content).hexdigest()
    text = text_of(content)
    assert "سجل الموافقة" in text and "يجوز لهيد أن يرسل إليّ رسائل" in text and "سارة" in text


def _seeded(app, clinic):
    with app.test_request_context():
        demo.seed(db.session.merge(clinic))
        db.session.commit()


def test_publishing_retires_the_previous_version_and_published_never_changes(app, make, ctx):
    clinic = make.clinic()
    demo.seed(db.session.merge(clinic))
    first = queries.published(clinic.id, "fr")[ConsentPurpose.SMS]
    draft = services.draft(
        clinic_id=clinic.id,
        purpose=ConsentPurpose.SMS,
        locale="fr",
        title="SMS",
        body="Nouveau texte",
        author=None,
    )
    assert draft.number == first.number + 1
    services.publish(version=draft, by=None, material=False)
    assert first.status == VersionStatus.RETIRED
    assert queries.published(clinic.id, "fr")[ConsentPurpose.SMS].id == draft.id
    for version in (first, draft):
        with pytest.raises(services.ConsentError):
            services.edit(version=version, title="x", body="y")
    assert len(queries.published(clinic.id, "ar")) == 4  # every purpose, every language


def _give_page(client, patient):
    html = client.get(f"/patients/{patient.id}/consent/give").get_data(as_text=True)
    shown = re.search(r'name="shown" type="hidden" value="([^"]*)"', html).group(1)
    return html, csrf_from(html), shown


def test_patient_consents_and_gets_the_pdf_of_exactly_that(app, make, client, auth):
    clinic = make.clinic()
    patient = make.patient(
        clinic, phone="+12025550161", locale="de", timezone="Europe/Berlin", name="Jonas Beispiel"
    )
    _seeded(app, clinic)
    auth.login(patient.user.email, PASSWORD)
    html, token, shown = _give_page(client, patient)
    assert "Vorlage, von der Klinik zu prüfen." in html
    response = client.post(
        f"/patients/{patient.id}/consent/give",
        data={
            "csrf_token": token,
            "shown": shown,
            "agree": ["care", "sms"],
            "signed_name": "Jonas Beispiel",
        },
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    digest = re.search(r'id="pdf-sha256">([0-9a-f]{64})<', page).group(1)
    pdf_url = re.search(r'id="download-pdf" href="([^"]+)"', page).group(1)
    download = client.get(pdf_url)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert hashlib.sha256(download.data).hexdigest() == digest
    text = text_of(download.data)
    assert "Heed für meine Behandlung nutzen" in text and "SMS" in text
    assert "Jonas Beispiel" in text and "Europe/Berlin" in text and "Version 1" in text
    with app.app_context():
        records = db.session.scalars(select(ConsentRecord)).all()
        assert {r.purpose for r in records} == {ConsentPurpose.CARE, ConsentPurpose.SMS}
        assert {r.method for r in records} == {ConsentMethod.SELF}
        assert db.session.scalar(
            select(AuditEvent.id).where(
                AuditEvent.action == "consent.pdf", AuditEvent.object_id == digest
            )
        )
        assert queries.may_text(db.session.get(User, patient.user_id))


def test_a_form_for_another_version_is_409_nothing_saved_text_kept(app, make, client, auth):
    clinic = make.clinic()
    patient = make.patient(clinic)
    _seeded(app, clinic)
    auth.login(patient.user.email, PASSWORD)
    _html, token, shown = _give_page(client, patient)
    with app.test_request_context():  # the clinic publishes a new version meanwhile
        version = services.draft(
            clinic_id=clinic.id,
            purpose=ConsentPurpose.CARE,
            locale="en",
            title="Using Heed, v2",
            body="New words.",
            author=None,
        )
        services.publish(version=version, by=None, material=False)
        db.session.commit()
    response = client.post(
        f"/patients/{patient.id}/consent/give",
        data={
            "csrf_token": token,
            "shown": shown,
            "agree": ["care"],
            "signed_name": "Typed Name Kept",
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Typed Name Kept" in html and "New words." in html and "Nothing was saved" in html
    with app.app_context():
        assert db.session.scalars(select(ConsentRecord)).all() == []


def test_staff_record_a_verbal_consent_with_its_method(app, make, client, auth):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    patient = make.patient(clinic, team=[clinician])
    _seeded(app, clinic)
    auth.login(clinician.email, PASSWORD)
    html, token, shown = _give_page(client, patient)
    assert 'name="method"' in html
    response = client.post(
        f"/patients/{patient.id}/consent/give",
        data={
            "csrf_token": token,
            "shown": shown,
            "agree": ["care"],
            "method": "verbal",
            "signed_name": "Said Aloud",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        record = db.session.scalars(select(ConsentRecord)).one()
        assert (record.method, record.recorded_by_id) == (ConsentMethod.VERBAL, clinician.id)


NY = "America/New_York"


def test_withdrawing_sms_cancels_prompts_and_nothing_is_sent(app, make, ctx, fake):
    patient = consenting(make, app, phone="+12025550162", timezone=NY)
    day = date(2026, 6, 1)
    from zoneinfo import ZoneInfo

    plan_due_prompts(now=local_instant(day, time(19, 25), ZoneInfo(NY)))
    db.session.commit()
    assert db.session.scalars(select(OutboxMessage)).all()
    services.withdraw(
        patient=db.session.get(Patient, patient.id),
        purpose=ConsentPurpose.SMS,
        method=ConsentMethod.SELF,
        recorded_by=db.session.get(User, patient.user_id),
    )
    db.session.commit()
    dispatch_due(now=local_instant(day, time(19, 31), ZoneInfo(NY)))
    assert fake.sent == []
    statuses = {
        row.status
        for row in db.session.scalars(
            select(OutboxMessage).execution_options(populate_existing=True)
        )
    }
    assert statuses == {OutboxStatus.CANCELLED}
    plan_due_prompts(now=local_instant(date(2026, 6, 2), time(19, 25), ZoneInfo(NY)))
    assert not [
        r for r in db.session.scalars(select(OutboxMessage)) if r.status == OutboxStatus.PLANNED
    ]


def test_withdrawing_caregiver_sharing_ends_that_grant(app, make, ctx):
    patient = make.patient()
    _caregiver, link = make.caregiver(patient, [ConsentScope.VIEW_SCORES])
    _other, other_link = make.caregiver(patient, [ConsentScope.VIEW_SCORES])
    services.withdraw(
        patient=db.session.get(Patient, patient.id),
        purpose=ConsentPurpose.CAREGIVER,
        method=ConsentMethod.SELF,
        recorded_by=db.session.get(User, patient.user_id),
        link=db.session.get(CaregiverLink, link.id),
    )
    active = db.session.scalars(
        select(ConsentGrant.link_id).where(queries.grant_active(datetime.now(UTC)))
    ).all()
    assert active == [other_link.id]


def test_a_material_change_ends_older_consents(app, make, ctx):
    patient = consenting(make, app, phone="+12025550163")
    clinic_id = patient.clinic_id
    make.caregiver(patient, [ConsentScope.VIEW_SCORES])
    user = db.session.get(User, patient.user_id)
    assert queries.may_text(user)
    for purpose in (ConsentPurpose.SMS, ConsentPurpose.CAREGIVER):
        version = services.draft(
            clinic_id=clinic_id, purpose=purpose, locale="en", title="t", body="b", author=None
        )
        services.publish(version=version, by=None, material=False)
        if purpose == ConsentPurpose.SMS:  # a new version alone: the old consent still counts
            assert queries.may_text(user)
        services.mark_material(version=version)
    assert not queries.may_text(user)
    assert not db.session.scalars(
        select(ConsentGrant).where(queries.grant_active(datetime.now(UTC)))
    ).all()
    state = queries.state(db.session.get(Patient, patient.id), "en")
    assert state[ConsentPurpose.SMS].review is not None


def test_a_tampered_pdf_is_refused(app, make, client, auth):
    clinic = make.clinic()
    patient = make.patient(clinic)
    _seeded(app, clinic)
    auth.login(patient.user.email, PASSWORD)
    _html, token, shown = _give_page(client, patient)
    response = client.post(
        f"/patients/{patient.id}/consent/give",
        data={"csrf_token": token, "shown": shown, "agree": ["care"], "signed_name": "A Person"},
    )
    record_url = response.location
    with app.app_context():
        stored = db.session.scalars(select(ConsentPdf)).one()
        original = stored.content
        token = csrf_from(client.get(f"/patients/{patient.id}/consent").get_data(as_text=True))
    ok = client.post(
        f"/patients/{patient.id}/consent/verify",
        data={"csrf_token": token, "pdf": (io.BytesIO(original), "consent.pdf")},
    )
    assert ok.status_code == 200 and "This PDF is authentic" in ok.get_data(as_text=True)
    forged = original.replace(b"A Person", b"B Person")
    bad = client.post(
        f"/patients/{patient.id}/consent/verify",
        data={"csrf_token": token, "pdf": (io.BytesIO(forged + b"%tampered"), "consent.pdf")},
    )
    assert bad.status_code == 422
    assert "does not match any consent record" in bad.get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(ConsentPdf).values(content=original + b"%x"))
        db.session.commit()
    refused = client.get(f"{record_url}/pdf")
    assert refused.status_code == 409 and b"%PDF" not in refused.data
    assert "no longer matches" in refused.get_data(as_text=True)


def test_coordinator_drafts_previews_publishes_and_sees_counts(app, make, client, auth):
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    patient = make.patient(clinic)
    _seeded(app, clinic)
    with app.test_request_context():
        version = queries.published(clinic.id, "en")[ConsentPurpose.CARE]
        services.give(
            patient=db.session.get(Patient, patient.id),
            versions=[version],
            method=ConsentMethod.PAPER,
            signed_name="P",
            recorded_by=db.session.get(User, coordinator.id),
            pdf=b"%PDF-test",
        )
        db.session.commit()
    auth.login(coordinator.email, PASSWORD)
    listing = client.get("/consent/documents").get_data(as_text=True)
    assert "1 patient consented" in listing
    token = csrf_from(client.get("/consent/documents/new").get_data(as_text=True))
    created = client.post(
        "/consent/documents/new",
        data={
            "csrf_token": token,
            "purpose": "research",
            "locale": "es",
            "title": "Investigación",
            "body": "Texto nuevo.",
        },
    )
    assert created.status_code == 302
    preview = client.get(created.location).get_data(as_text=True)
    assert "Texto nuevo." in preview
    published = client.post(f"{created.location}/publish", data={"csrf_token": csrf_from(preview)})
    assert published.status_code == 302
    again = client.post(
        created.location, data={"csrf_token": csrf_from(preview), "title": "x", "body": "changed"}
    )
    assert again.status_code == 409
    with app.app_context():
        assert queries.published(clinic.id, "es")[ConsentPurpose.RESEARCH].body == "Texto nuevo."
    patient_client = app.test_client()
    assert patient_client.get("/consent/documents").status_code in (302, 401)


def test_export_has_fhir_consents_and_erasure_pseudonymises(app, make, ctx):
    from app.consent.data_rights import consents, pseudonymise_consents

    clinic = make.clinic()
    patient = db.session.get(Patient, make.patient(clinic).id)
    demo.seed(db.session.merge(clinic))
    version = queries.published(clinic.id, "en")[ConsentPurpose.SMS]
    given = services.give(
        patient=patient,
        versions=[version],
        method=ConsentMethod.SELF,
        signed_name="Name",
        recorded_by=patient.user,
        pdf=b"%PDF-x",
    )
    (section,) = consents(patient)
    (resource,) = section.fhir_resources
    assert resource["resourceType"] == "Consent" and resource["status"] == "active"
    assert resource["identifier"][0]["value"] == given.pdf_sha256
    Consent.model_validate(resource)
    bundle = as_fhir_bundle(patient)
    assert any(e["resource"]["resourceType"] == "Consent" for e in bundle["entry"])
    pseudonymise_consents(patient)
    record = db.session.scalars(
        select(ConsentRecord).execution_options(populate_existing=True)
    ).one()
    assert record.signed_name is None and record.pdf_sha256 == given.pdf_sha256
    assert record.decision == ConsentDecision.GIVEN
    assert db.session.get(ConsentPdf, given.pdf_sha256) is None
    assert db.session.scalars(select(ConsentVersion)).first() is not None


def test_no_box_ticked_or_no_name_is_a_clear_error_and_nothing_saved(app, make, client, auth):
    clinic = make.clinic()
    patient = make.patient(clinic)
    _seeded(app, clinic)
    auth.login(patient.user.email, PASSWORD)
    _html, token, shown = _give_page(client, patient)
    response = client.post(
        f"/patients/{patient.id}/consent/give",
        data={"csrf_token": token, "shown": shown, "signed_name": ""},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Tick at least one box to agree" in html and "This field is required." in html
    with app.app_context():
        assert db.session.scalars(select(ConsentRecord)).all() == []
