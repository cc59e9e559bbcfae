"""Outbox dispatch: claim a batch under a lease, prepare it (checks, render) in one transaction,
then per message re-check consent, call Twilio outside any transaction and record the outcome.
Safe with any number of workers (SKIP LOCKED + compare-and-set on the claim).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import Update, bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from app.db import db, utcnow
from app.i18n import recipient_locale
from app.prompts.kinds import catalogue
from app.prompts.models import OutboxMessage, OutboxStatus
from app.prompts.planning import is_stale
from app.prompts.queries import schedules_for
from app.sms import bodies, conversations, magic
from app.sms.gateway import ErrorKind, Gateway, GatewayError, Sent, body_digest, get_gateway
from app.sms.models import MagicLink
from app.sms.outcomes import (
    DispatchStats,
    backoff,
    finish,
    give_up,
    lost,
    mine,
    record_error,
    record_sent,
    sent_values,
    start_conversation,
)
from app.sms.queries import blocked_reasons, consent_reasons
from app.sms.segments import count

log = logging.getLogger(__name__)
RECONCILE_AFTER = timedelta(seconds=60)
__all__ = [
    "DispatchStats",
    "backoff",
    "dispatch_due",
    "expire_stale",
    "reconcile_unknown",
]


def _claim(*, now: datetime, status: OutboxStatus, limit: int, only: list | None = None) -> list:
    """Claim rows in one short transaction: one compare-and-set on status for the whole batch.

    Returns (row id, claim id) pairs; a batch shares one claim id, unique to this claim.
    """
    lease_until = now + current_app.config["SMS_LEASE"]
    claim_id = uuid.uuid4()
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
        if not ids:
            return []
        values: dict = {
            "status": OutboxStatus.SENDING,
            "claim_id": claim_id,
            "lease_until": lease_until,
            "updated_at": now,
        }
        if status == OutboxStatus.PLANNED:
            values.update(attempts=OutboxMessage.attempts + 1, attempted_at=now)
        claimed = set(
            session.scalars(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == status)
                .values(**values)
                .returning(OutboxMessage.id)
                .execution_options(synchronize_session=False)
            )
        )
    return [(row_id, claim_id) for row_id in ids if row_id in claimed]


@dataclass
class _Prepared:
    """A rendered message, committed as being sent (body digest set), not yet sent."""

    row_id: uuid.UUID
    claim_id: uuid.UUID
    phone: str
    body: str
    link_digest: str
    replies: bool  # a prompt whose kind starts an SMS conversation once sent (quick diary)


def _render(row: OutboxMessage, now: datetime, replies: bool) -> _Prepared:
    """Render first, then change the row and add the link: a body that cannot be rendered
    leaves the session untouched."""
    user = row.recipient
    raw, link_row = magic.new_link(
        user_id=user.id,
        patient_id=row.patient_id,
        purpose=row.purpose,
        target=row.target,
        local_date=row.local_date,
        expires_at=now + current_app.config["SMS_MAGIC_LINK_LIFETIME"],
    )
    link = magic.url_for_token(raw)
    locale = recipient_locale(user.locale)
    kind = catalogue().kind(row.purpose)
    talk = kind.conversation if replies else None
    if talk is not None:
        body = bodies.render(locale, lambda: talk.body(link, talk.questions[0].text()))
    else:
        body = bodies.render(locale, kind.body, link)
    segments = count(body).segments
    db.session.add(link_row)
    row.locale, row.body_digest = locale, body_digest(body)
    row.body_redacted, row.segments = body.replace(link, "[link]"), segments
    return _Prepared(row.id, row.claim_id, user.phone, body, link_row.digest, replies)


def _skip(row: OutboxMessage, reason: str, now: datetime, stats: DispatchStats) -> None:
    status = OutboxStatus.CANCELLED if reason == "completed" else OutboxStatus.SKIPPED
    finish(row, status, reason, now)
    stats.skipped += 1


def _prepare(claimed: list, now: datetime, stats: DispatchStats) -> list[_Prepared]:
    """One transaction for a claimed batch: expire, skip or render (bulk look-ups)."""
    if not claimed:
        return []
    order = {row_id: n for n, (row_id, _) in enumerate(claimed)}
    claim_ids = dict(claimed)
    grace = current_app.config["SMS_GRACE"]
    with db.transaction() as session:
        loaded = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(list(order)), OutboxMessage.status == OutboxStatus.SENDING)
            .options(joinedload(OutboxMessage.recipient, innerjoin=True))
            .with_for_update(of=OutboxMessage)
            .execution_options(populate_existing=True)
        ).all()
        rows = []
        for row in sorted(loaded, key=lambda r: order[r.id]):
            if row.claim_id != claim_ids[row.id]:
                lost(row.id)
            elif is_stale(due_at=row.due_at, expires_at=row.expires_at, now=now, grace=grace):
                finish(row, OutboxStatus.EXPIRED, "late", now)
                stats.expired += 1
            else:
                rows.append(row)
        for row_id in order.keys() - {row.id for row in loaded}:
            lost(row_id)
        reasons = blocked_reasons(rows, now)
        kinds = catalogue()
        talking = [row for row in rows if kinds.kind(row.purpose).conversation is not None]
        schedules = schedules_for(row.recipient_id for row in talking if not reasons[row.id])
        prepared = []
        for row in rows:
            reason = reasons[row.id]
            if reason is not None:
                _skip(row, reason, now, stats)
                continue
            schedule = schedules.get(row.recipient_id)
            try:
                prepared.append(_render(row, now, bool(schedule and schedule.sms_diary_replies)))
            except Exception as exc:  # one message that cannot be written never stops the batch
                log.error("outbox row %s: rendering failed (%s)", row.id, type(exc).__name__)
                finish(row, OutboxStatus.FAILED, "render_failed", now)
                stats.failed += 1
    return prepared


def _withdrawn(item: _Prepared, reason: str, now: datetime, stats: DispatchStats) -> None:
    """Blocked after rendering: as if never rendered (no body kept, the link deleted)."""
    row = mine(item.row_id, item.claim_id)
    if row is None:
        return
    _skip(row, reason, now, stats)
    row.locale = row.body_digest = row.body_redacted = row.segments = None
    db.session.execute(delete(MagicLink).where(MagicLink.digest == item.link_digest))


Outcome = Sent | GatewayError


@cache
def _record_sent_statement() -> Update:
    """Built once: the values of `sent_values` and the claim are bound parameters."""
    table = OutboxMessage.__table__
    return (
        update(table)
        .where(
            table.c.id == bindparam("row_id"),
            table.c.claim_id == bindparam("claim"),
            table.c.status == OutboxStatus.SENDING,
        )
        .values({column: bindparam(column) for column in sent_values(Sent("", ""), utcnow())})
        .returning(table.c.recipient_id, table.c.patient_id, table.c.local_date)
    )


def _record(item: _Prepared, outcome: Outcome, now: datetime, stats: DispatchStats) -> None:
    """Inside a transaction: compare-and-set on the claim, then the outcome."""
    if isinstance(outcome, Sent):  # one statement: the compare-and-set is the UPDATE's WHERE
        values = sent_values(outcome, now)
        params = {"row_id": item.row_id, "claim": item.claim_id, **values}
        recorded = db.session.execute(_record_sent_statement(), params).first()
        if recorded is None:
            lost(item.row_id)
            return
        if item.replies:
            start_conversation(*recorded, now)
        stats.sent += 1
        stats.outcomes.append(values["status"].value)
        return
    row = mine(item.row_id, item.claim_id)
    if row is not None:
        record_error(row, outcome, now, stats)
        stats.outcomes.append(row.status.value)


def _send(gateway: Gateway, item: _Prepared) -> Outcome:
    callback = (
        f"{current_app.config['PUBLIC_BASE_URL']}/sms/status" if gateway.name == "twilio" else None
    )
    try:  # outside any transaction: no row lock is held while Twilio answers
        return gateway.send(to=item.phone, body=item.body, status_callback=callback)
    except GatewayError as exc:
        return exc
    except Exception as exc:  # it may have gone out: reconciled before any resend
        log.error("outbox row %s: unexpected send error (%s)", item.row_id, type(exc).__name__)
        return GatewayError(ErrorKind.UNKNOWN)


def _isolate(items: list[_Prepared], now: datetime, stats: DispatchStats) -> None:
    """A transaction for these messages failed unexpectedly: each one still claimed becomes
    *unknown* (checked with the provider before any resend), and the batch goes on."""
    with db.transaction():
        for item in items:
            row = mine(item.row_id, item.claim_id)
            if row is not None:
                finish(row, OutboxStatus.UNKNOWN, "dispatch_error", now)
                stats.unknown += 1


def _send_batch(
    prepared: list[_Prepared], gateway: Gateway, now: datetime, stats: DispatchStats
) -> None:
    """Per message, one transaction records the previous outcome and re-checks this message
    (still claimed, consent, opt-out, number, caregiver scope) right before it is sent.
    An unexpected error in that transaction concerns those two messages only (`_isolate`)."""
    previous: tuple[_Prepared, Outcome] | None = None
    for item in prepared:
        involved = [item] if previous is None else [previous[0], item]
        try:
            with db.transaction():
                if previous is not None:
                    _record(*previous, now, stats)
                ready = _still_ready(item, now, stats)
        except Exception as exc:
            log.error("outbox row %s: dispatch failed (%s)", item.row_id, type(exc).__name__)
            _isolate(involved, now, stats)
            ready = False
        previous = (item, _send(gateway, item)) if ready else None
    if previous is not None:
        try:
            with db.transaction():
                _record(*previous, now, stats)
        except Exception as exc:
            log.error(
                "outbox row %s: recording failed (%s)", previous[0].row_id, type(exc).__name__
            )
            _isolate([previous[0]], now, stats)


def _still_ready(item: _Prepared, now: datetime, stats: DispatchStats) -> bool:
    reasons = consent_reasons([item.row_id], now, claim_id=item.claim_id)
    if item.row_id not in reasons:
        lost(item.row_id)
        return False
    reason = reasons[item.row_id]
    if reason is not None:
        _withdrawn(item, reason, now, stats)
        return False
    return True


def dispatch_due(
    *, now: datetime | None = None, gateway: Gateway | None = None, limit: int | None = None
) -> DispatchStats:
    """Send every planned prompt that is due (one batch)."""
    now = now or utcnow()
    gateway = gateway or get_gateway()
    stats = DispatchStats()
    limit = limit or current_app.config["SMS_DISPATCH_BATCH"]
    claimed = _claim(now=now, status=OutboxStatus.PLANNED, limit=limit)
    _send_batch(_prepare(claimed, now, stats), gateway, now, stats)
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
            row = mine(row_id, claim_id)
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
            row = mine(row_id, claim_id)
            if row is None:
                continue
            if outcome == "still_unknown":
                finish(row, OutboxStatus.UNKNOWN, row.reason, now)
            elif found is not None:
                record_sent(row, found, now)
            elif is_stale(
                due_at=row.due_at,
                expires_at=row.expires_at,
                now=now,
                grace=current_app.config["SMS_GRACE"],
            ):
                finish(row, OutboxStatus.EXPIRED, "late", now)
            elif row.attempts >= current_app.config["SMS_MAX_ATTEMPTS"]:
                give_up(row, now)
            else:
                finish(row, OutboxStatus.PLANNED, "resend_after_check", now)
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
