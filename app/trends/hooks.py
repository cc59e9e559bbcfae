"""The trends' receivers: links to the pre-visit summary and follow-ups on the record page;
the lessons the patient's patterns point to (read side: trends may import education)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_login import current_user

from app.access import Action, may
from app.careteam.models import Patient
from app.diary import queries as diary_queries
from app.diary.insights import HIGH_ACTIVITY_RATIO, PatternReport, day_facts, heaviness
from app.education.rules import Finding, matches
from app.trends.analytics import FLARE_POINTS, FLARE_WITHIN_DAYS, boom_bust
from app.web.sections import Section, provider


@provider("record")
def summary_links(patient: Patient) -> Section | None:
    """Links to the pre-visit summary and follow-ups on the record page, for the care team
    (first on the page: order 0, before the alerts)."""
    if not current_user.is_authenticated or not may(current_user, Action.VIEW_SUMMARY, patient):
        return None
    schedule = may(current_user, Action.SCHEDULE_FOLLOWUP, patient)
    return Section("trends/_record_links.html", {"schedule": schedule}, order=0)


@provider("patterns")
def pattern_lessons(
    patient: Patient, *, report: PatternReport, today: date, window_days: int
) -> Section | None:
    """On the patient's own "My patterns": the lessons its findings point to, with the rule
    (boom-bust episodes from the shared trend analytics; factors followed by more symptoms)."""
    if not current_user.is_authenticated or current_user.id != patient.user_id:
        return None
    start = today - timedelta(days=window_days - 1)
    entries = diary_queries.entries_between(patient, start, today)
    facts = day_facts(entries)
    minutes = {d: f.activity_minutes for d, f in facts.items() if f.activity_minutes is not None}
    levels = {e.local_date: h for e in entries if (h := heaviness(e)) is not None}
    episodes = boom_bust(minutes, levels)
    findings = [Finding("boom_bust", len(episodes))] if episodes else []
    findings += [Finding(a.factor.kind) for a in report.associations if a.difference > 0]
    found = matches(
        findings,
        ratio=HIGH_ACTIVITY_RATIO,
        flare_points=FLARE_POINTS,
        within_hours=FLARE_WITHIN_DAYS * 24,
    )
    if not found:
        return None
    return Section("education/_pattern_lessons.html", {"matches": found}, order=10)
