"""Fixed query counts: 3 years of daily entries and fortnightly questionnaires cost the same
as a few days; an upcoming list of 500 patients costs the same as one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from app.auth.models import Discipline
from app.followups.models import AppointmentStatus
from tests.conftest import Auth
from tests.factories import PASSWORD
from tests.trends.conftest import add_visit, bulk_history, bulk_questionnaires, many_patients

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
THREE_YEARS = 3 * 365


def _selects(statements: list[str]) -> int:
    return sum(1 for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH")))


def _summary_counts(app, count_queries, clinician, patient) -> dict[str, tuple[int, int]]:
    client = app.test_client()
    Auth(client).login(clinician.email, PASSWORD)
    counts = {}
    for period in ("since_last", "30", "90", "365"):
        for page in ("summary", "summary/print"):
            with count_queries() as statements:
                response = client.get(f"/patients/{patient.id}/{page}?period={period}")
            assert response.status_code == 200, (page, period)
            counts[f"{page}:{period}"] = (len(statements), _selects(statements))
    with count_queries() as statements:
        assert client.get(f"/patients/{patient.id}/summary.csv?period=365").status_code == 200
    counts["csv"] = (len(statements), _selects(statements))
    return counts


@time_machine.travel(NOW, tick=False)
def test_summary_queries_do_not_grow_with_history(app, make, count_queries):
    clinician = make.clinician(discipline=Discipline.PRIMARY_CARE)
    newcomer = make.patient(team=[clinician])
    veteran = make.patient(team=[clinician])
    assert bulk_history(app, veteran, days=THREE_YEARS, end=NOW.date()) == THREE_YEARS
    assert bulk_questionnaires(app, veteran, clinician, weeks=156, end=NOW.date()) == 156
    bulk_history(app, newcomer, days=3, end=NOW.date())
    bulk_questionnaires(app, newcomer, clinician, weeks=2, end=NOW.date())
    for patient in (newcomer, veteran):
        add_visit(app, patient, clinician, NOW - timedelta(days=40), AppointmentStatus.DONE)
    few = _summary_counts(app, count_queries, clinician, newcomer)
    many = _summary_counts(app, count_queries, clinician, veteran)
    assert many == few
    selects = max(s for _total, s in many.values())
    # About 13 for the summary itself (one of them the care-plan change times the top card
    # and the charts' markers show), plus one for the navigation's open-alert count, plus one
    # for the social-needs card beside the top card (app/instruments/needs.py), plus one for
    # the education section (lessons recommended, opened and practised).
    assert selects <= 16, many


@time_machine.travel(NOW, tick=False)
def test_upcoming_list_queries_do_not_grow_with_patients(app, make, count_queries):
    clinic = make.clinic()
    clinician = make.clinician(clinic, discipline=Discipline.PRIMARY_CARE)
    one = make.patient(clinic, team=[clinician])
    add_visit(app, one, clinician, NOW + timedelta(hours=2))
    client = app.test_client()
    Auth(client).login(clinician.email, PASSWORD)
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    small = (len(statements), _selects(statements))

    many_patients(app, clinic_id=clinic.id, clinician_id=clinician.id, count=499, now=NOW)
    with count_queries() as statements:
        response = client.get("/")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="card upcoming-row') == 500
    large = (len(statements), _selects(statements))
    assert large == small
    # the staff home's sections (conference actions, referrals waiting and sent, the
    # clinician's own experience aggregate) read a constant number of rows each
    assert large[1] <= 18, large
