"""Consent in a patient's export (JSON rows and FHIR R4 Consent resources, with the PDF's
SHA-256 and where to download it) and at erasure.

Erasure pseudonymises rather than deletes: a consent record is the clinic's proof of what the
patient agreed to and when (the lawful basis of what was done before), so the record stays
with its purpose, decision, version, method, times and the PDF's SHA-256; the typed name goes
and the PDF itself (which carries the name) is deleted. A copy the patient kept can still be
checked against the hash."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from app.careteam.models import Patient
from app.consent.models import (
    ConsentDecision,
    ConsentPdf,
    ConsentPurpose,
    ConsentRecord,
    ConsentVersion,
)
from app.datarights.registry import Section, eraser, exporter
from app.db import db

CONSENT_CATEGORY = "http://loinc.org"
PDF_HASH_SYSTEM = "https://heed.invalid/fhir/NamingSystem/consent-pdf-sha256"
PURPOSE_CODES = {  # v3-ActReason codes for what the consent permits
    ConsentPurpose.CARE: ("TREAT", "treatment"),
    ConsentPurpose.SMS: ("PATADMIN", "patient administration"),
    ConsentPurpose.CAREGIVER: ("FAMRQT", "family requested"),
    ConsentPurpose.RESEARCH: ("HRESCH", "healthcare research"),
}


@exporter(covers=(ConsentRecord,), sections=("consents",))
def consents(patient: Patient) -> list[Section]:
    rows = db.session.execute(
        select(ConsentRecord, ConsentVersion)
        .outerjoin(ConsentVersion, ConsentVersion.id == ConsentRecord.version_id)
        .where(ConsentRecord.patient_id == patient.id)
        .order_by(ConsentRecord.recorded_at)
    ).all()
    return [
        Section(
            "consents",
            [
                {
                    "purpose": record.purpose.value,
                    "decision": record.decision.value,
                    "method": record.method.value,
                    "version": version.number if version else None,
                    "language": record.locale,
                    "document_title": version.title if version else None,
                    "caregiver_link": str(record.caregiver_link_id)
                    if record.caregiver_link_id
                    else None,
                    "typed_name": record.signed_name,
                    "recorded_at": record.recorded_at.isoformat(),
                    "pdf_sha256": record.pdf_sha256,
                }
                for record, version in rows
            ],
            [_fhir(record, version) for record, version in rows],
        )
    ]


def _fhir(record: ConsentRecord, version: ConsentVersion | None) -> dict[str, Any]:
    code, display = PURPOSE_CODES[record.purpose]
    resource: dict[str, Any] = {
        "resourceType": "Consent",
        "id": str(record.id),
        "status": "active" if record.decision == ConsentDecision.GIVEN else "inactive",
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "treatment"
                    if record.purpose == ConsentPurpose.CARE
                    else "patient-privacy",
                }
            ]
        },
        "category": [{"coding": [{"system": CONSENT_CATEGORY, "code": "59284-0"}]}],
        "patient": {"reference": f"Patient/{record.patient_id}"},
        "dateTime": record.recorded_at.isoformat(),
        "policyRule": {"text": f"{version.title} (version {version.number}, {version.locale})"}
        if version
        else {"text": "Recorded before versioned consent"},
        "provision": {
            "type": "permit" if record.decision == ConsentDecision.GIVEN else "deny",
            "purpose": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                    "code": code,
                    "display": display,
                }
            ],
        },
    }
    if record.pdf_sha256:
        # FHIR R4's Attachment.hash is SHA-1; the PDF's SHA-256 is an identifier instead.
        resource["identifier"] = [{"system": PDF_HASH_SYSTEM, "value": record.pdf_sha256}]
        resource["sourceAttachment"] = {
            "contentType": "application/pdf",
            "title": "Record of consent",
        }
    return resource


@eraser(covers=(ConsentRecord,))
def pseudonymise_consents(patient: Patient) -> None:
    hashes = select(ConsentRecord.pdf_sha256).where(
        ConsentRecord.patient_id == patient.id, ConsentRecord.pdf_sha256.is_not(None)
    )
    db.session.execute(
        delete(ConsentPdf)
        .where(ConsentPdf.sha256.in_(hashes))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(ConsentRecord)
        .where(ConsentRecord.patient_id == patient.id)
        .values(signed_name=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
