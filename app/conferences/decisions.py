"""Decisions of a case conference: typed actions with an owner and a due date, tracked to done.
A care-plan change closes when the plan version made from it is saved, a referral when the
referral made from it is created: an opaque origin token travels through the care-plan editor
or the referral form and comes back with `app.signals.care_plan_saved` / `referral_created`."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.careteam.models import CareTeamMembership
from app.conferences import queries
from app.conferences.models import (
    ActionKind,
    ActionStatus,
    AgendaItem,
    CaseConference,
    ConferenceAction,
)
from app.conferences.services import ConferenceError, clean, in_meeting, on_agenda
from app.db import db

ORIGIN_PREFIX = "conference-action:"

KIND_LINKS: dict[ActionKind, str | None] = {
    ActionKind.CARE_PLAN: "careplan.edit",
    ActionKind.RECOMMENDATION: None,
    ActionKind.FOLLOWUP: "followups.schedule",
    ActionKind.QUESTIONNAIRE: "instruments.assign",
    ActionKind.PSYCHIATRIC_CONSULTATION: "followups.schedule",
    ActionKind.REFERRAL: "referrals.for_patient",
}
"""Where the owner carries out each kind of action (an endpoint taking `patient_id`).
Extension point: a new `ActionKind` names its page here."""

TRACKED_BY_ORIGIN = frozenset({ActionKind.CARE_PLAN, ActionKind.REFERRAL})
"""Kinds whose page is opened with the decision's origin token and that close when what the
page makes is saved (never by hand)."""


def possible_owners(conference: CaseConference, patient_id: uuid.UUID) -> list[User]:
    """Invited members and the patient's current care team."""
    team = select(CareTeamMembership.member_id).where(
        CareTeamMembership.patient_id == patient_id, CareTeamMembership.ended_at.is_(None)
    )
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(queries.member_ids(conference)) | User.id.in_(team))
            .order_by(User.display_name)
        )
    )


def add_action(
    *,
    conference: CaseConference,
    item: AgendaItem | None,
    kind: ActionKind,
    description: str,
    owner_id: uuid.UUID | None,
    due_on: date,
    by: User,
    today: date,
) -> ConferenceAction:
    in_meeting(conference)
    item = on_agenda(conference, item)
    text = clean(description, field="description")
    owner = next(
        (u for u in possible_owners(conference, item.patient_id) if u.id == owner_id), None
    )
    if owner is None:
        raise ConferenceError(_l("Choose a member of the conference or the care team."), "owner")
    if due_on < today:
        raise ConferenceError(_l("Choose a due date from today on."), "due_on")
    action = ConferenceAction(
        conference_id=conference.id,
        item_id=item.id,
        patient_id=item.patient_id,
        kind=kind,
        description=text,
        owner_id=owner.id,
        due_on=due_on,
        created_by_id=by.id,
    )
    return audit.add(
        action, "conference.action_add", patient_id=item.patient_id, object_type="conference_action"
    )


def close_action(
    *, action: ConferenceAction, by: User, decline: bool, reason: str | None, now: datetime
) -> ConferenceAction:
    """The owner marks an action done; a recommendation is acknowledged or declined (with a
    reason). A care-plan change closes when the plan version is saved (`link_plan_version`)."""
    if action.status != ActionStatus.OPEN:
        raise ConferenceError(_l("This action is already closed."))
    if by.id != action.owner_id:
        raise ConferenceError(_l("Only the owner can close this action."))
    if decline:
        if action.kind != ActionKind.RECOMMENDATION:
            raise ConferenceError(_l("Only a recommendation can be declined."))
        action.decline_reason = clean(reason, field="reason")
        action.status = ActionStatus.DECLINED
    else:
        action.status = ActionStatus.DONE
    action.closed_at = now
    db.session.flush()
    audit.record(
        "conference.action_close",
        patient_id=action.patient_id,
        object_type="conference_action",
        object_id=str(action.id),
    )
    return action


def origin_token(action: ConferenceAction) -> str:
    return f"{ORIGIN_PREFIX}{action.id}"


def _open_from_origin(
    origin: str | None, *, patient_id: uuid.UUID, kind: ActionKind
) -> ConferenceAction | None:
    """The decision an origin token names, if it is of `kind` and for that patient."""
    if not origin or not origin.startswith(ORIGIN_PREFIX):
        return None
    try:
        action_id = uuid.UUID(origin.removeprefix(ORIGIN_PREFIX))
    except ValueError:
        return None
    action = db.session.get(ConferenceAction, action_id)
    if action is None or action.patient_id != patient_id or action.kind != kind:
        return None
    return action


def _close(action: ConferenceAction, now: datetime) -> ConferenceAction:
    if action.status == ActionStatus.OPEN:
        action.status, action.closed_at = ActionStatus.DONE, now
    db.session.flush()
    return action


def link_plan_version(
    *, origin: str | None, patient_id: uuid.UUID, version_id: uuid.UUID, now: datetime
) -> ConferenceAction | None:
    """A care-plan version saved from a decision's link closes that decision."""
    action = _open_from_origin(origin, patient_id=patient_id, kind=ActionKind.CARE_PLAN)
    if action is None or action.care_plan_version_id is not None:
        return None
    action.care_plan_version_id = version_id
    return _close(action, now)


def link_referral(
    *, origin: str | None, patient_id: uuid.UUID, referral_id: uuid.UUID, now: datetime
) -> ConferenceAction | None:
    """A referral created (sent or drafted) from a decision's link closes that decision; the
    first one stays linked."""
    action = _open_from_origin(origin, patient_id=patient_id, kind=ActionKind.REFERRAL)
    if action is None or action.referral_id is not None:
        return None
    action.referral_id = referral_id
    return _close(action, now)
