"""Outbox dispatch: claim under a lease, re-check consent, render, call Twilio outside the
transaction, record the outcome. Safe with any number of workers (SKIP LOCKED + compare-and-set).
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.db import db, utcnow
from app.prompts.models import PromptPurpose
from app.prompts.planning import is_stale
from app.prompts.queries import schedule_for
from app.sms import bodies, conversations, magic, services
from app.sms.gateway import ErrorKind, Gateway, GatewayError, Sent, body_digest, get_gateway, mask
from app.sms.models import OutboxMessage, OutboxStatus
from app.sms.queries import blocked_reason
from app.sms.segments import count

log = logging.getLogger(__name__)
RECONCILE_AFTER = timedelta(seconds=60)

AlertSink = Callable[[OutboxMessage], None]
_alert_sinks: list[AlertSink] = []


def register_alert_sink(sink: AlertSink) -> None:
    """The alerts feature can route 'retries exhausted' to coordinators at merge."""
    _alert_sinks.append(sink)


@dataclass
class DispatchStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    skipped: int = 0
    expired: int = 0
    outcomes: list[str] = field(default_factory=list)


def backoff(attempt: int, *, base: float = 20.0, cap: float = 900.0) -> timedelta:
    """Exponential backoff with full jitter between half and the whole delay."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return timedelta(seconds=delay * random.uniform(0.5, 1.0))


