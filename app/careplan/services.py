"""Writes for care plans: every save is a new version; comments. Services flush, callers commit."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app import audit
from app.auth.models import User
from app.careplan import queries
from app.careplan.content import COMMENT_MAX, PlanContent
from app.careplan.models import CarePlanComment, CarePlanVersion
from app.careteam.models import Patient
from app.db import db


class StalePlan(Exception):
    """The plan changed since the editor opened it; nothing was written."""

    def __init__(self, latest: int) -> None:
        super().__init__(f"the latest version is {latest}")
        self.latest = latest


def save_version(
    *, patient: Patient, author: User, content: PlanContent, base_version: int
) -> CarePlanVersion:
    """Store `content` as the next version, refusing a save based on anything but the latest."""
    previous = queries.latest_version(patient)
    latest = previous.version if previous else 0
    if base_version != latest:
        raise StalePlan(latest)
    content = content.with_ids()
    version = CarePlanVersion(
        patient_id=patient.id, version=latest + 1, author_id=author.id, content=content.to_json()
    )
    try:
        with db.session.begin_nested():
            db.session.add(version)
            db.session.flush()
    except IntegrityError as exc:  # a concurrent save took this version number first
        raise StalePlan(latest + 1) from exc
    audit.record(
        "care_plan.version_create",
        patient_id=patient.id,
        object_type="care_plan_version",
        object_id=str(version.id),
    )
    return version


def add_comment(
    *, patient: Patient, author: User, body: str, plan_version: int | None
) -> CarePlanComment:
    body = body.strip()
    if not body or len(body) > COMMENT_MAX:
        raise ValueError("a comment needs between 1 and 2000 characters")
    comment = CarePlanComment(
        patient_id=patient.id, author_id=author.id, body=body, plan_version=plan_version
    )
    return audit.add(
        comment, "care_plan.comment_add", patient_id=patient.id, object_type="care_plan_comment"
    )
