"""Ids in URLs are typed by the route (``<uuid:...>``): no view parses one by hand, a malformed
id is a 404 before any view runs, and the refusal is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.routing import UUIDConverter

from app.audit import AuditEvent, Outcome
from app.db import db
from tests.factories import PASSWORD

# Ids that are not UUIDs: an instrument is named by its code ("phq9").
NAMED_IDS = {"instrument_id"}
MALFORMED = ["not-a-uuid", "1", "2147483648", "1%27%20OR%201%3D1", "0" * 32]


def test_every_id_in_a_url_is_typed_by_the_route(app) -> None:
    untyped = [
        f"{rule.rule}: {name}"
        for rule in app.url_map.iter_rules()
        for name in sorted(rule.arguments)
        if name.endswith("_id")
        and name not in NAMED_IDS
        and name in rule._converters  # not a default-only argument (e.g. a "new" form)
        and not isinstance(rule._converters[name], UUIDConverter)
    ]
    assert not untyped, "type these with <uuid:...>:\n" + "\n".join(untyped)
    typed = {
        name
        for rule in app.url_map.iter_rules()
        for name, converter in rule._converters.items()
        if isinstance(converter, UUIDConverter)
    }
    assert {"patient_id", "alert_id", "appointment_id", "link_id", "occurrence_id"} <= typed


def _events(app, actor_id) -> list[tuple[str, Outcome, str | None, object]]:
    with app.app_context():
        return [
            (e.action, e.outcome, e.object_type, e.patient_id)
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.actor_id == actor_id).order_by(AuditEvent.id)
            )
        ]


@pytest.mark.parametrize("bad", MALFORMED)
def test_a_malformed_sub_resource_id_is_a_404_audited_before_any_view(
    app, make, client, auth, bad: str
) -> None:
    """The patient is the clinician's own: before, the view opened the record (audited as an
    allowed access) and only then found no alert; now routing refuses the URL itself."""
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    token = auth.token("/")
    before = len(_events(app, clinician.id))
    for method, url in (
        ("post", f"/patients/{patient.id}/alerts/{bad}/acknowledge"),
        ("post", f"/patients/{patient.id}/followups/{bad}/status"),
        ("post", f"/patients/{patient.id}/caregivers/{bad}"),
        ("get", f"/patients/{patient.id}/questionnaires/{bad}"),
        ("get", f"/patients/{patient.id}/responses/{bad}/fhir"),
        ("get", f"/patients/{bad}/diary/history"),
    ):
        data = {"csrf_token": token} if method == "post" else None
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 404, url
        assert "Page not found" in response.get_data(as_text=True), url
    # One refusal per request, and no access to the record: no view ran.
    events = _events(app, clinician.id)[before:]
    assert events == [("request.refused", Outcome.DENIED, "http_404", None)] * 6


def test_the_same_id_in_capitals_reaches_the_same_page(app, make, client, auth) -> None:
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    page = client.get(f"/patients/{str(patient.id).upper()}/diary/history")
    assert page.status_code == 200
    assert f"/patients/{patient.id}/diary/patterns" in page.get_data(as_text=True)
