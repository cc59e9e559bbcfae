"""The `flask sms-dispatch` worker loop (extra dispatch processes next to the clock)."""

from __future__ import annotations

import logging
import time

from flask import Flask

from app.sms.dispatch import dispatch_due

log = logging.getLogger(__name__)


def run_worker(
    app: Flask, *, once: bool = False, max_seconds: float | None = None, interval: float = 2.0
) -> int:
    """Dispatch until stopped (or once, or for max_seconds); returns the number of messages sent.

    Waits `interval` only when a batch found nothing to do: a batch of skipped or expired rows
    (a backlog after an outage, reminders for diaries already filled) is followed at once by
    the next one, so due messages behind it are not held back by a pause per batch.
    """
    started = time.monotonic()
    sent = 0
    while True:
        with app.app_context():
            try:
                stats = dispatch_due()
            except Exception:
                log.exception("dispatch batch failed")
                stats = None
        sent += stats.sent if stats else 0
        if once or (max_seconds is not None and time.monotonic() - started >= max_seconds):
            return sent
        if not stats or not stats.handled:
            time.sleep(interval)
