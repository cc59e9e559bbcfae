"""Playwright fixtures: a live Heed server on a migrated, seeded database, and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from alembic import command
from flask import Flask
from werkzeug.serving import make_server

from tests import dbutil

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 780}


def _require_chromium() -> None:
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM}; `.ci/run` installs Debian's chromium package"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Live:
    url: str
    app: Flask


@pytest.fixture(scope="session")
def live_server(live: Live) -> str:
    return live.url


@contextmanager
def seeded_server(directory: str, name: str) -> Iterator[Live]:
    """A migrated database with the demo clinic, served on a free port until the block ends."""
    from app import create_app
    from app.cli import alembic_config
    from app.db import db
    from app.demo import seed

    url = dbutil.new_database(directory, name)
    command.upgrade(alembic_config(url), "head")
    app = create_app({"DATABASE_URL": url})
    with app.app_context(), db.transaction():
        seed()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        app.extensions["heed.engine"].dispose()
        dbutil.drop_database(url)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with seeded_server(str(tmp_path_factory.mktemp("live")), "live") as served:
        yield served


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone_page(browser, live_server: str) -> Iterator[object]:
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, base_url=live_server
    )
    page = context.new_page()
    yield page
    context.close()
