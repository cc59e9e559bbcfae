"""Outgoing email: account links (invitation, password reset) and the erasure confirmation.

Two transports, chosen by MAIL_BACKEND:

* ``console`` (development and tests): messages are kept in an in-process outbox and, in
  development only, logged so a developer can follow the link.
* ``smtp`` (the production default): one message per connection to MAIL_SMTP_HOST, with
  STARTTLS or implicit TLS, sent synchronously with a timeout. The bodies carry one-time
  links, which are never stored, so there is no queue to retry from: a failure is logged
  (without the address) and reported to the caller, which tells the person what to do.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def outbox() -> list[Mail]:
    return current_app.extensions.setdefault("heed.mail_outbox", [])


def _message(mail: Mail) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(mail.body)  # UTF-8; every locale's text goes through unchanged
    return message


def _deliver_smtp(mail: Mail) -> None:
    config = current_app.config
    security = config["MAIL_SMTP_SECURITY"]
    context = ssl.create_default_context()
    timeout = config["MAIL_TIMEOUT_SECONDS"]
    host, port = config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"]
    connection = (
        smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        if security == "ssl"
        else smtplib.SMTP(host, port, timeout=timeout)
    )
    with connection as smtp:
        if security == "starttls":
            smtp.starttls(context=context)
        if config["MAIL_SMTP_USERNAME"]:
            smtp.login(config["MAIL_SMTP_USERNAME"], config["MAIL_SMTP_PASSWORD"])
        smtp.send_message(_message(mail))


def send(*, to: str, subject: str, body: str) -> bool:
    """Send one email; False when the transport failed (the reason is logged, not the address)."""
    mail = Mail(to=to, subject=subject, body=body)
    if current_app.config["MAIL_BACKEND"] == "smtp":
        try:
            _deliver_smtp(mail)
        except (smtplib.SMTPException, OSError) as error:
            log.warning("email not sent: %s", type(error).__name__)
            return False
        log.info("email sent (%d characters)", len(body))
        return True
    outbox().append(mail)
    if current_app.config["HEED_ENV"] == "development":
        # Development only: show the link so a developer can follow it. Never in production.
        log.info("email (development console backend)\n%s", body)
    else:
        log.info("email queued (%d characters)", len(body))
    return True
