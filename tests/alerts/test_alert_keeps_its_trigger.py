"""An alert keeps the answers and the response revision that raised it; when the patient
changes the answer afterwards, the alert's history shows both, and so does the export."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from app.alerts.models import Alert, AlertSource
from app.careteam.models import Patient
from app.datarights import services as datarights
from app.db import db
from app.instruments.models import Response
from tests.conftest import csrf_from
from tests.factories import PASSWORD
from tests.instruments.conftest import build


def _answer_item_9(client, answer_url: str, value: str) -> None:
    url = f"{answer_url}?step=8"
    html = client.get(url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)
    moved = client.post(
        url,
        data={
            "csrf_token": csrf_from(html),
            "submission_key": key,
            "item_9": value,
            "action": "next",
        },
    )
    assert moved.status_code == 302


def test_the_alert_shows_the_answer_that_raised_it_and_the_changed_one(app, make, client, auth):
    s = build(app, make)
    auth.login(s.patient.user.email, PASSWORD)
    _answer_item_9(client, s.answer_url, "2")
    _answer_item_9(client, s.answer_url, "0")  # the patient goes back and changes the answer
    auth.logout()

    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        [source] = db.session.scalars(select(AlertSource)).all()
        assert source.snapshot["items"] == {"9": 2}
        assert source.snapshot["revision"] == 1
        assert source.snapshot["response_id"] == str(response.id)
        assert source.latest["items"] == {"9": 0}
        assert source.latest["revision"] == response.revision == 2
        assert db.session.scalars(select(Alert)).one().acknowledged_at is None

    auth.login(s.clinician.email, PASSWORD)
    record = client.get(f"/patients/{s.patient.id}").get_data(as_text=True)
    then = record.index("PHQ-9 item 9: 2 (answer revision 1)")
    changed = record.index("Changed afterwards")
    now = record.index("PHQ-9 item 9: 0 (answer revision 2)")
    assert then < changed < now

    with app.test_request_context():
        document = json.loads(datarights.as_json(db.session.get(Patient, s.patient.id)))
        [row] = document["sections"]["alerts"]
        assert (row["rule"], row["values_then"], row["revision_then"]) == (
            "critical_answer",
            "9=2",
            1,
        )
        assert (row["values_changed_to"], row["revision_changed"]) == ("9=0", 2)


def test_saving_other_answers_does_not_record_a_change(app, make, client, auth):
    s = build(app, make)
    auth.login(s.patient.user.email, PASSWORD)
    _answer_item_9(client, s.answer_url, "1")
    url = f"{s.answer_url}?step=0"
    html = client.get(url).get_data(as_text=True)
    client.post(url, data={"csrf_token": csrf_from(html), "item_1": "2", "action": "next"})
    with app.app_context():
        source = db.session.scalars(select(AlertSource)).one()
        assert source.latest is None and not source.changed
        assert db.session.scalars(select(Response)).one().revision == 2
