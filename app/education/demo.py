"""Demo education data: the first demo patient has the pacing lesson recommended by the lead
clinician, has read the breathing lesson and marked paced breathing on a few recent days.
Idempotent (the services change nothing the second time)."""

from __future__ import annotations

from datetime import timedelta

from app.auth.models import User
from app.careteam.models import Patient
from app.diary.queries import local_today
from app.education import services

PRACTICE_DAYS_AGO = (1, 2, 4, 6)


def seed(patients: list[Patient], *, lead: User) -> None:
    if not patients:
        return
    patient = patients[0]
    services.recommend(patient=patient, lesson_key="pacing", actor=lead)
    services.recommend(patient=patient, lesson_key="paced_breathing", actor=lead)
    today = local_today(patient)
    if not services.practice_exists(patient=patient, lesson_key="paced_breathing"):
        services.record_opening(patient=patient, lesson_key="paced_breathing")
        for days in PRACTICE_DAYS_AGO:
            services.log_practice(
                patient=patient,
                lesson_key="paced_breathing",
                local_date=today - timedelta(days=days),
            )
