"""The registry page and CSV (issue 16): who sees whom, baseline / latest / change, response and
remission, treat-to-target with the conferences' review column, filters and sorting by GET,
missing shown as missing, the CSV audited and formula-safe, bad parameters a 400, the old
caseload URL redirecting, and a query count that does not grow with the number of patients."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.alerts.models import Alert, Severity
from app.audit import AuditEvent
from app.db import db
from app.followups.models import AppointmentStatus
from app.signals import registry_columns
from app.web.teamcare import RegistryColumn
from tests.factories import PASSWORD
from tests.trends.conftest import add_visit, insert_answered, many_patients

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


def _phq9(app, patient, clinician, rows) -> None:
    """rows: (days ago, total)."""
    insert_answered(
        app, patient, clinician, "phq9", [(TODAY - timedelta(days=d), t, None) for d, t in rows], 27
    )


def _row(html: str, name: str) -> str:
    return html.split(name, 1)[1].split("</tr>", 1)[0]


@pytest.fixture
def review_column():
    """A stand-in for the conferences feature's "days_since_review" column (one query)."""
    reviews: dict = {}

    def column(_sender, *, clinic_id, patient_ids, today):
        db.session.execute(select(Alert.id).limit(1)).all()  # a constant read, like a real one
        return RegistryColumn(
            key="days_since_review",
            label="Days since review",
            values={pid: reviews.get(pid) for pid in patient_ids},
        )

    registry_columns.connect(column, weak=False)
    yield reviews
    registry_columns.disconnect(column)


@time_machine.travel(NOW, tick=False)
def test_coordinator_sees_the_clinic_and_clinician_their_teams(app, make, client, auth):
    clinic, other = make.clinic(), make.clinic()
    coordinator = make.coordinator(clinic)
    clinician = make.clinician(clinic)
    make.patient(clinic, team=[clinician], name="Team Patient")
    make.patient(clinic, name="Clinic Patient")
    make.patient(other, name="Their Patient")
    auth.login(coordinator.email, PASSWORD)
    html = client.get("/registry").get_data(as_text=True)
    assert "Team Patient" in html and "Clinic Patient" in html and "Their Patient" not in html
    assert 'href="/registry"' in html  # navigation entry
    auth.logout()
    auth.login(clinician.email, PASSWORD)
    html = client.get("/registry").get_data(as_text=True)
    assert "Team Patient" in html and "Clinic Patient" not in html
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "registry.view", AuditEvent.actor_id == clinician.id
            )
        )


@time_machine.travel(NOW, tick=False)
def test_others_get_404_and_the_caseload_redirects(app, make, client, auth):
    clinic = make.clinic()
    patient = make.patient(clinic, name="Pat Only")
    admin = make.admin()
    coordinator = make.coordinator(clinic)
    assert client.get("/registry").status_code in (302, 401)  # sign in first
    auth.login(patient.user.email, PASSWORD)
    assert client.get("/registry").status_code == 404
    assert client.get("/registry.csv").status_code == 404
    auth.logout()
    auth.login(admin.email, PASSWORD)
    assert client.get("/registry").status_code == 404
    auth.logout()
    auth.login(coordinator.email, PASSWORD)
    old = client.get("/caseload")
    assert old.status_code == 301 and old.headers["Location"].endswith("/registry")


@time_machine.travel(NOW, tick=False)
def test_bad_parameters_are_a_400_and_nothing_is_listed(app, make, client, auth):
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    make.patient(clinic, name="Never Listed")
    auth.login(coordinator.email, PASSWORD)
    assert client.get("/registry?sort=%00").status_code == 400  # the app-wide NUL check
    for bad in ("show=everyone", "sort=email", "dir=up", "show=all&sort=phq9&dir=%20"):
        response = client.get(f"/registry?{bad}")
        assert response.status_code == 400, bad
        text = response.get_data(as_text=True)
        assert "Unknown filter or sort order" in text and "Never Listed" not in text
        assert client.get(f"/registry.csv?{bad}").status_code == 400


