"""Case conferences in a patient's export: only the patient-facing part (when their care was
reviewed, who took part, what recommendations, plan versions and referrals came of it), never the notes,
nominations or discussion. Erasure pseudonymizes every free text about the patient."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from app.auth.models import User
from app.careteam.models import Patient
from app.conferences.models import (
    ActionKind,
    ActionStatus,
    AgendaItem,
    Attendance,
    CaseConference,
    ConferenceAction,
    ConferenceMember,
)
from app.datarights.registry import Section, eraser, exporter
from app.db import db

ERASED = "[erased]"
COMMUNICATION_STATUS = {
    ActionStatus.OPEN: "in-progress",
    ActionStatus.DONE: "completed",
    ActionStatus.DECLINED: "not-done",
}


@exporter(covers=(AgendaItem, ConferenceAction), sections=("case_reviews",))
def conferences(patient: Patient) -> list[Section]:
    reviews = db.session.execute(
        select(AgendaItem, CaseConference)
        .join(CaseConference, CaseConference.id == AgendaItem.conference_id)
        .where(
            AgendaItem.patient_id == patient.id,
            AgendaItem.discussed_at.is_not(None),
            AgendaItem.removed_at.is_(None),
        )
        .order_by(CaseConference.starts_at)
    ).all()
    conference_ids = {conference.id for _item, conference in reviews}
    present = _present(conference_ids)
    actions = db.session.scalars(
        select(ConferenceAction)
        .where(ConferenceAction.patient_id == patient.id)
        .order_by(ConferenceAction.created_at)
    ).all()
    rows, resources = [], []
    for item, conference in reviews:
        produced = [
            a for a in actions if a.item_id == item.id and a.care_plan_version_id is not None
        ]
        referred = [a for a in actions if a.item_id == item.id and a.referral_id is not None]
        rows.append(
            {
                "reviewed_at": conference.starts_at.isoformat(),
                "participants": present.get(conference.id, []),
                "care_plan_versions": [str(a.care_plan_version_id) for a in produced],
                "referrals": [str(a.referral_id) for a in referred],
            }
        )
        resources.append(_encounter(patient, conference, present.get(conference.id, [])))
        resources += [_plan_change(patient, conference, a) for a in produced]
        resources += [_referral_made(patient, conference, a) for a in referred]
    resources += [
        _recommendation(patient, a) for a in actions if a.kind == ActionKind.RECOMMENDATION
    ]
    return [Section("case_reviews", rows, resources)]


def _present(conference_ids: set[Any]) -> dict[Any, list[str]]:
    if not conference_ids:
        return {}
    found: dict[Any, list[str]] = {}
    for conference_id, name in db.session.execute(
        select(ConferenceMember.conference_id, User.display_name)
        .join(User, User.id == ConferenceMember.member_id)
        .where(
            ConferenceMember.conference_id.in_(conference_ids),
            ConferenceMember.attendance == Attendance.PRESENT,
        )
    ):
        found.setdefault(conference_id, []).append(name)
    return found


def _encounter(patient: Patient, conference: CaseConference, names: list[str]) -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "id": f"conference-{conference.id}-{patient.id}",
        "status": "finished" if conference.finished_at else "in-progress",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "VR" if conference.modality.value == "video" else "AMB",
        },
        "type": [{"text": "Case conference (multidisciplinary case review)"}],
        "subject": {"reference": f"Patient/{patient.id}"},
        "period": {"start": conference.starts_at.isoformat()},
        "participant": [{"individual": {"display": name}} for name in names],
    }


def _plan_change(patient: Patient, conference, action: ConferenceAction) -> dict[str, Any]:
    return {
        "resourceType": "Communication",
        "id": f"conference-plan-{action.id}",
        "status": "completed",
        "subject": {"reference": f"Patient/{patient.id}"},
        "encounter": {"reference": f"Encounter/conference-{conference.id}-{patient.id}"},
        "about": [{"reference": f"CarePlan/{action.care_plan_version_id}"}],
        "payload": [{"contentString": "Care plan updated after a case review"}],
    }


def _referral_made(patient: Patient, conference, action: ConferenceAction) -> dict[str, Any]:
    """A referral decided at the review and made: it points at the referral's ServiceRequest
    (exported by the referrals feature), without the decision's text."""
    return {
        "resourceType": "Communication",
        "id": f"conference-referral-{action.id}",
        "status": "completed",
        "category": [{"text": "Case-conference referral"}],
        "subject": {"reference": f"Patient/{patient.id}"},
        "encounter": {"reference": f"Encounter/conference-{conference.id}-{patient.id}"},
        "about": [{"reference": f"ServiceRequest/{action.referral_id}"}],
        "payload": [{"contentString": "Referral made after a case review"}],
    }


def _recommendation(patient: Patient, action: ConferenceAction) -> dict[str, Any]:
    """A recommendation to a named clinician, without its text (that is the team's discussion)."""
    return {
        "resourceType": "Communication",
        "id": f"conference-recommendation-{action.id}",
        "status": COMMUNICATION_STATUS[action.status],
        "category": [{"text": "Case-conference recommendation"}],
        "subject": {"reference": f"Patient/{patient.id}"},
        "sent": action.created_at.isoformat(),
        "recipient": [{"display": action.owner.display_name}],
        "encounter": {
            "reference": f"Encounter/conference-{action.conference_id}-{action.patient_id}"
        },
    }


@eraser(covers=(AgendaItem, ConferenceAction))
def erase_conference_text(patient: Patient) -> None:
    db.session.execute(
        update(AgendaItem)
        .where(AgendaItem.patient_id == patient.id)
        .values(
            nomination=None,
            removal=None,
            snapshot=None,
            discussed=ERASED,
            hypotheses=None,
            disagreements=None,
            uncertainty=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(ConferenceAction)
        .where(ConferenceAction.patient_id == patient.id)
        .values(description=ERASED, decline_reason=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
