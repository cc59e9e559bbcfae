"""One CSV writer for every CSV Heed produces: no cell can run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from datetime import timedelta
from decimal import Decimal

from app.careteam.models import Patient
from app.csvout import safe_cell, write
from app.db import db
from app.diary import services as diary
from app.diary.queries import local_today
from app.diary.values import DiaryValues
from tests.factories import PASSWORD

NOTE = '=HYPERLINK("http://x")'
TAG = "@SUM(1+1)"


def test_text_is_neutralized_and_numbers_stay_numbers():
    assert safe_cell(NOTE) == "'" + NOTE
    for text in ("+1", "-2", "@x", "\tx", "\rx", "=1+1"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("fine") == "fine" and safe_cell(None) == ""
    assert safe_cell(-3) == -3 and safe_cell(-2.5) == -2.5 and safe_cell(Decimal("-1")) == -1
    assert safe_cell(True) == "True"
    rows = list(csv.reader(io.StringIO(write(["a", "b"], [[-3, "-3"], ["=x", 4]]))))
    assert rows == [["a", "b"], ["-3", "'-3"], ["'=x", "4"]]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_no_formula(text: str, where: str) -> None:
    for cell in _cells(text):
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), f"{where}: {cell!r}"
        if cell.startswith("-"):
            float(cell)  # only a real negative number may start with a minus


def _patient_with_formula_note(app, make):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    with app.test_request_context():
        record = db.session.get(Patient, patient.id)
        diary.record_entry(
            patient=record,
            local_date=local_today(record) - timedelta(days=1),
            values=DiaryValues(overall_symptoms=4, notes=NOTE, custom_triggers=(TAG,)),
            submission_id=uuid.uuid4(),
            actor=record.user,
        )
        db.session.commit()
    return clinician, patient


def test_patients_own_export_csv_neutralizes_formulas(app, make, client, auth):
    _clinician, patient = _patient_with_formula_note(app, make)
    auth.login(patient.user.email, PASSWORD)
    response = client.get(f"/patients/{patient.id}/data/export.csv")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    diary_csv = archive.read("diary.csv").decode()
    assert "'" + NOTE in _cells(diary_csv)
    for name in archive.namelist():
        _assert_no_formula(archive.read(name).decode(), name)


def test_clinician_summary_csv_neutralizes_formulas(app, make, client, auth):
    clinician, patient = _patient_with_formula_note(app, make)
    auth.login(clinician.email, PASSWORD)
    response = client.get(f"/patients/{patient.id}/summary.csv?period=30")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "'" + NOTE in _cells(body) and "'" + TAG in _cells(body)
    _assert_no_formula(body, "summary.csv")
