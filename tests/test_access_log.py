"""Access logs name the route, never the path: one-time tokens (and patient ids) stay out.

The web commands of `Procfile` (gunicorn) and `Procfile.dev` (the development server) run for
real against their own committed database; requests open a valid magic link, reset link and
invitation, then the captured output is searched for the tokens.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command

from app import create_app
from app.auth.models import TokenPurpose
from app.auth.services import issue_token
from app.cli import alembic_config
from app.db import db, utcnow
from app.prompts.models import DIARY_TARGET, PromptPurpose
from app.sms import magic
from tests import dbutil
from tests.factories import Factory

ROOT = Path(__file__).resolve().parent.parent


def _web_command(procfile: str) -> str:
    for line in (ROOT / procfile).read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise AssertionError(f"{procfile} has no web process")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    url = dbutil.new_database(str(tmp_path_factory.mktemp("access")), "access_log")
    command.upgrade(alembic_config(url), "head")
    app = create_app({"DATABASE_URL": url})
    patient = Factory(app).patient()
    with app.test_request_context():
        user = db.session.get(type(patient.user), patient.user_id)
        raw, link = magic.new_link(
            user_id=user.id,
            patient_id=patient.id,
            purpose=PromptPurpose.DIARY_REMINDER,
            target=DIARY_TARGET,
            local_date=utcnow().date(),
            expires_at=utcnow() + timedelta(hours=1),
        )
        db.session.add(link)
        tokens = {
            "/m/": raw,
            "/auth/reset/": issue_token(
                user=user, purpose=TokenPurpose.PASSWORD_RESET, lifetime=timedelta(hours=1)
            ),
            "/auth/invitation/": issue_token(
                user=user, purpose=TokenPurpose.INVITATION, lifetime=timedelta(days=1)
            ),
        }
        db.session.commit()
    tokens["/patients/"] = str(patient.id)
    app.extensions["heed.engine"].dispose()
    yield url, tokens
    dbutil.drop_database(url)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _serve_and_log(procfile: str, database_url: str, paths: list[str], log: Path) -> list[int]:
    port = _free_port()
    env = {
        **os.environ,
        "HEED_ENV": "testing",
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "2",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - the Procfile's own command
            ["bash", "-c", f"exec {_web_command(procfile)}"],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if _get(f"{base}/healthz") == 200:
                        break
                except OSError:
                    pass
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            return [_get(base + path) for path in paths]
        finally:
            process.terminate()
            process.wait(15)


@pytest.mark.parametrize("procfile", ["Procfile", "Procfile.dev"])
def test_access_log_shows_route_patterns_never_tokens(procfile, seeded, tmp_path):
    url, tokens = seeded
    paths = [prefix + token for prefix, token in tokens.items() if prefix != "/patients/"]
    paths += [
        f"/m/{tokens['/m/']}?utm=1",
        f"/m/{tokens['/m/']}/",  # matches no route: logged as <unmatched>
        f"/patients/{tokens['/patients/']}/diary/entry",
    ]
    log = tmp_path / "server.log"
    statuses = _serve_and_log(procfile, url, paths, log)
    assert statuses[:3] == [200, 200, 200], statuses  # every token is still usable
    logged = log.read_text()
    for secret in tokens.values():
        assert secret not in logged, f"{secret} in {procfile}'s log:\n{logged}"
    for pattern in ("/m/<token>", "/auth/reset/<token>", "/auth/invitation/<token>"):
        assert f"GET {pattern}" in logged, logged
    assert "<unmatched>" in logged and "/patients/<patient_id>/diary/entry" in logged
