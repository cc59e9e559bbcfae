"""What goes into a consent PDF, in the language of the documents agreed to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from app.auth.models import User
from app.careteam.models import Patient
from app.consent.labels import METHOD_LABELS
from app.consent.models import ConsentMethod, ConsentVersion
from app.consent.pdf import AgreedDocument, Receipt, render
from app.i18n import formatting, valid_timezone


def build(
    *,
    patient: Patient,
    versions: Sequence[ConsentVersion],
    method: ConsentMethod,
    signed_name: str,
    recorded_by: User,
    now: datetime,
) -> bytes:
    locale = versions[0].locale
    zone = valid_timezone(patient.user.timezone) or "UTC"
    with force_locale(locale):
        local = (
            f"{formatting.datetime(now, weekday=True, zone=zone)} ({formatting.zone_name(zone)})"
        )
        documents = tuple(
            AgreedDocument(
                title=version.title,
                body=version.body,
                version=_(
                    "Version %(number)s, language: %(locale)s",
                    number=version.number,
                    locale=version.locale,
                ),
                decision=_("I agree"),
            )
            for version in versions
        )
        facts = (
            (_("Patient"), patient.display_name),
            (_("Typed name"), signed_name),
            (_("Time"), f"{local} ({zone})"),
            (_("Method"), str(METHOD_LABELS[method])),
            (_("Recorded by"), recorded_by.display_name),
        )
        return render(
            Receipt(
                heading=_("Record of consent"),
                locale=locale,
                documents=documents,
                facts=facts,
                moment=now,
            )
        )
