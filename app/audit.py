"""Append-only audit events: who did what to which patient's record, when, from where, and the outcome.

Event text is a fixed action code plus opaque ids; it never carries names, notes or numbers.

Deferred events (issue 19, the lean diary write path): an access check that is followed by a
write (`defer`) does not commit its event alone; the event waits in the request and is inserted
with the write's own events in one statement (`record_with_pending`), or at the request's next
commit, or, when the request commits nothing (a refused form, an error), at its end. A rollback
never loses a deferred event: it waits for the next commit again.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import BigInteger, Integer, String, event, insert, select
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


def _row(
    action: str,
    *,
    patient_id: uuid.UUID | None,
    outcome: Outcome,
    object_type: str | None,
    object_id: str | None,
) -> dict[str, Any]:
    actor = current_user if has_request_context() else None
    authenticated = actor is not None and actor.is_authenticated
    return {
        "occurred_at": utcnow(),
        "actor_id": actor.id if authenticated else None,
        "actor_role": str(actor.role) if authenticated else None,
        "action": action,
        "patient_id": patient_id,
        "object_type": object_type,
        "object_id": object_id,
        "ip": request.remote_addr if has_request_context() else None,
        "outcome": outcome,
    }


def record(
    action: str,
    *,
    patient_id: uuid.UUID | None,
    outcome: Outcome = Outcome.ALLOWED,
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEvent:
    """Add an event to the current session (committed with the work it describes)."""
    row = _row(
        action, patient_id=patient_id, outcome=outcome, object_type=object_type, object_id=object_id
    )
    audit_event = AuditEvent(**row)
    _insert(db.session, _take_pending())  # deferred events keep their place before this one
    db.session.add(audit_event)
    db.session.flush()
    if outcome == Outcome.DENIED and has_request_context():
        g.heed_refusal_audited = True
    return audit_event


def defer(action: str, *, patient_id: uuid.UUID) -> None:
    """An allowed access whose event waits for the request's write (see the module's doc).
    Outside a request it is recorded at once."""
    if not has_request_context():
        record(action, patient_id=patient_id)
        return
    row = _row(
        action, patient_id=patient_id, outcome=Outcome.ALLOWED, object_type=None, object_id=None
    )
    g.setdefault("heed_audit_pending", []).append(row)


def record_with_pending(
    action: str, *, patient_id: uuid.UUID, object_type: str, object_id: str
) -> None:
    """Insert this event, and the request's deferred ones before it, in one statement, in the
    current transaction (committed with the work it describes)."""
    row = _row(
        action,
        patient_id=patient_id,
        outcome=Outcome.ALLOWED,
        object_type=object_type,
        object_id=object_id,
    )
    _insert(db.session, [*_take_pending(), row])


def _take_pending() -> list[dict[str, Any]]:
    """The deferred events, moved to those written in the current transaction."""
    if not has_request_context() or not g.get("heed_audit_pending"):
        return []
    rows, g.heed_audit_pending = g.heed_audit_pending, []
    g.setdefault("heed_audit_inflight", []).extend(rows)
    return rows


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(AuditEvent.__table__).values(rows))  # type: ignore[arg-type]


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    _insert(session, _take_pending())


@event.listens_for(Session, "after_commit")
def _written(_session: Session) -> None:
    if has_request_context() and g.get("heed_audit_inflight"):
        g.heed_audit_inflight = []


@event.listens_for(Session, "after_soft_rollback")
def _unwritten(_session: Session, _previous: Any) -> None:
    if has_request_context() and g.get("heed_audit_inflight"):
        g.heed_audit_pending = [*g.heed_audit_inflight, *g.get("heed_audit_pending", [])]
        g.heed_audit_inflight = []


def _commit_pending(_exc: BaseException | None) -> None:
    """At the end of a request that committed nothing after its access check: write the
    deferred events on their own (what the request left uncommitted is not kept)."""
    if not (g.get("heed_audit_pending") or g.get("heed_audit_inflight")):
        return
    db.session.rollback()
    db.session.commit()  # before_commit inserts them


def init_app(app: Flask) -> None:
    app.teardown_request(_commit_pending)


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
