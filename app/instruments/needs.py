"""Social needs to discuss: the latest social-needs screen results on the record, the summary's
top card and the registry, with directory services suggested (never sent) for each positive
domain.

Staff only: a caregiver never sees social-needs answers, whatever they were granted (the
same rule as critical answers, `Action.VIEW_CRITICAL_ANSWERS`, which no caregiver scope
covers). Nothing here raises an alert.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.access import Action, may
from app.auth.models import STAFF_ROLES
from app.careteam.models import Patient
from app.db import among, db
from app.instruments import loader
from app.instruments.models import Response, SocialNeedReview
from app.instruments.social_needs import DomainResult, results
from app.web.sections import Section, provider
from app.web.teamcare import RegistryColumn, SuggestedService, registry_column, suggested_services

DOMAIN_LABELS = {
    "food": _l("Food"),
    "housing": _l("Housing (living situation)"),
    "transportation": _l("Transportation"),
    "utilities": _l("Utilities"),
}
RESULT_LABELS = {
    DomainResult.POSITIVE: _l("Positive: social need to discuss"),
    DomainResult.NEGATIVE: _l("Negative"),
    DomainResult.NOT_ANSWERED: _l("Not answered"),
    DomainResult.DECLINED: _l("Declined"),
}

REVIEW_LABELS = {
    True: _l("Need confirmed with the patient"),
    False: _l("Need not confirmed"),
}


@dataclass(frozen=True)
class DomainStatus:
    domain: str
    result: DomainResult
    instrument_id: str
    submitted_at: datetime
    response_id: uuid.UUID
    services: tuple[SuggestedService, ...] = ()
    review: SocialNeedReview | None = None


@dataclass(frozen=True)
class NeedsView:
    domains: tuple[DomainStatus, ...]
    directory: bool = field(default=False)

    @property
    def positive(self) -> tuple[DomainStatus, ...]:
        return tuple(d for d in self.domains if d.result == DomainResult.POSITIVE)


def _social_ids() -> list[str]:
    return [d.id for d in loader.registry().values() if d.social_needs]


def latest_by_domain(responses: Iterable[Response]) -> dict[str, DomainStatus]:
    """Per domain, the newest submitted screen that answered it (positive, negative or
    declined); a domain only ever left unanswered shows as not answered."""
    out: dict[str, DomainStatus] = {}
    for response in sorted(responses, key=lambda r: (r.submitted_at, str(r.id)), reverse=True):
        assert response.submitted_at is not None  # noqa: S101 - the queries select submitted
        for domain, result in results(response.instrument_id, response.answers).items():
            known = out.get(domain)
            if known is None or (
                known.result == DomainResult.NOT_ANSWERED and result != DomainResult.NOT_ANSWERED
            ):
                out[domain] = DomainStatus(
                    domain, result, response.instrument_id, response.submitted_at, response.id
                )
    return out


def _submitted(patient_ids: Iterable[uuid.UUID]) -> list[Response]:
    ids = list(patient_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Response).where(
                among(Response.patient_id, ids),
                Response.instrument_id.in_(_social_ids()),
                Response.submitted_at.is_not(None),
            )
        )
    )


def _reviews(statuses: Iterable[DomainStatus]) -> dict[tuple[uuid.UUID, str], SocialNeedReview]:
    ids = {s.response_id for s in statuses if s.result == DomainResult.POSITIVE}
    if not ids:
        return {}
    rows = db.session.scalars(select(SocialNeedReview).where(SocialNeedReview.response_id.in_(ids)))
    return {(r.response_id, r.domain): r for r in rows}


def needs_for(patient: Patient, *, with_reviews: bool = False) -> NeedsView:
    """The patient's latest domain results, positive ones with suggested services (and, on
    the record, the clinician's review)."""
    found = latest_by_domain(_submitted([patient.id]))
    reviews = _reviews(found.values()) if with_reviews else {}
    domains = []
    any_service = False
    for domain in DOMAIN_LABELS:
        status = found.get(domain)
        if status is None:
            continue
        if status.result == DomainResult.POSITIVE:
            services = tuple(suggested_services(None, patient=patient, need=domain))
            any_service = any_service or bool(services)
            status = replace(
                status, services=services, review=reviews.get((status.response_id, domain))
            )
        domains.append(status)
    return NeedsView(tuple(domains), directory=any_service)


def positive_status(patient: Patient, response_id: uuid.UUID, domain: str) -> DomainStatus | None:
    """The patient's positive `domain` of that submitted screen, for its review page."""
    response = db.session.scalar(
        select(Response).where(
            Response.id == response_id,
            Response.patient_id == patient.id,
            Response.instrument_id.in_(_social_ids()),
            Response.submitted_at.is_not(None),
        )
    )
    if response is None or results(response.instrument_id, response.answers).get(domain) != (
        DomainResult.POSITIVE
    ):
        return None
    assert response.submitted_at is not None  # noqa: S101 - selected submitted
    status = DomainStatus(
        domain, DomainResult.POSITIVE, response.instrument_id, response.submitted_at, response.id
    )
    services = tuple(suggested_services(None, patient=patient, need=domain))
    return replace(status, services=services, review=_reviews([status]).get((response.id, domain)))


def may_see(patient: Patient) -> bool:
    return current_user.role in STAFF_ROLES and may(
        current_user, Action.VIEW_CRITICAL_ANSWERS, patient
    )


def _section(patient: Patient, *, order: int, top: bool) -> Section | None:
    # The summary's view already authorized a staff viewer for it (no caregiver scope covers
    # the summary): the role suffices there, and saves the summary a query.
    if not (current_user.role in STAFF_ROLES if top else may_see(patient)):
        return None
    view = needs_for(patient, with_reviews=not top)
    if top and not view.positive:
        return None
    audit.record("instruments.social_needs_view", patient_id=patient.id)
    return Section(
        "instruments/_social_needs.html",
        {
            "needs": view,
            "top": top,
            "can_assign": not top and may(current_user, Action.ASSIGN_INSTRUMENT, patient),
            "screens": [d for d in loader.registry().values() if d.social_needs],
        },
        order=order,
    )


@provider("record")
def record_needs(patient: Patient) -> Section | None:
    """Every screened domain with its latest result; positive ones to discuss."""
    return _section(patient, order=21, top=False)


@provider("summary")
def summary_needs(patient: Patient) -> Section | None:
    """Beside the summary's top card: positive domains only ("social need to discuss")."""
    return _section(patient, order=10, top=True)


@registry_column
def registry_needs(_sender: object, *, clinic_id, patient_ids, today) -> RegistryColumn | None:
    """Flags patients with a positive domain; one query whatever the number of patients."""
    values: dict[uuid.UUID, str | int | None] = {}
    flagged = set()
    by_patient: dict[uuid.UUID, list[Response]] = {}
    for response in _submitted(patient_ids):
        by_patient.setdefault(response.patient_id, []).append(response)
    for patient_id, responses in by_patient.items():
        positive = [
            d for d, s in latest_by_domain(responses).items() if s.result == DomainResult.POSITIVE
        ]
        if positive:
            flagged.add(patient_id)
            values[patient_id] = ", ".join(
                str(DOMAIN_LABELS[d]) for d in DOMAIN_LABELS if d in positive
            )
    return RegistryColumn(
        key="social_needs",
        label=_l("Social need to discuss"),
        values=values,
        flagged=frozenset(flagged),
        order=60,
    )
