"""The referrals' receivers: sections on the staff home (waiting for me, news about what I
sent), the patient's home (their referrals in plain words, "Did you get help?"), the patient's
record, the metrics page; the registry column, the agenda rule, the directory answer to a
social need; the "Did you get help?" prompt kind.

Prompt kind (`REFERRAL_CHECKBACK`): a few days (REFERRAL_CHECKBACK_DAYS) after the expected
first contact (sent + the urgency's days), at the patient's diary time, a text asks whether
they got help. It names neither the service nor the need; the link opens only that question.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.access import Action, may
from app.auth.models import Role, User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.i18n.formatting import local
from app.labels import DISCIPLINE_LABELS
from app.prompts import queries as prompt_queries
from app.prompts.kinds import PromptKind, TaskGrant, TaskKey
from app.prompts.models import PromptPurpose
from app.prompts.planning import PlannedPrompt, on_the_day
from app.referrals import queries, services
from app.referrals.labels import HELP_KINDS, NEED_CODES
from app.referrals.models import Referral, Status, TargetKind
from app.signals import prompt_kinds
from app.web.sections import Section, provider
from app.web.teamcare import (
    AgendaReason,
    RegistryColumn,
    SuggestedService,
    agenda_reason_label,
    agenda_rule,
    registry_column,
    service_finder,
)


def _name(row: queries.Row) -> str:
    referral = row.referral
    if referral.target_kind == TargetKind.SERVICE and row.service is not None:
        return row.service.name
    if referral.target_kind == TargetKind.CLINICIAN and row.target_user is not None:
        return row.target_user.display_name
    return str(DISCIPLINE_LABELS[referral.target_discipline]) if referral.target_discipline else ""


def _ask_after(referral: Referral) -> datetime | None:
    """When the patient is asked: the expected first contact + REFERRAL_CHECKBACK_DAYS."""
    due = services.due_by(referral)
    if due is None:
        return None
    return due + timedelta(days=current_app.config["REFERRAL_CHECKBACK_DAYS"])


def _may_ask(referral: Referral, now: datetime) -> bool:
    ask = _ask_after(referral)
    return (
        referral.patient_answer is None
        and referral.status not in (Status.DRAFT, Status.CANCELLED)
        and ask is not None
        and ask <= now
    )


# -- Sections ----------------------------------------------------------------------------------


@provider("staff_home")
def staff_home(user: User) -> Section | None:
    if user.role not in (Role.CLINICIAN, Role.COORDINATOR):
        return None
    waiting = queries.waiting_for(user)
    updates = queries.updates_for(user)
    if not waiting and not updates:
        return None
    context = {"waiting": waiting, "updates": updates, "name": _name}
    return Section("referrals/_staff_home.html", {"referrals": context}, order=15)


@provider("home")
def patient_home(patient: Patient) -> Section | None:
    if current_user.role != Role.PATIENT or not may(
        current_user, Action.VIEW_OWN_REFERRALS, patient
    ):
        return None
    rows = [r for r in queries.for_patient(patient) if r.referral.status != Status.DRAFT]
    if not rows:
        return None
    now = utcnow()
    ask = {r.referral.id for r in rows if _may_ask(r.referral, now)}
    return Section(
        "referrals/_home.html", {"referrals": {"rows": rows, "ask": ask, "name": _name}}, order=30
    )


@provider("record")
def record(patient: Patient) -> Section | None:
    if not may(current_user, Action.REFER, patient):
        return None
    rows = queries.for_patient(patient)
    return Section(
        "referrals/_record.html",
        {"referrals": {"rows": rows, "patient": patient, "name": _name, "now": utcnow()}},
        order=60,
    )


@provider("metrics")
def metrics(user: User, *, start: Any, end: Any, now: datetime) -> Section | None:
    if user.role != Role.COORDINATOR or user.clinic_id is None:
        return None
    first, last = queries.local_bounds(start, end, local(now).tzinfo)
    values = queries.measures(user.clinic_id, start=first, end=last)
    return Section("referrals/_metrics.html", {"referrals": {"m": values}}, order=40)


# -- Team care seams ---------------------------------------------------------------------------


@registry_column
def open_referrals(
    _sender: Any, *, clinic_id: Any, patient_ids: frozenset, today: Any
) -> RegistryColumn:
    counts, overdue = queries.open_by_patient(patient_ids, now=utcnow())
    return RegistryColumn(
        key="open_referrals",
        label=_l("Open referrals"),
        values=counts,
        flagged=frozenset(overdue),
        order=60,
    )


OVERDUE = agenda_reason_label("overdue_referral", _l("A referral got no answer in time"))


@agenda_rule
def overdue_referrals(
    _sender: Any, *, clinic_id: Any, patient_ids: frozenset, since: Any, until: datetime
) -> list[AgendaReason]:
    _counts, overdue = queries.open_by_patient(patient_ids, now=until)
    return [AgendaReason(patient_id=pid, code=OVERDUE) for pid in sorted(overdue)]


@service_finder
def services_for_need(_sender: Any, *, patient: Patient, need: str) -> list[SuggestedService]:
    """Active directory services of the patient's clinic offering that help, each with the
    address of the referral form prefilled (following it sends nothing)."""
    if need not in NEED_CODES:
        return []
    return [
        SuggestedService(
            name=service.name,
            help_kinds=", ".join(str(HELP_KINDS[k]) for k in service.help_kinds if k in HELP_KINDS),
            url=url_for(
                "referrals.for_patient", patient_id=patient.id, service=str(service.id), need=need
            ),
        )
        for service in queries.services(patient.clinic_id, active_only=True)
        if need in (service.help_kinds or [])
    ]


# -- Prompt kind: "Did you get help?" -------------------------------------------------------------


def checkback_body(link: str) -> str:
    return _(
        "Heed: did you get the help your care team referred you to? Tell us here: %(link)s Reply STOP to stop.",
        link=link,
    )


class CheckbackPrompts:
    name = "referral_checkback"

    def due_prompts(self, now: datetime) -> Iterator[PlannedPrompt]:
        rows = db.session.execute(
            prompt_queries.patients_to_text(Referral, User).where(
                Referral.patient_answer.is_(None),
                Referral.status.not_in([Status.DRAFT, Status.CANCELLED]),
                Referral.requested_at > now - timedelta(days=90),
            )
        ).all()
        schedules = prompt_queries.schedules_for(user.id for _r, _u, user in rows)
        for referral, user_id, user in rows:
            ask = _ask_after(referral)
            if ask is None or ask > now + timedelta(days=1):
                continue
            tz = prompt_queries.zone(user)
            day = ask.astimezone(tz).date()
            yield on_the_day(
                local_date=day,
                at=schedules[user_id].diary_time,
                tz=tz,
                recipient_id=user_id,
                patient_id=referral.patient_id,
                purpose=PromptPurpose.REFERRAL_CHECKBACK,
                target=str(referral.id),
                slot="checkback",
            )


def answered(tasks: Collection[TaskKey]) -> set[TaskKey]:
    """The tasks whose referral (target: the referral id) the patient answered."""
    return prompt_queries.completed_targets(
        tasks, Referral.id, Referral.patient_answer.is_not(None)
    )


def checkback_url(grant: TaskGrant) -> str:
    return url_for("referrals.answer", referral_id=grant.target)


def checkback_pages(grant: TaskGrant, endpoint: str, view_args: Mapping[str, Any]) -> bool:
    return endpoint == "referrals.answer" and view_args.get("referral_id") == grant.target


REFERRAL_CHECKBACK = PromptKind(
    purpose=PromptPurpose.REFERRAL_CHECKBACK,
    body=checkback_body,
    source=CheckbackPrompts(),
    completed=answered,
    landing=checkback_url,
    pages=checkback_pages,
)


@prompt_kinds.connect
def _prompt_kinds(_app: object, **_kwargs: Any) -> tuple[PromptKind, ...]:
    return (REFERRAL_CHECKBACK,)