@time_machine.travel(NOW, tick=False)
def test_baseline_latest_change_response_and_missing(app, make, client, auth):
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    clinician = make.clinician(clinic)
    early = NOW - timedelta(weeks=12)
    responder = make.patient(clinic, team=[clinician], name="Rae Responder", enrolled_at=early)
    _phq9(app, responder, clinician, [(80, 18), (10, 8)])
    remitter = make.patient(clinic, team=[clinician], name="Remy Remission", enrolled_at=early)
    _phq9(app, remitter, clinician, [(80, 8), (10, 4)])
    make.patient(clinic, team=[clinician], name="Nia Nodata", enrolled_at=NOW - timedelta(hours=1))
    auth.login(coordinator.email, PASSWORD)
    html = client.get("/registry").get_data(as_text=True)
    row = _row(html, "Rae Responder")
    assert "<td>12</td>" in row  # weeks in treatment
    assert "<td>18</td>" in row and "\u221210 (\u221256 %)" in row and "response" in row
    row = _row(html, "Remy Remission")
    assert "remission" in row
    row = _row(html, "Nia Nodata")
    # Baselines, changes, diary (no day to count yet), last contact, next visit: missing.
    assert row.count('aria-label="missing"') == 7
    assert "0 %" not in row


@time_machine.travel(NOW, tick=False)
def test_treat_to_target_needs_a_review_since_week_8(app, make, client, auth, review_column):
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    clinician = make.clinician(clinic)
    enrolled = NOW - timedelta(weeks=11)
    flagged = make.patient(clinic, team=[clinician], name="Tia Target", enrolled_at=enrolled)
    reviewed = make.patient(clinic, team=[clinician], name="Rob Reviewed", enrolled_at=enrolled)
    early = make.patient(clinic, team=[clinician], name="Eli Early", enrolled_at=enrolled)
    for patient in (flagged, reviewed, early):
        _phq9(app, patient, clinician, [(75, 16), (7, 14)])
    review_column[reviewed.id] = 14  # week 10: since the start of week 8
    review_column[early.id] = 40  # week 6: too early
    auth.login(coordinator.email, PASSWORD)
    html = client.get("/registry?show=treat_to_target").get_data(as_text=True)
    assert "Tia Target" in html and "Eli Early" in html and "Rob Reviewed" not in html
    assert "Days since review" in html
    assert "<td>14</td>" in _row(client.get("/registry").get_data(as_text=True), "Rob Reviewed")
    # Sorted by the extra column, missing last either way.
    for order in ("asc", "desc"):
        html = client.get(f"/registry?sort=days_since_review&dir={order}").get_data(as_text=True)
        positions = [html.index(n) for n in ("Rob Reviewed", "Eli Early", "Tia Target")]
        assert positions[2] == max(positions)
        assert (positions[0] < positions[1]) == (order == "asc")


@time_machine.travel(NOW, tick=False)
def test_filters_no_contact_not_improving_and_sort(app, make, client, auth):
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    clinician = make.clinician(clinic)
    enrolled = NOW - timedelta(weeks=11)
    silent = make.patient(clinic, team=[clinician], name="Sil Silent", enrolled_at=enrolled)
    add_visit(app, silent, clinician, NOW - timedelta(days=40), AppointmentStatus.DONE)
    seen = make.patient(clinic, team=[clinician], name="See Seen", enrolled_at=enrolled)
    add_visit(app, seen, clinician, NOW - timedelta(days=3), AppointmentStatus.DONE)
    _phq9(app, seen, clinician, [(75, 16), (7, 14)])
    auth.login(coordinator.email, PASSWORD)
    html = client.get("/registry?show=no_contact").get_data(as_text=True)
    assert "Sil Silent" in html and "See Seen" not in html
    html = client.get("/registry?show=not_improving").get_data(as_text=True)
    assert "See Seen" in html and "Sil Silent" not in html
    assert "not improving: consider consultation" in html
    html = client.get("/registry?sort=last_contact&dir=desc").get_data(as_text=True)
    assert html.index("See Seen") < html.index("Sil Silent")
    assert 'aria-sort="descending"' in html
    html = client.get("/registry?show=attention").get_data(as_text=True)
    assert "See Seen" in html and "Sil Silent" in html


