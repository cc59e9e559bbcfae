"""The patient's own export is a superset of what any staff download shows about them: every
row of the clinician's summary CSV (each period) and every resource of a questionnaire's FHIR
download is found, with the same value, in the patient's export."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.db import db
from app.instruments.models import Response
from tests.conftest import Auth
from tests.datarights.records import EMAIL, ZONE, full_record
from tests.factories import PASSWORD

Rows = list[dict[str, str]]


def _local_day(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(ZoneInfo(ZONE)).date().isoformat()


def _find(export: dict[str, Rows], staff: dict[str, str]) -> list[dict[str, str]]:
    """The patient's export rows that show this staff CSV row (date, source, measure, value,
    detail). A source or measure this map does not know fails: extend the patient's export
    (and this map) whenever the staff CSV grows."""
    day, source, measure, value, detail = (
        staff[k] for k in ("date", "source", "measure", "value", "detail")
    )
    if source == "diary":
        if measure.startswith("symptom:"):
            key = measure.removeprefix("symptom:")
            return [
                r
                for r in export["diary_symptoms"]
                if (r["date"], r["symptom"], r["score"], r["body_site"])
                == (day, key, value, detail)
            ]
        if measure.startswith("activity_minutes:"):
            kind = measure.removeprefix("activity_minutes:")
            return [
                r
                for r in export["diary_activities"]
                if (r["date"], r["kind"], r["done_minutes"]) == (day, kind, value)
            ]
        days = [r for r in export["diary"] if r["date"] == day]
        if measure == "trigger":
            return [
                r
                for r in days
                if value in [*r["triggers"].split(","), *r["own_triggers"].split(",")]
            ]
        column = "notes" if measure == "note" else measure
        return [r for r in days if r[column] == value]
    if source == "questionnaire":
        instrument = measure.removesuffix(":total")
        band, *language = detail.split(";")
        return [
            r
            for r in export["questionnaires"]
            if r["instrument"] == instrument
            and _local_day(r["submitted_at"]) == day
            and (r["total"], r["band"]) == (value, band)
            and all(part == f"answered_in={r['language']}" for part in language)
        ]
    if source == "caregiver_report":
        if "checkin" in detail.split(";"):
            return [
                r
                for r in export["caregiver_checkins"]
                if _local_day(r["submitted_at"]) == day
                and r[measure] == value
                and "non-validated" in r["report"]
            ]
        return [
            r for r in export["caregiver_observations"] if r["date"] == day and r[measure] == value
        ]
    raise AssertionError(f"unknown staff CSV source {source!r}: add it to the patient's export")


def test_patient_export_holds_everything_staff_can_download(app, make):
    record = full_record(make, app)
    staff, patient = app.test_client(), app.test_client()
    Auth(staff).login(record.clinician.email, PASSWORD)
    Auth(patient).login(EMAIL, PASSWORD)
    pid = record.patient.id

    archive = zipfile.ZipFile(io.BytesIO(patient.get(f"/patients/{pid}/data/export.csv").data))
    export = {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
    }
    bundle = patient.get(f"/patients/{pid}/data/export.fhir").get_json(force=True)
    mine = {entry["resource"]["id"]: entry["resource"] for entry in bundle["entry"]}

    shown: list[dict[str, str]] = []
    for period in ("since_last", "30", "90", "365"):
        response = staff.get(f"/patients/{pid}/summary.csv?period={period}")
        assert response.status_code == 200
        shown += list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    # The fixture fills every kind of staff row, so this test cannot pass vacuously.
    kinds = {(r["source"], r["measure"].split(":")[0]) for r in shown}
    assert {
        ("diary", "symptom"),
        ("diary", "activity_minutes"),
        ("diary", "trigger"),
        ("diary", "note"),
        ("diary", "rest_breaks"),
        ("diary", "within_limits"),
        ("questionnaire", "gad7"),
        ("caregiver_report", "note"),
        ("caregiver_report", "own_strain"),
    } <= kinds
    missing = [row for row in shown if not _find(export, row)]
    assert not missing, missing

    with app.app_context():
        response_ids = db.session.scalars(
            select(Response.id).where(
                Response.patient_id == pid, Response.submitted_at.is_not(None)
            )
        ).all()
    assert response_ids
    for response_id in response_ids:
        download = staff.get(f"/patients/{pid}/responses/{response_id}/fhir").get_json()
        for entry in download["entry"]:
            resource = entry["resource"]
            assert json.dumps(mine.get(resource["id"]), sort_keys=True) == json.dumps(
                resource, sort_keys=True
            ), resource["id"]
