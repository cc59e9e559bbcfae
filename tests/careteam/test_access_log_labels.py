"""No raw codes in the access log (issue 14, defect 8): every audit action Heed records is shown
with its label, in the reader's language (e.g. "alert.inbox_view" reads "Viewed the alerts
inbox"), and so are roles and outcomes."""

from __future__ import annotations

import re
from pathlib import Path

from app.audit import AuditEvent, Outcome
from app.auth.models import User
from app.db import db
from tests.factories import PASSWORD
from tests.test_structure import recorded_audit_actions

CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")


def test_the_access_log_shows_every_recorded_action_by_its_label(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician], locale="es")
    actions = sorted(recorded_audit_actions())
    with app.test_request_context():
        actor = db.session.get(User, clinician.id)
        for action in actions:
            db.session.add(
                AuditEvent(
                    actor_id=actor.id,
                    actor_role=str(actor.role),
                    action=action,
                    patient_id=patient.id,
                    outcome=Outcome.ALLOWED,
                )
            )
        db.session.commit()
    auth.login(patient.user.email, PASSWORD)  # the patient reads who opened their record
    html = client.get(f"/patients/{patient.id}/access-log").get_data(as_text=True)
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    shown = set(CODE.findall(re.sub(r"<[^>]+>", " ", table)))
    raw = sorted(shown & set(actions))
    assert not raw, f"access log shows raw action codes: {raw}"
    assert "alert.inbox_view" in actions
    assert "Consultó la bandeja de alertas" in table
    assert "clinician" not in table


def test_time_zones_are_named_by_place_not_by_their_code(make, client, auth):
    clinician = make.clinician(locale="es")
    patient = make.patient(team=[clinician], timezone="America/Mexico_City")
    auth.login(clinician.email, PASSWORD)
    html = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert "America/Mexico_City" not in html
    assert "México (Ciudad de México)" in html


RAW_VALUE = re.compile(
    r"\{\{[^}]*(\.value\b|\|\s*title\b|\|\s*capitalize\b|\.name\s*\}\})[^}]*\}\}"
)
ATTRIBUTE = re.compile(r'[\w-]+="[^"]*"')


def test_templates_show_no_enum_value_or_code_as_text():
    """Statuses, modalities, roles and scopes are shown through their labels: a template never
    prints an enum's `.value` (or a code title-cased) as text; in attributes (classes, form
    values) codes are fine. Jinja's `title`/`capitalize` also lowercase the rest of a label
    (German nouns, 'PHQ-9'): `capfirst` is the filter for that."""
    found = []
    app_dir = Path(__file__).resolve().parents[2] / "app"
    for path in app_dir.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if RAW_VALUE.search(ATTRIBUTE.sub("", line)):
                found.append(f"{path.relative_to(app_dir)}:{number}")
    assert not found, f"show a label, not a code: {found}"
