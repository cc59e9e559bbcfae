"""A loopback stand-in for api.twilio.com that the real twilio client talks to (Messages.json)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from twilio.http.http_client import TwilioHttpClient

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"  # noqa: S105 - loopback fake only
SERVICE_SID = "MG" + "1" * 32


class LoopbackHttpClient(TwilioHttpClient):
    """The library's own HTTP client (requests), pointed at the loopback server."""

    def __init__(self, base_url: str, timeout: float = 10) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        return super().request(
            method, url.replace("https://api.twilio.com", self.base_url), *args, **kwargs
        )


class FakeTwilio:
    """Records (monotonic time, To, Body) for every accepted message."""

    def __init__(self) -> None:
        self.received: list[tuple[float, str, str]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK stall

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                with outer.lock:
                    outer.received.append(
                        (time.monotonic(), form.get("To", ""), form.get("Body", ""))
                    )
                self._answer(201, {"sid": "SM" + uuid.uuid4().hex, "status": "queued", "to": form.get("To"), "body": form.get("Body")})  # fmt: skip

            def do_GET(self) -> None:
                self._answer(200, {"messages": [], "next_page_uri": None})

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> FakeTwilio:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def snapshot(self) -> list[tuple[float, str, str]]:
        with self.lock:
            return list(self.received)
