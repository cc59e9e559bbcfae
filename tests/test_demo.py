"""`flask seed-demo`: a usable demo clinic, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import Role, User
from app.careteam.models import CaregiverLink, CareTeamMembership, ConsentGrant, Patient
from app.db import db
from app.demo import DEMO_PASSWORD, NOT_ONBOARDED


def _counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Patient, CareTeamMembership, CaregiverLink, ConsentGrant)
    }


def test_seed_demo_is_complete_and_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "clinician@example.org" in first.output
    assert DEMO_PASSWORD in first.output
    with app.app_context():
        before = _counts()
        assert before["Patient"] == 13  # 12 with logins and the registry demo's new patient
        disciplines = set(
            db.session.scalars(select(User.discipline).where(User.role == Role.CLINICIAN))
        )
        assert len(disciplines) >= 3
        locales = set(db.session.scalars(select(User.locale).where(User.role == Role.PATIENT)))
        assert {"es", "ar"} <= locales
        assert (
            len(set(db.session.scalars(select(User.timezone).where(User.role == Role.PATIENT)))) > 3
        )
        assert before["ConsentGrant"] >= 2
        # Everyone who can sign in has seen the introduction except one patient, so the tour
        # can show it (the registry demo's new patient is invited, without a password yet).
        new = db.session.scalars(
            select(User.email).where(User.onboarded_at.is_(None), User.password_hash.is_not(None))
        )
        assert list(new) == [NOT_ONBOARDED]
        assert (
            db.session.scalar(
                select(func.count()).select_from(User).where(User.role == Role.COORDINATOR)
            )
            >= 1
        )
        assert (
            db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN))
            >= 1
        )
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert _counts() == before
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "skipped" in skipped.output


def test_demo_logins_work(app, auth):
    app.test_cli_runner().invoke(args=["seed-demo"])
    for email in (
        "clinician@example.org",
        "coordinator@example.org",
        "patient@example.org",
        "caregiver@example.org",
        "admin@example.org",
    ):
        assert auth.login(email, DEMO_PASSWORD).status_code == 302, email
        auth.logout()
