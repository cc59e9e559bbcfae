"""The one authorization policy: may USER do ACTION on PATIENT?

Every view that touches a patient's record calls :func:`patient_or_404`, which
loads the patient, applies :func:`may`, writes an audit event either way and
turns a denial into a 404 so that a record's existence is not disclosed.

Every other refusal is audited too: any 4xx answer to a signed-in person, or on a patient's
route, that did not already write a denied event (a malformed parameter, a refused form, a
CSRF failure) writes one ``request.refused`` event with the status and the endpoint.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from flask import Flask, abort, request
from flask_login import current_user
from sqlalchemy import ColumnElement, exists, select
from werkzeug.wrappers import Response

from app import audit
from app.auth.models import Role, User
from app.careteam.models import (
    BreakGlassGrant,
    CaregiverLink,
    CareTeamMembership,
    ConsentGrant,
    ConsentScope,
    Patient,
)
from app.consent.queries import grant_active
from app.db import db, utcnow

REFUSED = "request.refused"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Action(StrEnum):
    VIEW_RECORD = "view_record"
    VIEW_ACCESS_LOG = "view_access_log"
    VIEW_DIARY = "view_diary"
    VIEW_SCORES = "view_scores"
    SUBMIT_OBSERVATION = "submit_observation"
    MANAGE_TEAM = "manage_team"
    MANAGE_CAREGIVERS = "manage_caregivers"
    EXPORT_DATA = "export_data"
    ERASE_DATA = "erase_data"
    ANSWER_QUESTIONNAIRE = "answer_questionnaire"
    ASSIGN_INSTRUMENT = "assign_instrument"
    ACKNOWLEDGE_ALERT = "acknowledge_alert"
    SUBMIT_CHECKIN = "submit_checkin"
    WRITE_DIARY = "write_diary"
    VIEW_CARE_PLAN = "view_care_plan"
    EDIT_CARE_PLAN = "edit_care_plan"
    COMMENT_CARE_PLAN = "comment_care_plan"
    VIEW_MESSAGES = "view_messages"
    VIEW_MESSAGE_BODIES = "view_message_bodies"
    READ_PATIENT_TEXTS = "read_patient_texts"  # texts the patient and caregivers sent to Heed
    VIEW_SUMMARY = "view_summary"
    EXPORT_SUMMARY = "export_summary"
    SCHEDULE_FOLLOWUP = "schedule_followup"
    VIEW_NEXT_FOLLOWUP = "view_next_followup"
    # The patient's phone, email, language and local time (`app/careteam/contact.py`).
    VIEW_CONTACT = "view_contact"
    # Which answers were critical (PHQ-9 item 9): a disclosure, not part of a score, so no
    # caregiver scope covers it.
    VIEW_CRITICAL_ANSWERS = "view_critical_answers"
    # Versioned consent (`app/consent`): read the records and their PDFs; give or withdraw
    # (the patient themself, or staff recording a verbal or paper consent).
    VIEW_CONSENT = "view_consent"
    RECORD_CONSENT = "record_consent"
    # Referrals (`app/referrals`): refer the patient and follow their referrals (care team,
    # coordinators); the patient sees their own in plain words and says whether they helped.
    REFER = "refer"
    VIEW_OWN_REFERRALS = "view_own_referrals"


# Writes whose allowed access event is not committed alone: it is inserted with the write's own
# audit event in one statement (issue 19: the diary save, the form POST and the API PUT alike;
# see `audit.defer`). A refused or failed write still commits it at the end of the request.
DEFERRED_AUDIT = frozenset({Action.WRITE_DIARY})

# A caregiver needs an active grant of one of these scopes for each action. No scope covers
# the care plan, so caregivers never see it.
CAREGIVER_SCOPES: dict[Action, frozenset[ConsentScope]] = {
    Action.VIEW_RECORD: frozenset(ConsentScope),
    Action.VIEW_DIARY: frozenset({ConsentScope.VIEW_DIARY_SUMMARY}),
    Action.VIEW_SCORES: frozenset({ConsentScope.VIEW_SCORES}),
    Action.SUBMIT_OBSERVATION: frozenset({ConsentScope.SUBMIT_OBSERVATIONS}),
    # A caregiver check-in is their own observation: either scope allows it.
    Action.SUBMIT_CHECKIN: frozenset(
        {ConsentScope.RECEIVE_CHECKINS, ConsentScope.SUBMIT_OBSERVATIONS}
    ),
}
PATIENT_SELF_ACTIONS = frozenset(
    {
        Action.VIEW_RECORD,
        Action.VIEW_ACCESS_LOG,
        Action.VIEW_DIARY,
        Action.VIEW_SCORES,
        Action.MANAGE_CAREGIVERS,
        Action.EXPORT_DATA,
        Action.ERASE_DATA,
        Action.ANSWER_QUESTIONNAIRE,
        Action.WRITE_DIARY,
        Action.VIEW_CARE_PLAN,
        Action.COMMENT_CARE_PLAN,
        Action.VIEW_MESSAGES,
        Action.VIEW_MESSAGE_BODIES,
        Action.VIEW_NEXT_FOLLOWUP,
        Action.VIEW_CRITICAL_ANSWERS,
        Action.VIEW_CONSENT,
        Action.RECORD_CONSENT,
        Action.VIEW_OWN_REFERRALS,
    }
)
CONSENT_ACTIONS = frozenset({Action.VIEW_CONSENT, Action.RECORD_CONSENT})
# Clinician trend views (pre-visit summary, its export) and follow-up scheduling.
TREND_ACTIONS = frozenset({Action.VIEW_SUMMARY, Action.EXPORT_SUMMARY, Action.SCHEDULE_FOLLOWUP})
CARE_TEAM_ACTIONS = frozenset(
    {
        Action.VIEW_RECORD,
        Action.VIEW_DIARY,
        Action.VIEW_SCORES,
        Action.SUBMIT_OBSERVATION,
        Action.MANAGE_TEAM,
        Action.ASSIGN_INSTRUMENT,
        Action.ACKNOWLEDGE_ALERT,
        Action.VIEW_CARE_PLAN,
        Action.EDIT_CARE_PLAN,
        Action.VIEW_MESSAGES,  # delivery and opt-out status, not the message texts
        Action.VIEW_CONTACT,
        Action.VIEW_CRITICAL_ANSWERS,
        Action.READ_PATIENT_TEXTS,
        Action.REFER,
        *TREND_ACTIONS,
        *CONSENT_ACTIONS,
    }
)
# Coordinators see their clinic's records, keep plans and teams current and route alerts;
# they do not answer, assign, or write the patient's comments.
COORDINATOR_ACTIONS = frozenset(
    {
        Action.VIEW_RECORD,
        Action.VIEW_ACCESS_LOG,
        Action.VIEW_DIARY,
        Action.VIEW_SCORES,
        Action.MANAGE_TEAM,
        Action.ACKNOWLEDGE_ALERT,
        Action.VIEW_CARE_PLAN,
        Action.EDIT_CARE_PLAN,
        Action.VIEW_MESSAGES,
        Action.VIEW_MESSAGE_BODIES,
        Action.VIEW_CONTACT,
        Action.VIEW_CRITICAL_ANSWERS,
        Action.READ_PATIENT_TEXTS,
        Action.REFER,
        *TREND_ACTIONS,
        *CONSENT_ACTIONS,
    }
)
# Break-glass is read-only and limited to the clinical record (no contact details: reaching
# the patient is the care team's and the coordinators' job).
BREAK_GLASS_ACTIONS = frozenset(
    {
        Action.VIEW_RECORD,
        Action.VIEW_CRITICAL_ANSWERS,
        Action.VIEW_DIARY,
        Action.VIEW_SCORES,
        Action.VIEW_CARE_PLAN,
        Action.VIEW_SUMMARY,
    }
)


def active_grant_clause(now: datetime) -> ColumnElement[bool]:
    """SQL condition: a consent grant counts at `now` (the consent state's one definition)."""
    return grant_active(now)


def caregiver_scopes(caregiver: User, patient: Patient, *, now: datetime) -> set[ConsentScope]:
    rows = db.session.scalars(
        select(ConsentGrant.scope)
        .join(CaregiverLink, CaregiverLink.id == ConsentGrant.link_id)
        .where(
            CaregiverLink.caregiver_id == caregiver.id,
            CaregiverLink.patient_id == patient.id,
            active_grant_clause(now),
        )
    )
    return set(rows)


def _any(*conditions: ColumnElement[bool]) -> bool:
    return bool(db.session.scalar(select(exists().where(*conditions))))


def on_care_team(user: User, patient: Patient) -> bool:
    return _any(
        CareTeamMembership.patient_id == patient.id,
        CareTeamMembership.member_id == user.id,
        CareTeamMembership.ended_at.is_(None),
    )


def has_break_glass(admin: User, patient: Patient, *, now: datetime) -> bool:
    return _any(
        BreakGlassGrant.admin_id == admin.id,
        BreakGlassGrant.patient_id == patient.id,
        BreakGlassGrant.expires_at > now,
    )


def may(user: User, action: Action, patient: Patient, *, now: datetime | None = None) -> bool:
    """The policy. Pure apart from reading memberships, consents and break-glass grants."""
    now = now or utcnow()
    if not user.is_active:
        return False
    match user.role:
        case Role.PATIENT:
            return patient.user_id == user.id and action in PATIENT_SELF_ACTIONS
        case Role.CAREGIVER:
            needed = CAREGIVER_SCOPES.get(action, frozenset())
            return bool(needed & caregiver_scopes(user, patient, now=now))
        case Role.CLINICIAN:
            return action in CARE_TEAM_ACTIONS and on_care_team(user, patient)
        case Role.COORDINATOR:
            return action in COORDINATOR_ACTIONS and user.clinic_id == patient.clinic_id
        case Role.ADMIN:
            return action in BREAK_GLASS_ACTIONS and has_break_glass(user, patient, now=now)
    return False


def patient_or_404(patient_id: uuid.UUID, action: Action) -> Patient:
    """Load the patient the current user may act on, auditing the access or the denial.

    The id comes typed from the route (``<uuid:patient_id>``): a malformed one never reaches a
    view; routing answers 404 and `_audit_refusal` records the refusal."""
    patient = db.session.get(Patient, patient_id)
    allowed = patient is not None and may(current_user, action, patient)
    if allowed and action in DEFERRED_AUDIT and request.method in WRITE_METHODS:
        assert patient is not None  # noqa: S101 - narrowed by `allowed`
        audit.defer(f"patient.{action}", patient_id=patient.id)
        return patient
    audit.record(
        f"patient.{action}",
        patient_id=patient.id if patient is not None else None,
        outcome=audit.Outcome.ALLOWED if allowed else audit.Outcome.DENIED,
        object_type=None if patient is not None else "patient_ref",
        object_id=None if patient is not None else str(patient_id),
    )
    db.session.commit()
    if not allowed:
        abort(404)
    assert patient is not None  # noqa: S101 - narrowed by `allowed`
    return patient


def _audit_refusal(response: Response) -> Response:
    status = response.status_code
    if not 400 <= status < 500 or request.endpoint == "static" or audit.refusal_audited():
        return response
    patient_id = (request.view_args or {}).get("patient_id")
    if patient_id is None and not current_user.is_authenticated:
        return response
    # What the refused request left unflushed or unsaved is not kept (teardown would roll it
    # back anyway); the refusal itself is committed.
    db.session.rollback()
    patient = db.session.get(Patient, patient_id) if patient_id is not None else None
    audit.record(
        REFUSED,
        patient_id=patient.id if patient is not None else None,
        outcome=audit.Outcome.DENIED,
        object_type=f"http_{status}",
        object_id=request.endpoint,
    )
    db.session.commit()
    return response


def init_app(app: Flask) -> None:
    app.after_request(_audit_refusal)
    audit.init_app(app)
