"""Fixtures: one migrated database per run, a rolled-back transaction per test, factories."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

os.environ["HEED_ENV"] = "testing"

from alembic import command

from app import create_app
from app.cli import alembic_config
from tests import dbutil
from tests.factories import Factory

pytest_plugins = ["tests.browser.fixtures", "tests.sms.fixtures"]


def pytest_report_header() -> str:
    return f"heed test database: {dbutil.backend()}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = dbutil.new_database(str(tmp_path_factory.mktemp("db")), "suite")
    command.upgrade(alembic_config(url), "head")
    yield url
    dbutil.drop_database(url)


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    application = create_app({"DATABASE_URL": database_url})
    yield application
    application.extensions["heed.engine"].dispose()


@pytest.fixture(autouse=True)
def _rollback(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test runs inside a transaction that is rolled back, whatever the code commits."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    engine = app.extensions["heed.engine"]
    connection = engine.connect()
    outer = connection.begin()
    original = app.extensions["heed.sessionmaker"]
    app.extensions["heed.sessionmaker"] = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    app.extensions["heed.mail_outbox"] = []
    try:
        yield
    finally:
        app.extensions["heed.sessionmaker"] = original
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory(app)


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context for service-level tests (do not combine with client requests)."""
    with app.test_request_context():
        yield


CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


class Auth:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def token(self, path: str = "/auth/login") -> str:
        return csrf_from(self.client.get(path, follow_redirects=True).get_data(as_text=True))

    def login(self, email: str, password: str = "correct horse battery", **extra: str):
        data = {"email": email, "password": password, "csrf_token": self.token(), **extra}
        return self.client.post("/auth/login", data=data)

    def logout(self):
        return self.client.post("/auth/logout", data={"csrf_token": self.token("/")})

    def post(self, path: str, data: dict[str, str], token_from: str = "/"):
        return self.client.post(path, data={"csrf_token": self.token(token_from), **data})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


@pytest.fixture
def count_queries(app: Flask) -> Iterator[Callable[[], object]]:
    """`with count_queries() as statements:` collects every SQL statement sent to the database."""
    engine = app.extensions["heed.engine"]
    statements: list[str] = []

    def _before(_conn, _cursor, statement, _params, _context, _many) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _before)

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements.clear()
        yield statements

    yield counting
    event.remove(engine, "before_cursor_execute", _before)
