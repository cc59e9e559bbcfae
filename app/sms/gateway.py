"""The SMS transport. The ONLY module that imports twilio (CONVENTIONS.md: Twilio at the edge).

`ConsoleGateway` (development, demo, tests) records messages for the phone simulator;
`TwilioGateway` sends through the real REST API. Errors come back as `GatewayError`
with a kind the dispatcher acts on, never as twilio exceptions.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol
from xml.sax.saxutils import escape

import requests
from flask import Flask, current_app
from twilio.base.exceptions import (
    TwilioException,
    TwilioRestException,
    TwilioServiceException,
)
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from app.db import db
from app.security import blind_index

log = logging.getLogger(__name__)

# Twilio error codes that will not succeed on retry: invalid number (21211), not a mobile
# number (21614), recipient unsubscribed (21610), unreachable / unknown destination (30005,
# 30006). 21610 also means the person opted out at the carrier.
PERMANENT_CODES = frozenset({21211, 21614, 21610, 30005, 30006})
OPT_OUT_CODE = 21610
TWILIO_API = "https://api.twilio.com"


class ErrorKind(StrEnum):
    RATE_LIMITED = "rate_limited"  # 429: retry with backoff and jitter
    PERMANENT = "permanent"  # stop, flag the number
    REJECTED = "rejected"  # other 4xx: our request is wrong; stop, do not flag the number
    UNKNOWN = "unknown"  # timeout or 5xx: Twilio may have sent it; reconcile first


class GatewayError(Exception):
    def __init__(self, kind: ErrorKind, *, code: int | None = None, status: int | None = None):
        super().__init__(f"{kind} (status={status}, code={code})")
        self.kind, self.code, self.status = kind, code, status


@dataclass(frozen=True)
class Sent:
    sid: str
    status: str


def mask(number: str | None) -> str:
    """For logs: never a whole phone number."""
    if not number:
        return "-"
    return f"{number[:3]}***{number[-2:]}"


def body_digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


class Gateway(Protocol):
    name: str

    def send(self, *, to: str, body: str, status_callback: str | None) -> Sent: ...

    def find_sent(self, *, to: str, digest: str, since: datetime) -> Sent | None: ...


class ConsoleGateway:
    """Development transport: log (masked) and keep the message for the phone simulator."""

    name = "console"

    def send(self, *, to: str, body: str, status_callback: str | None) -> Sent:
        from app.sms.models import ConsoleMessage

        sid = "SM" + uuid.uuid4().hex
        db.session.add(
            ConsoleMessage(phone_index=blind_index(to), phone=to, outgoing=True, body=body, sid=sid)
        )
        log.info("console SMS to %s (%d chars)", mask(to), len(body))
        return Sent(sid=sid, status="delivered")

    def find_sent(self, *, to: str, digest: str, since: datetime) -> Sent | None:
        return None


class TwilioGateway:
    """The real Twilio REST API; `http_client` lets tests point the real library at a fake."""

    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        messaging_service_sid: str = "",
        from_number: str = "",
        timeout: float = 10,
        http_client: HttpClient | None = None,
    ) -> None:
        http_client = http_client or TwilioHttpClient(timeout=timeout)
        if isinstance(http_client, TwilioHttpClient):
            _resolve_environment_once(http_client)
        self.client = Client(account_sid, auth_token, http_client=http_client)
        self.sender: dict[str, Any] = (
            {"messaging_service_sid": messaging_service_sid}
            if messaging_service_sid
            else {"from_": from_number}
        )

    def send(self, *, to: str, body: str, status_callback: str | None) -> Sent:
        extra = {"status_callback": status_callback} if status_callback else {}
        try:
            message = self.client.messages.create(to=to, body=body, **self.sender, **extra)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _classify(exc) from exc
        except (requests.RequestException, TwilioException) as exc:
            raise GatewayError(ErrorKind.UNKNOWN) from exc
        return Sent(sid=str(message.sid), status=str(message.status or "queued"))

    def find_sent(self, *, to: str, digest: str, since: datetime) -> Sent | None:
        """After a timeout or 5xx: did Twilio accept the message anyway? Match on the body."""
        try:
            messages = self.client.messages.list(to=to, limit=50)
        except (TwilioRestException, requests.RequestException, TwilioException) as exc:
            raise GatewayError(ErrorKind.UNKNOWN) from exc
        for message in messages:
            created = message.date_created
            if created is not None and created < since - timedelta(minutes=1):
                continue
            if message.body is not None and body_digest(message.body) == digest:
                return Sent(sid=str(message.sid), status=str(message.status or "queued"))
        return None


def _resolve_environment_once(http_client: TwilioHttpClient) -> None:
    """requests re-reads the proxy and CA bundle variables from os.environ on every request
    (about 0.4 ms a message); read them once for the API's URL and keep them on the session."""
    session = http_client.session
    if session is None or not session.trust_env:
        return
    settings = session.merge_environment_settings(TWILIO_API, http_client.proxy, None, None, None)
    http_client.proxy = settings["proxies"]
    session.verify, session.cert = settings["verify"], settings["cert"]
    session.trust_env = False


def _classify(exc: TwilioRestException | TwilioServiceException) -> GatewayError:
    code = exc.code if isinstance(exc.code, int) else None
    status = int(exc.status or 0)
    if status == 429 or code == 20429:
        return GatewayError(ErrorKind.RATE_LIMITED, code=code, status=status)
    if code in PERMANENT_CODES:
        return GatewayError(ErrorKind.PERMANENT, code=code, status=status)
    if status >= 500:
        return GatewayError(ErrorKind.UNKNOWN, code=code, status=status)
    return GatewayError(ErrorKind.REJECTED, code=code, status=status)


def valid_signature(*, url: str, params: dict[str, str], signature: str | None) -> bool:
    """X-Twilio-Signature check; fails closed without an auth token or a signature."""
    token = current_app.config.get("TWILIO_AUTH_TOKEN") or ""
    if not token or not signature:
        return False
    return bool(RequestValidator(token).validate(url, params, signature))


def twiml(reply: str | None) -> str:
    """A TwiML messaging response with at most one message."""
    if reply is None:
        return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>'
        f"{escape(reply)}</Message></Response>"
    )


def get_gateway(app: Flask | None = None) -> Gateway:
    """The process's gateway (tests install their own with `install_gateway`)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    gateway = app.extensions.get("heed.sms_gateway")
    if gateway is None:
        config = app.config
        if config["SMS_BACKEND"] == "twilio":
            gateway = TwilioGateway(
                account_sid=config["TWILIO_ACCOUNT_SID"],
                auth_token=config["TWILIO_AUTH_TOKEN"],
                messaging_service_sid=config["TWILIO_MESSAGING_SERVICE_SID"],
                from_number=config["TWILIO_FROM_NUMBER"],
                timeout=config["TWILIO_TIMEOUT_SECONDS"],
            )
        else:
            gateway = ConsoleGateway()
        app.extensions["heed.sms_gateway"] = gateway
    return gateway


def install_gateway(app: Flask, gateway: Gateway | None) -> None:
    if gateway is None:
        app.extensions.pop("heed.sms_gateway", None)
    else:
        app.extensions["heed.sms_gateway"] = gateway
