"""How to reach a patient: phone (as the viewer dials it, tap to call), email, preferred
language and the patient's local time now.

Shown beside an alert in the inbox, on the record page and in the pre-visit summary header, to
the care team and the clinic's coordinators only (`Action.VIEW_CONTACT`; not to caregivers,
not to an administrator's break-glass). Every card shown writes a `patient.contact_view` audit
event; the phone number is never put in one of our URLs, a log or an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.core import get_global
from flask import current_app

from app import audit
from app.access import Action, may
from app.auth.models import User
from app.careteam.models import Patient
from app.db import utcnow
from app.i18n import formatting, valid_timezone
from app.i18n.names import language_name
from app.security import display_phone


@dataclass(frozen=True)
class ContactCard:
    phone: str | None  # formatted for the viewer's region
    phone_uri: str | None  # tel:+E.164
    email: str | None
    language: str  # the patient's preferred language, named in the viewer's language
    local_time: str  # the patient's date and time now, in the viewer's language
    zone: str  # the patient's time zone, named in the viewer's language


def viewer_region(viewer: User) -> str:
    """The country a viewer dials from: their time zone's, else their clinic's, else the
    configured default phone region."""
    territories: dict[str, str] = get_global("zone_territories")
    for zone in (viewer.timezone, viewer.clinic.timezone if viewer.clinic else None):
        if zone and zone in territories:
            return territories[zone]
    return current_app.config["DEFAULT_PHONE_REGION"]


def card(patient: Patient, *, viewer: User, now: datetime) -> ContactCard:
    """The card itself (no access check, no audit): formatting only."""
    person = patient.user
    zone = ZoneInfo(valid_timezone(person.timezone) or current_app.config["DEFAULT_TIMEZONE"])
    language = language_name(person.locale, in_sentence=False)
    return ContactCard(
        phone=display_phone(person.phone, viewer_region(viewer)) if person.phone else None,
        phone_uri=f"tel:{person.phone}" if person.phone else None,
        email=person.email,
        language=language,
        local_time=formatting.datetime(now, zone=zone),
        zone=formatting.zone_name(zone),
    )


def contact_card(
    *,
    viewer: User,
    patient: Patient,
    authorized: bool = False,
    now: datetime | None = None,
) -> ContactCard | None:
    """The patient's contact card for `viewer`, audited, or None when the policy says no.

    `authorized` skips the policy query when the caller has already established it (the alert
    inbox's routing reaches only the team and the clinic's coordinators)."""
    if not (authorized or may(viewer, Action.VIEW_CONTACT, patient)):
        return None
    audit.record(
        "patient.contact_view",
        patient_id=patient.id,
        object_type="patient",
        object_id=str(patient.id),
    )
    return card(patient, viewer=viewer, now=now or utcnow())
