"""The introduction a patient or caregiver sees at their first sign-in: a few short screens,
each a page of its own (no JavaScript needed), skippable at every step, shown once."""

from __future__ import annotations

import uuid

from flask import current_app, url_for

from app.auth.models import Role, User
from app.careteam import queries as careteam
from app.signals import crisis_lines
from app.web.redirects import safe_next

STEPS: tuple[str, ...] = ("what", "who", "reminders", "safety")


def landing(user: User, next_url: str | None) -> str:
    """Where a sign-in ends, whichever way it went (password, second factor, passkey): the
    introduction for someone who has not seen it, else the page they were going to."""
    if user.needs_onboarding:
        return url_for("welcome.step", number=1, next=next_url)
    return safe_next(next_url)


"""The screens, in order: what Heed does, who sees what, reminders, not monitored around the
clock (with the clinic's crisis lines)."""


def clinic_ids(user: User) -> list[uuid.UUID]:
    """A patient's clinic; for a caregiver, the clinics of the people they support."""
    if user.role == Role.PATIENT:
        patient = careteam.patient_for_user(user)
        return [patient.clinic_id] if patient is not None else []
    found = [item.patient.clinic_id for item in careteam.patients_cared_for(user)]
    return list(dict.fromkeys(found))


def crisis_resources(user: User) -> list[tuple[str, str]]:
    """The crisis lines the clinic configured (the same ones the questionnaire's crisis screen
    and the reply to a kept text use), in the person's language, else the defaults."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    locales = list(dict.fromkeys([user.locale, app.config["DEFAULT_LOCALE"], "en"]))
    lines: list[tuple[str, str]] = []
    for clinic_id in clinic_ids(user):
        for _receiver, answer in crisis_lines.send(app, clinic_id=clinic_id, locales=locales):
            if answer:
                lines.extend(line for line in answer if line not in lines)
                break
    return lines
