"""After the demo seed, the demo clinic's agenda has a patient for every registry rule, and
the registry lists them (issue 16)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.careteam.models import Clinic, Patient
from app.db import db, utcnow
from app.demo import CLINIC_NAME, DEMO_PASSWORD
from app.registry.hooks import REASON_LABELS
from app.web.teamcare import agenda_reasons
from tests.factories import PASSWORD  # noqa: F401 - the demo has its own password


def test_demo_agenda_has_every_registry_reason(app, client, auth):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    now = utcnow()
    with app.test_request_context():
        clinic = db.session.scalar(select(Clinic).where(Clinic.name == CLINIC_NAME))
        ids = frozenset(
            db.session.scalars(select(Patient.id).where(Patient.clinic_id == clinic.id))
        )
        found = agenda_reasons(
            None, clinic_id=clinic.id, patient_ids=ids, since=now - timedelta(days=7), until=now
        )
    assert set(REASON_LABELS) <= {reason.code for reason in found}, sorted(
        {reason.code for reason in found}
    )
    auth.login("coordinator@example.org", DEMO_PASSWORD)
    html = client.get("/registry?show=attention").get_data(as_text=True)
    assert "Jordan Miller" in html or "Lucía Fernández" in html
