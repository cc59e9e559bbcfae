"""Append-only audit events: who did what to which patient's record, when, from where, and the outcome.

Event text is a fixed action code plus opaque ids; it never carries names, notes or numbers.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import BigInteger, Integer, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, db, str_enum, utcnow

T = TypeVar("T")


class Outcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    actor_role: Mapped[str | None] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(64))
    patient_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(45))
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "audit_outcome"))


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent):
            raise PermissionError("audit events are append-only")


def record(
    action: str,
    *,
    patient_id: uuid.UUID | None,
    outcome: Outcome = Outcome.ALLOWED,
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEvent:
    """Add an event to the current session (committed with the work it describes)."""
    actor = current_user if has_request_context() else None
    authenticated = actor is not None and actor.is_authenticated
    audit_event = AuditEvent(
        actor_id=actor.id if authenticated else None,
        actor_role=str(actor.role) if authenticated else None,
        action=action,
        patient_id=patient_id,
        object_type=object_type,
        object_id=object_id,
        ip=request.remote_addr if has_request_context() else None,
        outcome=outcome,
    )
    db.session.add(audit_event)
    db.session.flush()
    if outcome == Outcome.DENIED and has_request_context():
        g.heed_refusal_audited = True
    return audit_event


def refusal_audited() -> bool:
    """Whether this request already wrote a denied event (e.g. a denial in patient_or_404)."""
    return bool(g.get("heed_refusal_audited"))


def add(obj: T, action: str, *, patient_id: uuid.UUID, object_type: str) -> T:
    """Add a new object with an opaque id and record its creation in the same transaction."""
    db.session.add(obj)
    db.session.flush()
    record(action, patient_id=patient_id, object_type=object_type, object_id=str(obj.id))
    return obj


def events_for_patient(
    patient_id: uuid.UUID, *, exclude_actor: uuid.UUID | None = None, limit: int = 200
) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.patient_id == patient_id)
    if exclude_actor is not None:
        query = query.where(
            (AuditEvent.actor_id != exclude_actor) | AuditEvent.actor_id.is_(None),
            AuditEvent.outcome == Outcome.ALLOWED,
        )
    query = query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(limit)
    return list(db.session.scalars(query))
