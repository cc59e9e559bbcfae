"""A fake Twilio REST API for the real `twilio` library: an in-process HttpClient and a
loopback HTTP server. Both record the REST requests Twilio would receive."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from dataclasses import dataclass
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import requests
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

from app.db import utcnow

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
SERVICE_SID = "MG" + "1" * 32


@dataclass
class Recorded:
    method: str
    url: str
    data: dict


def error(status: int, code: int | None = None) -> tuple[int, str]:
    payload = {"status": status, "message": f"error {code}", "more_info": ""}
    if code is not None:
        payload["code"] = code
    return status, json.dumps(payload)


class FakeTwilio(HttpClient):
    """Scripted answers: an int status, (status, text), or an exception to raise."""

    def __init__(self) -> None:
        super().__init__(logging.getLogger("tests.fake_twilio"), is_async=False)
        self.script: list = []
        self.requests: list[Recorded] = []
        self.accepted: list[dict] = []

    @property
    def sent(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None, allow_redirects=False):  # fmt: skip
        self.requests.append(Recorded(method, uri, dict(data or params or {})))
        if method == "GET":
            return Response(200, json.dumps({"messages": self.accepted, "next_page_uri": None}))
        action = self.script.pop(0) if self.script else 201
        if isinstance(action, BaseException):
            raise action
        if isinstance(action, tuple):
            return Response(action[0], action[1])
        message = {
            "sid": "SM" + uuid.uuid4().hex,
            "status": "queued",
            "to": data.get("To"),
            "body": data.get("Body"),
            "date_created": format_datetime(utcnow()),
        }
        self.accepted.append(message)
        return Response(action, json.dumps(message))


def timeout() -> requests.exceptions.ReadTimeout:
    return requests.exceptions.ReadTimeout("read timed out")


class LoopbackHttpClient(TwilioHttpClient):
    """The library's own HTTP client, pointed at the loopback server instead of api.twilio.com."""

    def __init__(self, base_url: str, timeout: float = 5) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        return super().request(
            method, url.replace("https://api.twilio.com", self.base_url), *args, **kwargs
        )


class LoopbackTwilio:
    """A threaded HTTP server that accepts Messages.json POSTs and records them."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                with outer.lock:
                    outer.received.append(form)
                body = json.dumps(
                    {"sid": "SM" + uuid.uuid4().hex, "status": "queued", "body": form.get("Body")}
                ).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> LoopbackTwilio:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
