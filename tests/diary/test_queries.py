"""Query budget: pages and saves use a fixed number of SQL statements, whatever the history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import time_machine

from tests.conftest import Auth, csrf_from
from tests.diary.conftest import bulk_history
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
THREE_YEARS = 3 * 365


def _statements(app, count_queries, patient) -> dict[str, int]:
    client = app.test_client()
    Auth(client).login(patient.user.email, PASSWORD)
    base = f"/patients/{patient.id}/diary"
    token = csrf_from(client.get(f"{base}/entry").get_data(as_text=True))
    counts = {}
    for name, call in {
        "form": lambda: client.get(f"{base}/entry"),
        "quick_form": lambda: client.get(f"{base}/quick"),
        "save": lambda: client.post(
            f"{base}/entry",
            data={"csrf_token": token, "submission_id": str(uuid.uuid4()), "mood": "4"},
        ),
        "amend": lambda: client.post(
            f"{base}/entry",
            data={"csrf_token": token, "submission_id": str(uuid.uuid4()), "mood": "5"},
        ),
        "history_30": lambda: client.get(f"{base}/history"),
        "history_90": lambda: client.get(f"{base}/history?days=90&month=2026-09"),
        "patterns": lambda: client.get(f"{base}/patterns"),
        "record": lambda: client.get(f"/patients/{patient.id}"),
    }.items():
        with count_queries() as statements:
            response = call()
        assert response.status_code in (200, 302), name
        counts[name] = len(statements)
    return counts


@time_machine.travel(NOW, tick=False)
def test_query_counts_do_not_grow_with_history(app, make, count_queries):
    newcomer, veteran = make.patient(), make.patient()
    assert bulk_history(app, veteran, days=THREE_YEARS, end=NOW.date()) == THREE_YEARS
    bulk_history(app, newcomer, days=3, end=NOW.date())
    few = _statements(app, count_queries, newcomer)
    many = _statements(app, count_queries, veteran)
    assert many == few
    assert max(many.values()) <= 25, many
