"""What the clinician reads first: the summary's top card and score table say what happened
("PHQ-9 14, Moderate; +4 since the last visit; moved up a band"), an incomplete latest response
is shown as such on the record, the summary and the caseload, alerts come urgent first, and
instruments carry their published names ("GAD-7", never "GAD7")."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import time_machine

from app.alerts import rules
from app.alerts.models import Alert, Severity
from app.db import db
from app.followups.models import AppointmentStatus
from app.web.charts import rolling_mean
from tests.conftest import Auth  # noqa: F401 - the auth fixture's type
from tests.factories import PASSWORD
from tests.trends.conftest import add_visit, insert_answered

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


def _answers(app, patient, clinician, instrument, rows, top=27) -> None:
    """rows: (days ago, total or None, answers)."""
    rows = [(TODAY - timedelta(days=ago), total, answers) for ago, total, answers in rows]
    insert_answered(app, patient, clinician, instrument, rows, top)


def _alert(app, patient, rule, severity, hours_ago) -> None:
    with app.app_context():
        db.session.add(
            Alert(
                patient_id=patient.id,
                rule_code=rule,
                severity=severity,
                source_type="test",
                source_id=uuid.uuid4(),
                repeat_count=0,
                created_at=NOW - timedelta(hours=hours_ago),
            )
        )
        db.session.commit()


def _glance(html: str) -> str:
    return html.split('id="glance-heading"', 1)[1].split("</section>\n", 1)[0]


@time_machine.travel(NOW, tick=False)
def test_top_card_names_the_change_since_the_last_visit(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician], timezone="UTC")
    add_visit(app, patient, clinician, NOW - timedelta(days=10), AppointmentStatus.DONE)
    _answers(app, patient, clinician, "phq9", [(40, 6, {}), (20, 10, {}), (2, 14, {})])
    _answers(app, patient, clinician, "gad7", [(20, 8, {}), (2, 8, {})], top=21)
    auth.login(clinician.email, PASSWORD)
    html = client.get(f"/patients/{patient.id}/summary").get_data(as_text=True)
    card = _glance(html)
    assert "PHQ-9 14, Moderate; +4 since the last visit" in card
    assert "GAD-7 8, Mild; no change since the last visit" in card
    assert "threshold reached" not in html and "GAD7" not in html
    scores = html.split('id="scores-heading"', 1)[1].split("</section>", 1)[0]
    assert "+4 since the last visit" in scores
    assert "Since the first score (" in scores and "+8" in scores
    record = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    schedules = record.split(">Schedules<", 1)[1].split("</ul>", 1)[0]
    assert "GAD-7 · " in schedules and "PHQ-9 · " in schedules and "GAD7" not in record


@time_machine.travel(NOW, tick=False)
def test_band_moves_and_first_scores_are_named(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician], timezone="UTC")
    _answers(app, patient, clinician, "phq9", [(30, 8, {}), (2, 12, {})])
    _answers(app, patient, clinician, "gad7", [(2, 16, {})], top=21)
    auth.login(clinician.email, PASSWORD)
    card = _glance(client.get(f"/patients/{patient.id}/summary").get_data(as_text=True))
    # No visit yet: the change is since the first score.
    assert "PHQ-9 12, Moderate; +4 since the first score; moved up a band" in card
    assert "GAD-7 16, Severe; first score" in card


@time_machine.travel(NOW, tick=False)
def test_incomplete_latest_response_is_shown_as_such_everywhere(app, make, client, auth):
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    coordinator = make.coordinator(clinic)
    patient = make.patient(clinic, team=[clinician], timezone="UTC", name="Ira Incomplete")
    answered = {str(n): 1 for n in range(1, 8)}  # items 8 and 9 skipped
    _answers(app, patient, clinician, "phq9", [(30, 15, {}), (16, 14, {}), (2, None, answered)])
    auth.login(clinician.email, PASSWORD)

    html = client.get(f"/patients/{patient.id}/summary").get_data(as_text=True)
    card = _glance(html)
    assert "PHQ-9 latest response, " in card
    assert "incomplete: 2 items not answered, no total" in card
    assert "last complete score (" in card and "): 14, Moderate" in card
    assert "PHQ-9 14" not in card  # the older total is never the "latest"
    scores = html.split('id="scores-heading"', 1)[1].split("</section>", 1)[0]
    assert "incomplete: 2 items not answered, no total" in scores
    assert "Last complete score (" in scores
    assert "no total for the latest response" in scores

    record = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    panel = record.split('id="scores-heading"', 1)[1].split("</section>", 1)[0]
    assert "PHQ-9 latest response, " in panel
    assert "incomplete: 2 items not answered, no total" in panel
    assert "Last complete score (" in panel and "14, Moderate" in panel
    assert "Not computable: incomplete: 2 items not answered" in panel

    auth.logout()
    auth.login(coordinator.email, PASSWORD)
    row = client.get("/registry").get_data(as_text=True).split("Ira Incomplete", 1)[1]
    row = row.split("</tr>", 1)[0]
    assert "incomplete: 2 items not answered, no total" in row
    assert "): 14, Moderate" in row


@time_machine.travel(NOW, tick=False)
def test_caseload_cell_never_contradicts_itself(app, make, client, auth):
    """15 then 14: "-1 since the previous score", with no "worse" from another comparison."""
    clinic = make.clinic()
    clinician = make.clinician(clinic)
    coordinator = make.coordinator(clinic)
    patient = make.patient(clinic, team=[clinician], timezone="UTC", name="Cas Cell")
    _answers(app, patient, clinician, "phq9", [(60, 4, {}), (30, 15, {}), (2, 14, {})])
    auth.login(coordinator.email, PASSWORD)
    row = client.get("/registry").get_data(as_text=True).split("Cas Cell", 1)[1]
    row = row.split("</tr>", 1)[0]
    assert "14, Moderate; \u22121 since the previous score" in row
    cell = row.split("14, Moderate", 1)[1].split("</td>", 1)[0]
    assert "worse" not in cell and "up" not in cell


@time_machine.travel(NOW, tick=False)
def test_alerts_urgent_first_and_published_instrument_names(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician], timezone="UTC")
    _alert(app, patient, rules.NO_DIARY, Severity.NORMAL, 1)  # newest, but normal
    _alert(app, patient, rules.worsening_rule("gad7"), Severity.NORMAL, 3)
    _alert(app, patient, rules.MESSAGE_TO_READ, Severity.URGENT, 5)
    _alert(app, patient, rules.SYMPTOM_RISE, Severity.URGENT, 2)
    _alert(app, patient, rules.CRITICAL_ANSWER, Severity.URGENT, 9)  # oldest, but critical
    auth.login(clinician.email, PASSWORD)
    html = client.get(f"/patients/{patient.id}/summary").get_data(as_text=True)
    section = html.split('id="alerts-heading"', 1)[1].split("</section>", 1)[0]
    order = [
        section.index(str(rules.rule_label(code)))
        for code in (
            rules.CRITICAL_ANSWER,
            rules.SYMPTOM_RISE,
            rules.MESSAGE_TO_READ,
            rules.NO_DIARY,
        )
    ]
    assert order == sorted(order)
    assert section.index("Worsening on GAD-7") > order[2]
    card = _glance(html)
    assert "Critical:" in card and card.count('<li class="urgent">') == 3
    assert "GAD7" not in html

    inbox = client.get("/alerts").get_data(as_text=True)
    assert "Worsening on GAD-7 beyond its threshold" in inbox and "GAD7" not in inbox
    record = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert "GAD7" not in record


def test_rolling_mean_recorded_days_only():
    assert rolling_mean([]) == []
    # The first days: fewer than 4 recorded in the (shorter) window.
    assert rolling_mean([2, 2, 2, 2, 6, 6, 6, 6]) == [None, None, None, 2, 2.8, 3.33, 3.71, 4.29]
    # Missing days are left out, never zeros: 4 of 7 recorded is enough.
    values = [None, 4, None, 6, None, 8, 10, None, None, None, None, None, None, None]
    out = rolling_mean(values)
    assert out[6] == 7.0  # mean of 4, 6, 8, 10
    assert out[7] == 7.0 and out[8] is None  # then 6, 8, 10 only: left out, the gap stays a gap
    assert all(v is None for v in out[8:])
    assert rolling_mean([None] * 10) == [None] * 10
    assert rolling_mean([0, 0, 0, 0]) == [None, None, None, 0.0]
