"""Data rights: a patient's complete export (JSON, CSV, FHIR Bundle) and erasure by pseudonymization."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from typing import Any

from app import audit, csvout
from app.careteam.models import Patient
from app.datarights import registry
from app.datarights.registry import Section, collect
from app.db import utcnow

__all__ = ["as_csv_zip", "as_fhir_bundle", "as_json", "collect", "erase", "fhir_bundle"]


def as_json(patient: Patient) -> str:
    sections = collect(patient)
    document = {
        "exported_at": utcnow().isoformat(),
        "patient_id": str(patient.id),
        "sections": {section.name: section.rows for section in sections},
    }
    audit.record("patient.export", patient_id=patient.id, object_type="export", object_id="json")
    return json.dumps(document, ensure_ascii=False, indent=2, default=str)


def as_csv_zip(patient: Patient) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in collect(patient):
            columns = sorted({key for row in section.rows for key in row})
            text = csvout.write(
                columns or ["empty"], ([row.get(c) for c in columns] for row in section.rows)
            )
            archive.writestr(f"{section.name}.csv", text)
    audit.record("patient.export", patient_id=patient.id, object_type="export", object_id="csv")
    return buffer.getvalue()


def as_fhir_bundle(patient: Patient) -> dict[str, Any]:
    bundle = fhir_bundle(collect(patient))
    audit.record("patient.export", patient_id=patient.id, object_type="export", object_id="fhir")
    return bundle


def fhir_bundle(sections: Iterable[Section]) -> dict[str, Any]:
    """The FHIR R4 collection Bundle of these export sections' resources (not audited: the
    caller records who read it)."""
    resources = [resource for section in sections for resource in section.fhir_resources]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": utcnow().isoformat(),
        "entry": [
            {"fullUrl": f"urn:uuid:{resource.get('id', uuid.uuid4())}", "resource": resource}
            for resource in resources
        ],
    }


def erase(patient: Patient) -> None:
    """Remove names, contact details and free text; keep pseudonymous clinical rows and the audit trail."""
    registry.erase(patient)
    audit.record(
        "patient.erase", patient_id=patient.id, object_type="patient", object_id=str(patient.id)
    )
