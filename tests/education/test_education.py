"""The education library end to end on the server: pattern → lesson with its rule, opening,
practice log (missing is missing), recommendations on the home page, the summary, the care
plan, metrics, access (404 for others), bad input, export and erasure."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.careplan import services as careplan_services
from app.careplan.content import Goal, Measure, PlanContent
from app.careteam.models import ConsentScope, Patient
from app.datarights import services as datarights
from app.db import db, utcnow
from app.diary.models import ActivityBlock, ActivityKind, DiaryEntry, EntryMode
from app.diary.queries import local_today
from app.education import services
from app.education.models import LessonOpening, LessonRecommendation, PlanLesson, PracticeDay
from app.education.rules import Finding, matches
from tests.conftest import csrf_from
from tests.factories import PASSWORD


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _boom_bust_diary(app, patient: Patient) -> None:
    """14 days: 60 active minutes and symptoms 3 most days; two busy days (150 min), each
    followed the next day by a flare (7)."""
    with app.app_context():
        today = local_today(db.session.get(Patient, patient.id))
        for offset in range(14, 0, -1):
            day = today - timedelta(days=offset)
            busy = offset in (10, 5)
            flare = offset in (9, 4)
            entry = DiaryEntry(
                patient_id=patient.id,
                local_date=day,
                client_entry_id=uuid.uuid4(),
                mode=EntryMode.FULL,
                created_by_id=patient.user_id,
                overall_symptoms=7 if flare else 3,
            )
            db.session.add(entry)
            db.session.flush()
            db.session.add(
                ActivityBlock(
                    entry_id=entry.id,
                    kind=ActivityKind.PHYSICAL,
                    done_minutes=150 if busy else 60,
                )
            )
        db.session.commit()


def test_rules_map_findings_to_lessons_once(app):
    with app.test_request_context():
        found = matches(
            [Finding("boom_bust", 2), Finding("high_activity"), Finding("short_sleep")],
            ratio=1.5,
            flare_points=2,
            within_hours=48,
        )
        assert [m.lesson.key for m in found] == ["pacing", "sleep"]
        assert "2 times" in found[0].reason and "48 hours" in found[0].reason


def test_boom_bust_pattern_links_to_pacing_with_its_rule(app, make, client, auth):
    patient = make.patient()
    _boom_bust_diary(app, patient)
    auth.login(patient.user.email, PASSWORD)
    html = client.get(f"/patients/{patient.id}/diary/patterns").get_data(as_text=True)
    assert "/learn/pacing" in html
    assert "Shown because your diary has 2 times" in html


def test_patient_opens_practises_and_clinician_sees_it_in_the_summary(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(patient.user.email, PASSWORD)
    page = client.get("/learn/paced_breathing")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "breathing.js" in html and "Breathe in for 4, out for 6." in html
    with app.app_context():
        today = local_today(db.session.get(Patient, patient.id))
    response = client.post(
        f"/patients/{patient.id}/lessons/paced_breathing/practice",
        data={"csrf_token": csrf_from(html), "day": today.isoformat()},
    )
    assert response.status_code == 302
    assert _count(app, PracticeDay) == 1
    assert _count(app, LessonOpening) == 1
    auth.logout()
    auth.login(clinician.email, PASSWORD)
    summary = client.get(f"/patients/{patient.id}/summary").get_data(as_text=True)
    assert "Lessons and practice" in summary
    assert "Paced breathing" in summary


def test_practice_for_a_day_outside_the_week_is_refused(app, make, client, auth):
    patient = make.patient()
    auth.login(patient.user.email, PASSWORD)
    html = client.get("/learn/paced_breathing").get_data(as_text=True)
    response = client.post(
        f"/patients/{patient.id}/lessons/paced_breathing/practice",
        data={"csrf_token": csrf_from(html), "day": "2001-01-01"},
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in body and "Not a valid choice" in body
    assert _count(app, PracticeDay) == 0


def test_others_get_404(app, make, client, auth):
    patient = make.patient()
    other = make.patient()
    clinician = make.clinician()  # not on the team
    auth.login(other.user.email, PASSWORD)
    html = client.get("/learn/paced_breathing").get_data(as_text=True)
    token = csrf_from(html)
    day = utcnow().date().isoformat()
    url = f"/patients/{patient.id}/lessons/paced_breathing/practice"
    assert client.post(url, data={"csrf_token": token, "day": day}).status_code == 404
    auth.logout()
    auth.login(clinician.email, PASSWORD)
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post(
        f"/patients/{patient.id}/lessons/recommend", data={"csrf_token": token, "lesson": "pacing"}
    )
    assert response.status_code == 404
    assert _count(app, LessonRecommendation) == 0


def test_caregiver_sees_caregiver_lessons_not_patient_only_ones(app, make, client, auth):
    patient = make.patient()
    caregiver, _ = make.caregiver(patient, scopes=[ConsentScope.VIEW_DIARY_SUMMARY])
    auth.login(caregiver.email, PASSWORD)
    library = client.get("/learn").get_data(as_text=True)
    assert "/learn/caregiver_support" in library and "/learn/pacing" not in library
    assert client.get("/learn/pacing").status_code == 404
    lesson = client.get("/learn/paced_breathing").get_data(as_text=True)
    assert "I did this practice" not in lesson
    assert _count(app, LessonOpening) == 0


def test_recommendation_shows_on_the_patient_home(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    auth.login(clinician.email, PASSWORD)
    record = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    response = client.post(
        f"/patients/{patient.id}/lessons/recommend",
        data={"csrf_token": csrf_from(record), "lesson": "pacing"},
    )
    assert response.status_code == 302
    bad = client.post(
        f"/patients/{patient.id}/lessons/recommend",
        data={"csrf_token": csrf_from(record), "lesson": "nonsense"},
    )
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    assert _count(app, LessonRecommendation) == 1
    auth.logout()
    auth.login(patient.user.email, PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "Recommended for you" in home and "/learn/pacing" in home


def test_lesson_attached_to_a_goal_shows_on_the_care_plan(app, make, client, auth):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    with app.test_request_context():
        plan = PlanContent(
            goals=(
                Goal(id="goal-1", what="Walk daily", owner=clinician.discipline, measure=Measure()),
            ),
        )
        careplan_services.save_version(
            patient=db.session.get(Patient, patient.id),
            author=db.session.get(type(clinician), clinician.id),
            content=plan,
            base_version=0,
        )
        db.session.commit()
    auth.login(clinician.email, PASSWORD)
    page = client.get(f"/patients/{patient.id}/care-plan").get_data(as_text=True)
    assert "Lessons for this plan" in page
    item = re.search(r'<option value="([^"]+)">[^<]*Walk daily', page).group(1)
    response = client.post(
        f"/patients/{patient.id}/lessons/attach",
        data={"csrf_token": csrf_from(page), "item": item, "lesson": "pacing"},
    )
    assert response.status_code == 302
    assert _count(app, PlanLesson) == 1
    page = client.get(f"/patients/{patient.id}/care-plan").get_data(as_text=True)
    assert "/learn/pacing" in page


def test_metrics_count_use_without_names(app, make, client, auth):
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    patient = make.patient(clinic)
    with app.test_request_context():
        p = db.session.get(Patient, patient.id)
        services.log_practice(patient=p, lesson_key="paced_breathing", local_date=local_today(p))
        db.session.commit()
    auth.login(coordinator.email, PASSWORD)
    html = client.get("/metrics").get_data(as_text=True)
    assert "Practice days marked" in html


def test_export_and_erasure(app, make):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    with app.test_request_context():
        p = db.session.get(Patient, patient.id)
        actor = db.session.get(type(clinician), clinician.id)
        services.recommend(patient=p, lesson_key="pacing", actor=actor)
        services.record_opening(patient=p, lesson_key="pacing", now=utcnow())
        services.log_practice(patient=p, lesson_key="paced_breathing", local_date=utcnow().date())
        db.session.commit()
        sections = {s.name: s for s in datarights.collect(p)}
        assert sections["practice_log"].rows[0]["lesson"] == "paced_breathing"
        assert sections["lesson_recommendations"].fhir_resources[0]["resourceType"] == (
            "Communication"
        )
    assert _count(app, PracticeDay) == 1
    with app.test_request_context():
        from app.education.data_rights import erase_education

        erase_education(db.session.get(Patient, patient.id))
        db.session.commit()
    assert _count(app, PracticeDay) == 0 and _count(app, LessonRecommendation) == 0


@pytest.mark.parametrize("key", ["stress_body", "pacing", "sleep", "grounding"])
def test_every_lesson_page_renders(app, make, client, auth, key):
    patient = make.patient()
    auth.login(patient.user.email, PASSWORD)
    html = client.get(f"/learn/{key}").get_data(as_text=True)
    assert "Sources" in html and "https://" in html


def test_usage_counts_recommendations_openings_and_practice_in_one_query(app, make):
    clinician = make.clinician()
    patient = make.patient(team=[clinician])
    with app.test_request_context():
        p = db.session.get(Patient, patient.id)
        today = local_today(p)
        services.recommend(
            patient=p, lesson_key="pacing", actor=db.session.get(type(clinician), clinician.id)
        )
        services.record_opening(patient=p, lesson_key="pacing")
        services.record_opening(patient=p, lesson_key="pacing")
        for n in (0, 2):
            services.log_practice(
                patient=p, lesson_key="paced_breathing", local_date=today - timedelta(days=n)
            )
        services.log_practice(
            patient=p, lesson_key="paced_breathing", local_date=today - timedelta(days=40)
        )
        db.session.commit()
        from app.education.queries import usage

        rows = {u.lesson.key: u for u in usage(p, start=today - timedelta(days=29), end=today)}
    assert rows["pacing"].recommended_at is not None and rows["pacing"].times_opened == 2
    assert rows["pacing"].first_opened_at.tzinfo is not None
    assert rows["pacing"].practice_days == 0
    breathing = rows["paced_breathing"]
    assert breathing.practice_days == 2 and breathing.last_practised == today
    assert breathing.recommended_at is None and breathing.times_opened == 0
