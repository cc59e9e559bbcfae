"""Missing is never zero in the trend views: days without a value stay out of every median,
mean, threshold and adherence figure of the pre-visit summary and the caseload.

Each test is built so that counting the missing values as zeros gives a different page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine

from app.diary.models import ActivityKind
from app.instruments import loader
from app.trends import analytics, pathway
from app.trends.labels import FLAG_LABELS
from tests.diary.days import add_day
from tests.factories import PASSWORD
from tests.trends.conftest import insert_answered

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
PHYSICAL = ActivityKind.PHYSICAL


def _summary(app, make, client, auth, build) -> str:
    clinician = make.clinician()
    patient = make.patient(team=[clinician], timezone="UTC", enrolled_at=NOW - timedelta(days=400))
    build(patient)
    auth.login(clinician.email, PASSWORD)
    response = client.get(f"/patients/{patient.id}/summary?period=30")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _pacing(html: str) -> str:
    return html.split('id="pacing-heading"', 1)[1].split("</section>", 1)[0]


@time_machine.travel(NOW, tick=False)
def test_boom_bust_usual_minutes_leave_out_days_without_activity(app, make, client, auth):
    """8 days with activity (7 x 60 min, one busy day of 100) and 10 without: the usual is 60,
    the busy day is a boom and the flare after it makes an episode. As zeros, the 10 days would
    make the usual 0 minutes (no episode at all)."""

    def build(patient):
        start = TODAY - timedelta(days=20)
        busy = start + timedelta(days=10)
        for n in range(18):
            day = start + timedelta(days=n)
            if day == busy:
                add_day(app, patient, day, overall_symptoms=2, activity={PHYSICAL: (None, 100)})
            elif day == busy + timedelta(days=1):
                add_day(app, patient, day, overall_symptoms=8)  # the flare; no pacing answered
            elif n < 7:
                add_day(app, patient, day, overall_symptoms=2, activity={PHYSICAL: (None, 60)})
            else:  # no pacing answered, or only planned
                planned = {PHYSICAL: (45, None)} if n % 2 else None
                add_day(app, patient, day, overall_symptoms=2, activity=planned)

    html = _summary(app, make, client, auth, build)
    pacing = _pacing(html)
    assert "100 active minutes (usual 60)" in pacing
    assert "(level 8)" in pacing
    # The activity chart counts the 8 days with minutes done, not the 5 only planned.
    activity = html.split("Activity minutes by kind, with rest", 1)[1].split("</figure>", 1)[0]
    assert "Physical activity: 8 days;" in activity
    assert "Recorded on 8 of 30 days" in activity


@time_machine.travel(NOW, tick=False)
def test_boom_bust_flare_threshold_leaves_out_days_without_a_symptom_level(app, make, client, auth):
    """Symptom levels 4 on most recorded days: a flare needs 6. The busy day is followed by 3,
    then 6: the flare is the 6. Thirteen diary days without any symptom level, counted as 0,
    would drop the median to 0 and make the 3 a flare."""

    def build(patient):
        start = TODAY - timedelta(days=25)
        busy = start + timedelta(days=20)
        levels = {busy + timedelta(days=1): 3, busy + timedelta(days=2): 6}
        for n in range(23):
            day = start + timedelta(days=n)
            minutes = 100 if day == busy else 60
            activity = {PHYSICAL: (None, minutes)}
            if n < 13:  # pacing recorded, no symptom level at all (mood only)
                add_day(app, patient, day, mood=5, activity=activity)
            else:
                add_day(app, patient, day, overall_symptoms=levels.get(day, 4), activity=activity)

    pacing = _pacing(_summary(app, make, client, auth, build))
    assert "(level 6)" in pacing
    assert "(level 3)" not in pacing


@time_machine.travel(NOW, tick=False)
def test_chart_average_and_adherence_count_recorded_days_only(app, make, client, auth):
    """Mood 6 on 5 days; 5 more diary days without a mood; 20 days without an entry."""

    def build(patient):
        for n in range(10):
            day = TODAY - timedelta(days=1 + n)
            if n < 5:
                add_day(app, patient, day, mood=6, overall_symptoms=3)
            else:
                add_day(app, patient, day, overall_symptoms=3)

    html = _summary(app, make, client, auth, build)
    mood = html.split("Mood (0 to 10)", 1)[1].split("</figure>", 1)[0]
    assert "5 of 30 days recorded. Average 6, lowest 6, highest 6." in mood.split("</desc>")[0]
    assert "Recorded on 5 of 30 days (17 %)" in mood
    overall = html.split("Overall symptom level (0 to 10)", 1)[1].split("</desc>")[0]
    assert "10 of 30 days recorded. Average 3, lowest 3, highest 3." in overall


def _phq9(app, patient, clinician, totals: list[tuple[date, int | None]]) -> None:
    """Submitted PHQ-9 responses; a None total is an incomplete response (not computable)."""
    insert_answered(app, patient, clinician, "phq9", [(d, n, None) for d, n in totals], 27)


def _caseload_row(app, make, client, auth, build) -> str:
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    clinician = make.clinician(clinic)
    patient = make.patient(
        clinic,
        team=[clinician],
        timezone="UTC",
        name="Quinn Missing",
        enrolled_at=NOW - timedelta(days=400),
    )
    build(patient, clinician)
    auth.login(coordinator.email, PASSWORD)
    html = client.get("/registry").get_data(as_text=True)
    return html.split("Quinn Missing", 1)[1].split("</tr>", 1)[0]


@time_machine.travel(NOW, tick=False)
def test_caseload_symptom_rise_median_leaves_out_days_without_a_level(app, make, client, auth):
    """Baseline days: level 6 on 5 days and 9 diary days without a level (median 6, a rise
    needs 8); the last 3 days are 5: no rise. Counted as 0, the baseline median would be 0
    and the 5s a rise. The 14-day adherence counts every diary day, with or without a level."""

    def build(patient, _clinician):
        for n in range(14):  # the 14 days before the last 7
            day = TODAY - timedelta(days=7 + n)
            if n < 5:
                add_day(app, patient, day, overall_symptoms=6)
            else:
                add_day(app, patient, day, mood=5)
        for n in range(3):
            add_day(app, patient, TODAY - timedelta(days=n), overall_symptoms=5)

    row = _caseload_row(app, make, client, auth, build)
    assert str(FLAG_LABELS[analytics.Flag.SYMPTOM_RISE]) not in row
    # Last 14 days: the 3 recent days and 7 baseline days (5 of them without a level).
    assert "<td>71 %</td>" in row


@time_machine.travel(NOW, tick=False)
def test_caseload_phq9_ignores_an_incomplete_response(app, make, client, auth):
    """Baseline 15, then 14 at week 9, then an incomplete response (no total) at week 10: the
    latest response is shown as incomplete, the last complete score (14) labelled as such, and
    the patient is not improving. A missing total read as 0 would show 0 and a remission."""

    def build(patient, clinician):
        base = TODAY - timedelta(weeks=11)
        _phq9(
            app,
            patient,
            clinician,
            [(base, 15), (base + timedelta(weeks=9), 14), (base + timedelta(weeks=10), None)],
        )

    row = _caseload_row(app, make, client, auth, build)
    assert "latest " in row and "incomplete: 9 items not answered, no total" in row
    assert "last complete score (" in row and "): 14, Moderate" in row
    assert "remission" not in row
    assert "not improving: consider consultation" in row


def test_median_time_to_acknowledge_leaves_out_open_alerts():
    start = datetime(2026, 11, 1, tzinfo=UTC)
    raised = [start + timedelta(hours=n) for n in range(3)]
    alerts = [(raised[0], raised[0] + timedelta(hours=4)), (raised[1], None), (raised[2], None)]
    median, acknowledged, still_open = pathway.time_to_acknowledge(
        alerts, start=start, end=start + timedelta(days=1)
    )
    assert (median, acknowledged, still_open) == (timedelta(hours=4), 1, 2)


def test_score_change_leaves_out_incomplete_totals(app):
    with app.app_context():
        phq9 = loader.registry()["phq9"]
    at = datetime(2026, 10, 1, tzinfo=UTC)
    points = [
        analytics.ScorePoint(at, 12),
        analytics.ScorePoint(at + timedelta(days=14), 16),
        analytics.ScorePoint(at + timedelta(days=28), None),  # incomplete: no total
    ]
    change = analytics.score_change(phq9, points, last_visit=None)
    assert change.latest.total == 16
    assert change.vs_baseline.delta == 4
