"""The follow-ups' receivers: the patient's own next follow-up on their home page.

The follow-ups' fringe: their prompt kind.

Prompt kind (`PREVISIT_CHECKIN`): the day before a planned follow-up, at the patient's usual
reminder time, a text asks them to fill in that day's diary (skipped once it has an entry); the
link opens exactly that.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import Action, may
from app.auth.models import User
from app.careteam.models import Patient
from app.db import db, utcnow
from app.diary.hooks import DAY_PAGES, diary_done
from app.diary.queries import patient_zone
from app.followups import queries
from app.followups.models import Appointment, AppointmentStatus
from app.prompts import queries as prompt_queries
from app.prompts.kinds import PromptKind, TaskGrant
from app.prompts.models import PromptPurpose
from app.prompts.planning import PlannedPrompt, on_the_day
from app.signals import prompt_kinds
from app.web.sections import Section, provider


@provider("home")
def next_followup(patient: Patient) -> Section | None:
    """The patient's own next follow-up, on their home page."""
    if not may(current_user, Action.VIEW_NEXT_FOLLOWUP, patient):
        return None
    visit = queries.next_for_patient(patient, now=utcnow())
    context = {"visit": visit, "zone": str(patient_zone(patient))}
    return Section("followups/_home_next.html", {"followup": context}, order=8)


# -- Prompt kind: the pre-visit check-in -------------------------------------------------------


def previsit_body(link: str) -> str:
    return _(
        "Heed: your visit is tomorrow. Please complete your check-in. %(link)s Reply STOP to stop.",
        link=link,
    )


class PrevisitPrompts:
    name = "previsit_checkin"

    def due_prompts(self, now: datetime) -> Iterator[PlannedPrompt]:
        rows = db.session.execute(
            prompt_queries.patients_to_text(Appointment, User).where(
                Appointment.status == AppointmentStatus.PLANNED,
                Appointment.starts_at > now,
                Appointment.starts_at <= now + timedelta(days=3),
            )
        ).all()
        schedules = prompt_queries.schedules_for(user.id for _, _, user in rows)
        for appointment, user_id, user in rows:
            tz = prompt_queries.zone(user)
            eve = appointment.starts_at.astimezone(tz).date() - timedelta(days=1)
            yield on_the_day(
                local_date=eve,
                at=schedules[user_id].diary_time,
                tz=tz,
                recipient_id=user_id,
                patient_id=appointment.patient_id,
                purpose=PromptPurpose.PREVISIT_CHECKIN,
                target=str(appointment.id),
                slot="eve",
            )


def checkin_url(grant: TaskGrant) -> str:
    return url_for("diary.quick", patient_id=grant.patient_id, day=grant.local_date.isoformat())


def checkin_pages(grant: TaskGrant, endpoint: str, view_args: Mapping[str, Any]) -> bool:
    return (
        endpoint in DAY_PAGES
        and view_args.get("patient_id") == str(grant.patient_id)
        and view_args.get("day") in (None, grant.local_date.isoformat())
    )


PREVISIT_CHECKIN = PromptKind(
    purpose=PromptPurpose.PREVISIT_CHECKIN,
    body=previsit_body,
    source=PrevisitPrompts(),
    completed=diary_done,
    landing=checkin_url,
    pages=checkin_pages,
)


@prompt_kinds.connect
def _prompt_kinds(_app: object, **_kwargs: Any) -> tuple[PromptKind, ...]:
    return (PREVISIT_CHECKIN,)
