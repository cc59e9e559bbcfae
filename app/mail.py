"""Outgoing email. Development and tests keep messages in an outbox and log that one was sent.

There is no SMTP transport yet: production deployments must add one before
password-reset and invitation emails can leave the building.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def outbox() -> list[Mail]:
    return current_app.extensions.setdefault("heed.mail_outbox", [])


def send(*, to: str, subject: str, body: str) -> None:
    message = Mail(to=to, subject=subject, body=body)
    outbox().append(message)
    if current_app.config["HEED_ENV"] == "development":
        # Development only: show the link so a developer can follow it. Never in production.
        log.info("email (development console backend)\n%s", body)
    else:
        log.info("email queued (%d characters)", len(body))
