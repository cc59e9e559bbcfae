"""The education receivers: recommended lessons on the patient's home, the recommend form on
the record page, lessons on the care plan's goals and interventions, lesson use in the
pre-visit summary, and aggregate use on the coordinator's metrics page."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_login import current_user

from app.access import Action, may
from app.auth.models import User
from app.careteam.models import Patient
from app.diary.queries import local_today
from app.education import pages, queries
from app.education.content import LESSONS
from app.education.forms import AttachForm, RecommendForm
from app.i18n import valid_timezone
from app.web.sections import Section, provider


@provider("home")
def recommended_lessons(patient: Patient) -> Section | None:
    """The lessons the care team recommended, on the patient's own home."""
    if not current_user.is_authenticated or current_user.id != patient.user_id:
        return None
    recommended = [r for r in queries.recommendations(patient) if r.lesson_key in LESSONS]
    if not recommended:
        return None
    opened = queries.openings(patient)
    lessons = [(LESSONS[r.lesson_key], r.lesson_key in opened) for r in recommended]
    return Section("education/_home.html", {"lessons": lessons}, order=12)


@provider("record")
def recommend_on_record(patient: Patient) -> Section | None:
    """The care team recommends a lesson from the patient's record page."""
    if not current_user.is_authenticated or not may(current_user, Action.EDIT_CARE_PLAN, patient):
        return None
    recommended = [
        LESSONS[r.lesson_key] for r in queries.recommendations(patient) if r.lesson_key in LESSONS
    ]
    return Section(
        "education/_record.html",
        {"patient": patient, "form": RecommendForm(formdata=None), "recommended": recommended},
        order=60,
    )


@provider("careplan")
def plan_lessons(patient: Patient, *, plan: Any) -> Section | None:
    """Lessons attached to the plan's goals and interventions; the attach form for editors."""
    attached = queries.plan_lessons(patient)
    can_edit = current_user.is_authenticated and may(current_user, Action.EDIT_CARE_PLAN, patient)
    items = [(g.id, g.what) for g in plan.goals] + [(i.id, i.what) for i in plan.interventions]
    rows = [(text, attached[item_id]) for item_id, text in items if item_id in attached]
    if not rows and not (can_edit and items):
        return None
    form = AttachForm(formdata=None, items=pages.plan_items(patient)) if can_edit else None
    return Section(
        "education/_careplan.html", {"patient": patient, "rows": rows, "form": form}, order=50
    )


@provider("summary")
def lesson_use(patient: Patient) -> Section | None:
    """Which lessons were recommended, opened and practised (the last 30 days of practice)."""
    today = local_today(patient)
    start = today - timedelta(days=queries.PRACTICE_WINDOW_DAYS - 1)
    rows = queries.usage(patient, start=start, end=today)
    return Section(
        "education/_summary.html",
        {"rows": rows, "days": queries.PRACTICE_WINDOW_DAYS},
        order=70,
    )


@provider("metrics")
def lesson_metrics(
    coordinator: User, *, start: date, end: date, now: datetime, **_: Any
) -> Section | None:
    """Aggregate lesson use in the coordinator's clinic over the period (no names)."""
    if coordinator.clinic_id is None:
        return None
    zone = ZoneInfo(valid_timezone(coordinator.timezone) or "UTC")
    since = datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC)
    until = min(
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC), now
    )
    usage = queries.clinic_usage(
        coordinator.clinic_id, start=start, end=end, since=since, until=until
    )
    return Section("education/_metrics.html", {"usage": usage}, order=60)
