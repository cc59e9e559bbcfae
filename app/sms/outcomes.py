"""Outcomes on claimed outbox rows: the compare-and-set on the claim, sent, failed, retried.

Shared by dispatch (`app.sms.dispatch`) and the reconciliation of unknown outcomes.
"""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app

from app import signals
from app.db import db
from app.prompts.kinds import catalogue
from app.prompts.models import OutboxMessage, OutboxStatus
from app.prompts.queries import schedule_for
from app.sms import conversations, services
from app.sms.gateway import ErrorKind, GatewayError, Sent, mask

log = logging.getLogger("app.sms.dispatch")


@dataclass
class DispatchStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    skipped: int = 0
    expired: int = 0
    outcomes: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        """Rows this batch took off the due list: sent, retried later, failed, unknown, skipped
        (cancelled included) or expired."""
        return self.sent + self.retried + self.failed + self.unknown + self.skipped + self.expired


def backoff(attempt: int, *, base: float = 20.0, cap: float = 900.0) -> timedelta:
    """Exponential backoff with full jitter between half and the whole delay."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return timedelta(seconds=delay * random.uniform(0.5, 1.0))


def lost(row_id: uuid.UUID) -> None:
    log.warning("outbox row %s lost its claim; leaving it alone", row_id)


def mine(row_id: uuid.UUID, claim_id: uuid.UUID) -> OutboxMessage | None:
    row = db.session.get(OutboxMessage, row_id, populate_existing=True, with_for_update=True)
    if row is None or row.claim_id != claim_id or row.status != OutboxStatus.SENDING:
        lost(row_id)
        return None
    return row


def finish(row: OutboxMessage, status: OutboxStatus, reason: str | None, now: datetime) -> None:
    row.status, row.reason, row.updated_at = status, reason, now
    row.lease_until = row.claim_id = None


def sent_values(sent: Sent, now: datetime) -> dict:
    """The columns an accepted message gets (the claim and lease are released)."""
    delivered = sent.status == "delivered"
    return {
        "status": OutboxStatus.DELIVERED if delivered else OutboxStatus.SENT,
        "reason": None,
        "updated_at": now,
        "lease_until": None,
        "claim_id": None,
        "sid": sent.sid,
        "provider_status": sent.status,
        "sent_at": now,
        "delivered_at": now if delivered else None,
    }


def start_conversation(
    recipient_id: uuid.UUID, patient_id: uuid.UUID, local_date: date, now: datetime
) -> None:
    conversations.start(user_id=recipient_id, patient_id=patient_id, local_date=local_date, now=now)


def record_sent(row: OutboxMessage, sent: Sent, now: datetime) -> None:
    """Reconciliation found the message at Twilio (the row is locked and still claimed)."""
    for column, value in sent_values(sent, now).items():
        setattr(row, column, value)
    if (
        catalogue().kind(row.purpose).conversation is not None
        and schedule_for(row.recipient_id).sms_diary_replies
    ):
        start_conversation(row.recipient_id, row.patient_id, row.local_date, now)


def give_up(row: OutboxMessage, now: datetime) -> None:
    finish(row, OutboxStatus.FAILED, "retries_exhausted", now)
    row.alert_raised_at = now
    log.warning("SMS %s to %s: retries exhausted", row.id, mask(row.recipient.phone))
    signals.sms_delivery_failed.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        outbox_id=row.id,
        patient_id=row.patient_id,
        recipient_id=row.recipient_id,
        reason="retries_exhausted",
    )


def record_error(
    row: OutboxMessage, error: GatewayError, now: datetime, stats: DispatchStats
) -> None:
    row.error_code = error.code
    if error.kind == ErrorKind.RATE_LIMITED:
        if row.attempts >= current_app.config["SMS_MAX_ATTEMPTS"]:
            give_up(row, now)
            stats.failed += 1
            return
        finish(row, OutboxStatus.PLANNED, "rate_limited", now)
        row.next_attempt_at = now + backoff(row.attempts)
        stats.retried += 1
    elif error.kind == ErrorKind.UNKNOWN:
        finish(
            row, OutboxStatus.UNKNOWN, "no_answer" if error.status is None else "server_error", now
        )
        stats.unknown += 1
    else:
        code = error.code or error.status
        finish(row, OutboxStatus.FAILED, f"twilio_{code}", now)
        if error.kind == ErrorKind.PERMANENT and error.code is not None:
            services.refuse_number(user=row.recipient, code=error.code, now=now)
        stats.failed += 1
