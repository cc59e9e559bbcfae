"""Every page each demo role can reach, as role → paths, built from the seeded demo clinic.

The overflow and axe sweep (test_no_overflow.py) walks this catalogue; a new page a role can
open belongs here too.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import select

from app.auth.models import User
from app.careteam.models import Patient
from app.db import db
from app.instruments.models import Occurrence, Response
from app.prems.models import PremSurvey

ANONYMOUS = "anonymous"
# One demo login per role; the patient is the one every clinician and caregiver can see.
LOGINS = {
    "patient": "patient@example.org",
    "caregiver": "caregiver@example.org",
    "clinician": "clinician@example.org",
    "coordinator": "coordinator@example.org",
    "admin": "admin@example.org",
}
SHARED = ("/", "/auth/settings")
ERROR_PAGE = "/nothing/here"


def _patient_id(email: str) -> uuid.UUID:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None, f"demo login {email} missing"
    patient = db.session.scalar(select(Patient).where(Patient.user_id == user.id))
    assert patient is not None, f"{email} is not a patient"
    return patient.id


def _open_questionnaire(patient_id: uuid.UUID) -> uuid.UUID | None:
    now = datetime.now(UTC)
    return db.session.scalar(
        select(Occurrence.id)
        .where(
            Occurrence.patient_id == patient_id,
            Occurrence.opens_at <= now,
            Occurrence.closes_at > now,
        )
        .order_by(Occurrence.due_date.desc())
        .limit(1)
    )


def _social_screen(patient_id: uuid.UUID) -> uuid.UUID | None:
    """The demo's positive Hunger Vital Sign (app/instruments/demo.py)."""
    return db.session.scalar(
        select(Response.id).where(
            Response.patient_id == patient_id,
            Response.instrument_id == "hvs",
            Response.submitted_at.is_not(None),
        )
    )


def _experience_survey(patient_id: uuid.UUID) -> uuid.UUID | None:
    """The patient's newest experience survey (open: the form; answered: its closed page)."""
    return db.session.scalar(
        select(PremSurvey.id)
        .where(PremSurvey.patient_id == patient_id)
        .order_by(PremSurvey.invited_at.desc())
        .limit(1)
    )


def _conference_pages() -> list[str]:
    """The demo clinic's upcoming case conference and its first patient's page."""
    from app.conferences import demo
    from app.conferences.models import AgendaItem, CaseConference

    row = db.session.execute(
        select(CaseConference.id, AgendaItem.id)
        .join(AgendaItem, AgendaItem.conference_id == CaseConference.id)
        .where(CaseConference.video_url == demo.DEMO_LINK)  # not one a journey scheduled
        .order_by(CaseConference.starts_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return []
    return [f"/conferences/{row[0]}", f"/conferences/{row[0]}/items/{row[1]}"]


def patient_path(app: Flask, email: str) -> str:
    """/patients/<id> for a demo patient's email."""
    with app.app_context():
        return f"/patients/{_patient_id(email)}"


def pages(app: Flask) -> dict[str, list[str]]:
    """role → the paths that role's demo login can open (anonymous: the signed-out pages).

    A page that looks the same to two roles (the summary, team, messages and access log for a
    clinician and a coordinator; the error page) is listed once, to keep the sweep short.
    """
    with app.app_context():
        pid = _patient_id(LOGINS["patient"])
        occurrence = _open_questionnaire(pid)
        screened = _patient_id("paciente@example.org")
        screen = _social_screen(screened)
        survey = _experience_survey(pid)
        conference = _conference_pages()
    p = f"/patients/{pid}"
    patient = [
        *SHARED,
        ERROR_PAGE,
        p,
        f"{p}/diary/quick",
        f"{p}/diary/entry",
        f"{p}/diary/history",
        f"{p}/diary/patterns",
        f"{p}/diary/symptoms",
        f"{p}/care-plan",
        f"{p}/care-plan/versions",
        f"{p}/caregivers",
        f"{p}/access-log",
        f"{p}/data",
        "/settings/reminders",
        "/learn",
        "/learn/paced_breathing",
        "/learn/pacing",
        "/offline",
        "/settings/tokens",
    ]
    if occurrence is not None:
        patient.append(f"{p}/questionnaires/{occurrence}")
    if survey is not None:
        patient.append(f"{p}/experience/{survey}")
    clinician = [
        *SHARED,
        "/registry",
        p,
        f"{p}/summary",
        f"{p}/summary/print",
        f"{p}/diary/history",
        f"{p}/care-plan",
        f"{p}/care-plan/edit",
        f"{p}/team",
        f"{p}/followups",
        f"{p}/questionnaires/assign",
        f"{p}/alert-settings",
        f"{p}/messages",
        f"{p}/referrals",
        "/alerts",
        "/referrals",
        "/referrals/directory",
        "/conferences/",
        *conference,
        "/settings/tokens",
    ]
    if screen is not None:  # a social need to discuss: record, summary card, review page
        s = f"/patients/{screened}"
        clinician += [s, f"{s}/summary", f"{s}/social-needs/{screen}/food"]
    return {
        ANONYMOUS: ["/auth/login", "/auth/reset", ERROR_PAGE, "/offline", "/api/v1/"],
        "patient": patient,
        "caregiver": [
            *SHARED,
            p,
            f"{p}/diary/observations",
            f"{p}/checkins/new",
            "/settings/reminders",
            "/learn",
            "/learn/caregiver_support",
        ],
        "clinician": clinician,
        "coordinator": [
            *SHARED,
            p,
            "/registry",
            "/registry?show=attention&sort=phq9_change&dir=desc",
            "/metrics",
            "/patients/enroll",
            "/alerts",
            "/referrals",
            "/referrals/directory/new",
            "/conferences/new",
        ],
        "admin": [*SHARED, "/admin/", "/admin/invite"],
    }
