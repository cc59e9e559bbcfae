"""No patient data in any log line: a database error through a request, and the redaction rules."""

from __future__ import annotations

import io
import logging
import sys
import uuid
from datetime import UTC, datetime

import pytest
import time_machine

from app import create_app, logs
from app.diary import writes
from tests.conftest import csrf_from
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TAG = "zebra quartz evenings"


@pytest.fixture
def root_log(app):
    """What a root handler writes, with the filters a newly created app installs on it."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    other = create_app({"DATABASE_URL": app.config["DATABASE_URL"]})
    other.extensions["heed.engine"].dispose()
    try:
        yield buffer
    finally:
        root.removeHandler(handler)


@time_machine.travel(NOW, tick=False)
def test_database_error_in_a_request_logs_no_patient_data(
    app, make, client, auth, monkeypatch, root_log
):
    patient = make.patient()
    assert auth.login(patient.user.email, PASSWORD).status_code == 302
    url = f"/patients/{patient.id}/diary/entry"
    token = csrf_from(client.get(url).get_data(as_text=True))
    day = {"csrf_token": token, "mood": "3", "stress": "7", "custom_triggers": TAG}
    assert client.post(url, data={**day, "submission_id": str(uuid.uuid4())}).status_code == 302
    # Every read misses the day already saved, so the insert hits the unique key twice: a 500.
    monkeypatch.setattr(writes, "day_state", lambda *_a, **_k: writes.DayState(None))
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    failed = client.post(url, data={**day, "submission_id": str(uuid.uuid4())})
    assert failed.status_code == 500
    logged = root_log.getvalue()
    assert "IntegrityError" in logged and "hide_parameters=True" in logged
    assert "Exception on /patients/<patient_id>/diary/entry [POST]" in logged
    page = failed.get_data(as_text=True)
    for phi in (str(patient.id), patient.id.hex, NOW.date().isoformat(), TAG, "zebra"):
        assert phi not in logged, phi
        assert phi not in page, phi


@pytest.mark.parametrize(
    ("raw", "secret"),
    [
        (
            "(psycopg.errors.CheckViolation) new row violates check constraint\n"
            "DETAIL:  Failing row contains (7d3f, 2026-11-20, 11, zebra quartz).\n"
            "[SQL: INSERT INTO diary_entries ...]",
            "zebra",
        ),
        (
            "(psycopg.errors.UniqueViolation) duplicate key value\n"
            "DETAIL:  Key (patient_id, local_date)=(7d3f0c2e, 2026-11-20) already exists.",
            "7d3f0c2e",
        ),
        ("[SQL: SELECT 1]\n[parameters: {'note': 'zebra quartz'}]\n(Background", "zebra"),
    ],
)
def test_redaction_removes_values_a_database_error_echoes(raw, secret):
    assert secret not in logs.redact(raw)
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed: %s", (raw,), None)
    logs.RedactingFilter().filter(record)
    assert secret not in record.getMessage()
    try:
        raise RuntimeError(raw)
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    logs.RedactingFilter().filter(record)
    assert secret not in logging.Formatter().format(record)