def _claim(*, now: datetime, status: OutboxStatus, limit: int, only: list | None = None) -> list:
    """Claim rows in one short transaction; each claim is a compare-and-set on status."""
    lease_until = now + current_app.config["SMS_LEASE"]
    with db.transaction() as session:
        query = select(OutboxMessage.id).where(OutboxMessage.status == status)
        if only is not None:
            query = query.where(OutboxMessage.id.in_(only))
        else:
            query = query.where(OutboxMessage.next_attempt_at <= now)
        ids = session.scalars(
            query.order_by(OutboxMessage.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = []
        for row_id in ids:
            claim_id = uuid.uuid4()
            values: dict = {
                "status": OutboxStatus.SENDING,
                "claim_id": claim_id,
                "lease_until": lease_until,
                "updated_at": now,
            }
            if status == OutboxStatus.PLANNED:
                values.update(attempts=OutboxMessage.attempts + 1, attempted_at=now)
            result = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status == status)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                claimed.append((row_id, claim_id))
    return claimed


def _mine(row_id: uuid.UUID, claim_id: uuid.UUID) -> OutboxMessage | None:
    row = db.session.get(OutboxMessage, row_id, populate_existing=True, with_for_update=True)
    if row is None or row.claim_id != claim_id or row.status != OutboxStatus.SENDING:
        log.warning("outbox row %s lost its claim; leaving it alone", row_id)
        return None
    return row


def _finish(row: OutboxMessage, status: OutboxStatus, reason: str | None, now: datetime) -> None:
    row.status, row.reason, row.updated_at = status, reason, now
    row.lease_until = row.claim_id = None


def _render(row: OutboxMessage, now: datetime) -> str:
    user = row.recipient
    raw = magic.issue(
        user_id=user.id,
        patient_id=row.patient_id,
        purpose=row.purpose,
        target=row.target,
        local_date=row.local_date,
        expires_at=now + current_app.config["SMS_MAGIC_LINK_LIFETIME"],
    )
    link = magic.url_for_token(raw)
    if row.purpose == PromptPurpose.DIARY_REMINDER and schedule_for(user.id).sms_diary_replies:
        body = bodies.render(
            user.locale,
            lambda: bodies.diary_with_replies(link, conversations.first_question()),
        )
    else:
        body = bodies.render(user.locale, bodies.PROMPT_BODIES[row.purpose], link)
    row.locale, row.body_digest = user.locale, body_digest(body)
    row.body_redacted, row.segments = body.replace(link, "[link]"), count(body).segments
    return body


def _prepare(row_id: uuid.UUID, claim_id: uuid.UUID, now: datetime, stats: DispatchStats):
    """Inside a transaction: expire, skip or render. Returns (phone, body) to send, or None."""
    with db.transaction():
        row = _mine(row_id, claim_id)
        if row is None:
            return None
        grace = current_app.config["SMS_GRACE"]
        if is_stale(due_at=row.due_at, expires_at=row.expires_at, now=now, grace=grace):
            _finish(row, OutboxStatus.EXPIRED, "late", now)
            stats.expired += 1
            return None
        reason = blocked_reason(row, row.recipient, now)
        if reason is not None:
            status = OutboxStatus.CANCELLED if reason == "completed" else OutboxStatus.SKIPPED
            _finish(row, status, reason, now)
            stats.skipped += 1
            return None
        return row.recipient.phone, _render(row, now)


def _record_sent(row: OutboxMessage, sent: Sent, now: datetime) -> None:
    delivered = sent.status == "delivered"
    _finish(row, OutboxStatus.DELIVERED if delivered else OutboxStatus.SENT, None, now)
    row.sid, row.provider_status, row.sent_at = sent.sid, sent.status, now
    row.delivered_at = now if delivered else None
    if (
        row.purpose == PromptPurpose.DIARY_REMINDER
        and schedule_for(row.recipient_id).sms_diary_replies
    ):
        conversations.start(
            user_id=row.recipient_id, patient_id=row.patient_id, local_date=row.local_date, now=now
        )


def _give_up(row: OutboxMessage, now: datetime) -> None:
    _finish(row, OutboxStatus.FAILED, "retries_exhausted", now)
    row.alert_raised_at = now
    log.warning("SMS %s to %s: retries exhausted", row.id, mask(row.recipient.phone))
    for sink in _alert_sinks:
        sink(row)


def _record_error(row: OutboxMessage, error: GatewayError, now: datetime, stats) -> None:
    row.error_code = error.code
    if error.kind == ErrorKind.RATE_LIMITED:
        if row.attempts >= current_app.config["SMS_MAX_ATTEMPTS"]:
            _give_up(row, now)
            stats.failed += 1
            return
        _finish(row, OutboxStatus.PLANNED, "rate_limited", now)
        row.next_attempt_at = now + backoff(row.attempts)
        stats.retried += 1
    elif error.kind == ErrorKind.UNKNOWN:
        _finish(
            row, OutboxStatus.UNKNOWN, "no_answer" if error.status is None else "server_error", now
        )
        stats.unknown += 1
    else:
        code = error.code or error.status
        _finish(row, OutboxStatus.FAILED, f"twilio_{code}", now)
        if error.kind == ErrorKind.PERMANENT and error.code is not None:
            services.refuse_number(user=row.recipient, code=error.code, now=now)
        stats.failed += 1


def _send_one(row_id, claim_id, gateway: Gateway, now: datetime, stats: DispatchStats) -> None:
    prepared = _prepare(row_id, claim_id, now, stats)
    if prepared is None:
        return
    phone, body = prepared
    callback = (
        f"{current_app.config['PUBLIC_BASE_URL']}/sms/status" if gateway.name == "twilio" else None
    )
    try:  # outside any transaction: no row lock is held while Twilio answers
        outcome: Sent | GatewayError = gateway.send(to=phone, body=body, status_callback=callback)
    except GatewayError as exc:
        outcome = exc
    with db.transaction():
        row = _mine(row_id, claim_id)
        if row is None:
            return
        if isinstance(outcome, Sent):
            _record_sent(row, outcome, now)
            stats.sent += 1
        else:
            _record_error(row, outcome, now, stats)
        stats.outcomes.append(row.status.value)


def dispatch_due(
    *, now: datetime | None = None, gateway: Gateway | None = None, limit: int | None = None
) -> DispatchStats:
    """Send every planned prompt that is due (one batch)."""
    now = now or utcnow()
    gateway = gateway or get_gateway()
    stats = DispatchStats()
    limit = limit or current_app.config["SMS_DISPATCH_BATCH"]
    for row_id, claim_id in _claim(now=now, status=OutboxStatus.PLANNED, limit=limit):
        _send_one(row_id, claim_id, gateway, now, stats)
    return stats


def reconcile_unknown(*, now: datetime | None = None, gateway: Gateway | None = None) -> int:
    """Rows whose send timed out: ask Twilio whether it went out before anything is resent."""
    now = now or utcnow()
    gateway = gateway or get_gateway()
    done = 0
    with db.transaction() as session:
        ids = list(
            session.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.status == OutboxStatus.UNKNOWN,
                    OutboxMessage.attempted_at <= now - RECONCILE_AFTER,
                )
            )
        )
    if not ids:
        return 0
    for row_id, claim_id in _claim(now=now, status=OutboxStatus.UNKNOWN, limit=len(ids), only=ids):
        with db.transaction():
            row = _mine(row_id, claim_id)
            phone, digest = (row.recipient.phone, row.body_digest) if row else (None, None)
            since = row.attempted_at if row and row.attempted_at else now
        if row is None:
            continue
        try:
            found = gateway.find_sent(to=phone or "", digest=digest or "", since=since)
        except GatewayError:
            found = None
            outcome = "still_unknown"
        else:
            outcome = "found" if found else "not_found"
        with db.transaction():
            row = _mine(row_id, claim_id)
            if row is None:
                continue
            if outcome == "still_unknown":
                _finish(row, OutboxStatus.UNKNOWN, row.reason, now)
            elif found is not None:
                _record_sent(row, found, now)
            elif is_stale(
                due_at=row.due_at,
                expires_at=row.expires_at,
                now=now,
                grace=current_app.config["SMS_GRACE"],
            ):
                _finish(row, OutboxStatus.EXPIRED, "late", now)
            elif row.attempts >= current_app.config["SMS_MAX_ATTEMPTS"]:
                _give_up(row, now)
            else:
                _finish(row, OutboxStatus.PLANNED, "resend_after_check", now)
                row.next_attempt_at = now
            done += 1
    return done


def expire_stale(*, now: datetime | None = None) -> int:
    """Expire planned prompts past their grace window; recover rows whose worker died."""
    now = now or utcnow()
    grace = current_app.config["SMS_GRACE"]
    with db.transaction() as session:
        expired = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PLANNED,
                (OutboxMessage.due_at < now - grace) | (OutboxMessage.expires_at <= now),
            )
            .values(status=OutboxStatus.EXPIRED, reason="late", updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        # A lapsed lease: never rendered -> plan again; rendered -> it may have gone out.
        for rendered, status in ((False, OutboxStatus.PLANNED), (True, OutboxStatus.UNKNOWN)):
            session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.SENDING,
                    OutboxMessage.lease_until < now,
                    OutboxMessage.body_digest.is_not(None)
                    if rendered
                    else OutboxMessage.body_digest.is_(None),
                )
                .values(status=status, claim_id=None, lease_until=None, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        conversations.expire_stale(now=now)
    return expired or 0
