"""The case conferences' receivers: the care-plan link (proposal shown in the editor, saved
version closes the decision), the referral link (a referral made from a decision closes it), sections of the staff home, the patient home and the metrics
page, and the registry's "days since review" column."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.access import Action, may
from app.auth.models import Role, User
from app.careteam.models import Patient
from app.conferences import decisions, metrics, queries
from app.conferences.models import ActionKind, ActionStatus, ConferenceAction
from app.db import db, utcnow
from app.i18n.formatting import local
from app.signals import care_plan_proposal, care_plan_saved, referral_created
from app.web.sections import Section, provider
from app.web.teamcare import RegistryColumn, registry_column


@dataclass(frozen=True)
class Proposal:
    heading: str
    text: str
    back_url: str
    back_label: str
    section: str | None = None  # the care plan writes it in as a new intervention


def _proposal(_sender: Any, *, patient: Patient, origin: str) -> Proposal | None:
    if not origin.startswith(decisions.ORIGIN_PREFIX):
        return None
    action_id = (
        uuid.UUID(origin.removeprefix(decisions.ORIGIN_PREFIX)) if _is_uuid(origin) else None
    )
    action = db.session.get(ConferenceAction, action_id) if action_id else None
    if (
        action is None
        or action.patient_id != patient.id
        or action.kind != ActionKind.CARE_PLAN
        or action.status != ActionStatus.OPEN
    ):
        return None  # carried out already, or not a care-plan change: the editor opens plainly
    return Proposal(
        heading=str(_l("Proposed at the case conference")),
        text=action.description,
        back_url=url_for("conferences.action", action_id=action.id),
        back_label=str(_l("Back to the decision")),
    )


def _is_uuid(origin: str) -> bool:
    try:
        uuid.UUID(origin.removeprefix(decisions.ORIGIN_PREFIX))
    except ValueError:
        return False
    return True


def _version_saved(
    _sender: Any, *, patient_id: uuid.UUID, version_id: uuid.UUID, version: int, origin: str | None
) -> None:
    decisions.link_plan_version(
        origin=origin, patient_id=patient_id, version_id=version_id, now=utcnow()
    )


def _referral_created(
    _sender: Any,
    *,
    patient_id: uuid.UUID,
    referral_id: uuid.UUID,
    sent: bool,
    origin: str | None,
) -> None:
    decisions.link_referral(
        origin=origin, patient_id=patient_id, referral_id=referral_id, now=utcnow()
    )


care_plan_proposal.connect(_proposal, weak=False)
care_plan_saved.connect(_version_saved, weak=False)
referral_created.connect(_referral_created, weak=False)


@provider("staff_home")
def my_actions(user: User) -> Section | None:
    """Open conference actions the clinician or coordinator owns, overdue first."""
    actions = queries.open_actions_of(user)
    if not actions:
        return None
    today = utcnow().date()
    patients = queries.patients_by_id({a.patient_id for a in actions})
    rows = [(a, patients[a.patient_id], a.due_on < today) for a in actions]
    rows.sort(key=lambda row: (not row[2], row[0].due_on))
    return Section("conferences/_staff_home.html", {"rows": rows}, order=30)


@provider("home")
def team_reviewed(patient: Patient) -> Section | None:
    """The patient's own page: the team reviewed their care on a date, and what changed in
    their plan. Never the discussion itself."""
    if current_user.role != Role.PATIENT or not may(current_user, Action.VIEW_CARE_PLAN, patient):
        return None
    found = queries.last_review(patient)
    if found is None:
        return None
    conference, item = found
    changes = queries.plan_changes_from(item)
    return Section(
        "conferences/_home.html",
        {"reviewed_on": conference.starts_at, "changed": bool(changes), "patient": patient},
        order=40,
    )


@provider("metrics")
def case_review(user: User, *, start: date, end: date, now: datetime) -> Section | None:
    if user.role != Role.COORDINATOR or user.clinic_id is None:
        return None
    zone = local(now).tzinfo or UTC
    values = metrics.compute(user.clinic_id, start=start, end=end, now=now, zone=zone)
    return Section("conferences/_metrics.html", {"review": values}, order=40)


@registry_column
def days_since_review(
    _sender: Any, *, clinic_id: uuid.UUID, patient_ids: frozenset[uuid.UUID], today: date
) -> RegistryColumn:
    last = queries.last_discussed(patient_ids)
    return RegistryColumn(
        key="days_since_review",
        label=_l("Days since case review"),
        values={pid: (today - at.date()).days for pid, at in last.items()},
        order=60,
    )