@time_machine.travel(NOW, tick=False)
def test_csv_is_filtered_formula_safe_and_audited(app, make, client, auth, review_column):
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    clinician = make.clinician(clinic)
    enrolled = NOW - timedelta(weeks=11)
    evil = make.patient(clinic, team=[clinician], name="=HYPERLINK(1)", enrolled_at=enrolled)
    _phq9(app, evil, clinician, [(75, 16), (7, 14)])
    make.patient(clinic, team=[clinician], name="Calm Newcomer")
    auth.login(coordinator.email, PASSWORD)
    response = client.get("/registry.csv?show=treat_to_target")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["patient", "weeks_in_treatment", "phq9_baseline"]
    assert rows[0][-1] == "days_since_review"
    assert len(rows) == 2 and rows[1][0] == "'=HYPERLINK(1)"
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["phq9_baseline"] == "16" and record["phq9_change"] == "-2"
    assert record["gad7_latest"] == "" and record["days_since_review"] == ""
    assert record["treat_to_target"] == "yes" and record["phq9_response"] == "no"
    html = client.get("/registry?show=treat_to_target").get_data(as_text=True)
    assert 'href="/registry.csv?show=treat_to_target"' in html
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "registry.export"))


def _render_count(client, count_queries) -> int:
    with count_queries() as statements:
        assert client.get("/registry").status_code == 200
        return len(statements)


@time_machine.travel(NOW, tick=False)
def test_query_count_does_not_grow_with_patients(
    app, make, client, auth, count_queries, review_column
):
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    clinician = make.clinician(clinic)
    many_patients(app, clinic_id=clinic.id, clinician_id=clinician.id, count=5, now=NOW)
    auth.login(coordinator.email, PASSWORD)
    client.get("/registry")  # warm-up: the session's first request loads the user
    small = _render_count(client, count_queries)
    many_patients(app, clinic_id=clinic.id, clinician_id=clinician.id, count=10, now=NOW)
    with app.app_context():
        db.session.add(
            Alert(
                patient_id=make.patient(clinic, name="Alerted").id,
                rule_code="no_diary",
                severity=Severity.NORMAL,
                source_type="test",
                source_id=uuid.uuid4(),
            )
        )
        db.session.commit()
    large = _render_count(client, count_queries)
    html = client.get("/registry").get_data(as_text=True)
    assert html.count('<th scope="row">') == 16
    assert small == large, (small, large)


@time_machine.travel(NOW, tick=False)
def test_pages_keep_the_filter_and_the_csv_has_every_row(app, make, client, auth, monkeypatch):
    from app.registry import build

    monkeypatch.setattr(build, "PAGE_SIZE", 2)
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    for name in ("Ann One", "Ben Two", "Cy Three"):
        make.patient(clinic, name=name)
    auth.login(coordinator.email, PASSWORD)
    first = client.get("/registry?sort=name").get_data(as_text=True)
    assert "Ann One" in first and "Ben Two" in first and "Cy Three" not in first
    assert "Page 1 of 2" in first and 'href="/registry?sort=name&amp;page=2"' in first
    second = client.get("/registry?sort=name&page=2").get_data(as_text=True)
    assert "Cy Three" in second and "Ann One" not in second and "rows 3 to 3" in second
    assert "Cy Three" in client.get("/registry?sort=name&page=9").get_data(as_text=True)
    for bad in ("page=0", "page=x", "page=-1"):
        assert client.get(f"/registry?{bad}").status_code == 400
    rows = client.get("/registry.csv?sort=name&page=2").get_data(as_text=True).splitlines()
    assert len(rows) == 4
