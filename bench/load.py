"""A stdlib load generator: keep-alive HTTP sessions with cookies, driven by threads."""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class Session:
    """One browser: a keep-alive connection, its cookies and its CSRF token."""

    def __init__(self, base: str, timeout: float = 30) -> None:
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.timeout = timeout
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, str, dict[str, str]]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, text, {k.lower(): v for k, v in response.getheaders()}

    def get(self, path: str) -> tuple[int, str]:
        status, text, _ = self.request("GET", path)
        return status, text

    def take_csrf(self, html: str) -> None:
        match = CSRF_RE.search(html)
        if match:
            self.csrf = match.group(1) or match.group(2)

    def login(self, email: str, password: str) -> None:
        _, html = self.get("/auth/login")
        self.take_csrf(html)
        form = urllib.parse.urlencode(
            {"email": email, "password": password, "csrf_token": self.csrf}
        )
        status, _, headers = self.request(
            "POST",
            "/auth/login",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "login" in headers.get("location", "/auth/login"):
            raise RuntimeError(f"login failed for {email}: HTTP {status}")

    def post_json(self, path: str, payload: dict) -> int:
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.csrf}
        status, _, _ = self.request("POST", path, json.dumps(payload).encode(), headers)
        return status

    def put_json(self, path: str, payload: dict, headers: dict) -> tuple[int, dict[str, str]]:
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.csrf, **headers}
        status, _, answer = self.request("PUT", path, json.dumps(payload).encode(), headers)
        return status, answer

    def close(self) -> None:
        self.conn.close()


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0


Step = Callable[[random.Random], int]  # one request; returns the HTTP status


def drive(
    steps: list[Step], *, seconds: float, ok: frozenset[int] = frozenset({200, 201})
) -> LoadResult:
    """Run each client's step in its own thread, back to back, for `seconds` of wall time."""
    result = LoadResult()
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def client(step: Step, seed: int) -> None:
        rng = random.Random(seed)
        latencies, errors, statuses = [], 0, {}
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                status = step(rng)
            except (OSError, http.client.HTTPException):
                status = 0
            elapsed = time.perf_counter() - began
            statuses[status] = statuses.get(status, 0) + 1
            if status in ok:
                latencies.append(elapsed)
            else:
                errors += 1
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors
            for key, count in statuses.items():
                result.statuses[key] = result.statuses.get(key, 0) + count

    threads = [
        threading.Thread(target=client, args=(s, n), daemon=True) for n, s in enumerate(steps)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    result.seconds = time.perf_counter() - start
    return result


def diary_payload(rng: random.Random) -> dict:
    """A full diary entry as JSON, with a fresh client submission id."""
    return {
        "submission_id": str(uuid.uuid4()),
        "overall_symptoms": rng.randint(0, 10),
        "mood": rng.randint(0, 10),
        "stress": rng.randint(0, 10),
        "energy": rng.randint(0, 10),
        "sleep_quality": rng.randint(1, 5),
    }


def local_day(zone: str, back: int) -> str:
    return (datetime.now(ZoneInfo(zone)).date() - timedelta(days=back)).isoformat()


def diary_step(sessions: list[tuple[Session, str, str]]) -> Step:
    """Rotate over this client's patients; each post writes one day in the back-fill window."""
    turn = {"n": 0}

    def step(rng: random.Random) -> int:
        session, patient_id, zone = sessions[turn["n"] % len(sessions)]
        turn["n"] += 1
        day = local_day(zone, rng.randint(1, 6))  # inside the 7-day window, clear of midnight
        return session.post_json(f"/patients/{patient_id}/diary/entry/{day}", diary_payload(rng))

    return step


DAYS_BACK = range(1, 7)  # the days the steps write: inside the 7-day window, clear of midnight


def known_etags(sessions: list[tuple[Session, str, str]]) -> dict[tuple[str, str], str]:
    """Each day's current ETag (`GET` of the entry), read before the timed phase: without them
    a day first met answers 428 once, and on a slow machine most of a 20 s phase were 428s."""
    etags: dict[tuple[str, str], str] = {}
    for session, patient_id, zone in sessions:
        for back in DAYS_BACK:
            day = local_day(zone, back)
            _, _, answer = session.request("GET", f"/api/v1/patients/{patient_id}/diary/{day}")
            if "etag" in answer:
                etags[(patient_id, day)] = answer["etag"]
    return etags


def api_step(
    sessions: list[tuple[Session, str, str]], etags: dict[tuple[str, str], str] | None = None
) -> Step:
    """The same writes through the API's PUT: the day's ETag from the previous answer as
    If-Match (`etags`: those known before, see `known_etags`; a day first met that has an
    entry answers 428 with its ETag, counted once, then it is known)."""
    turn = {"n": 0}
    etags = dict(etags or {})

    def step(rng: random.Random) -> int:
        session, patient_id, zone = sessions[turn["n"] % len(sessions)]
        turn["n"] += 1
        day = local_day(zone, rng.choice(DAYS_BACK))
        payload = diary_payload(rng)
        headers = {"Idempotency-Key": payload.pop("submission_id")}
        if (patient_id, day) in etags:
            headers["If-Match"] = etags[(patient_id, day)]
        path = f"/api/v1/patients/{patient_id}/diary/{day}"
        status, answer = session.put_json(path, payload, headers)
        if "etag" in answer:
            etags[(patient_id, day)] = answer["etag"]
        return status

    return step


def ceiling_step(session: Session, patient_ids: list[str]) -> Step:
    def step(rng: random.Random) -> int:
        payload = diary_payload(rng)
        payload.update(patient_id=rng.choice(patient_ids), local_date=local_day("UTC", 1))
        return session.post_json("/entry", payload)

    return step
