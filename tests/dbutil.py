"""Test databases: a SQLite file, or a uniquely named PostgreSQL database created and dropped here."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_SERVER_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def backend() -> str:
    return os.environ.get("HEED_TEST_DB", "sqlite")


def postgres_reachable() -> str | None:
    """None when the server answers; otherwise the reason it does not."""
    try:
        engine = create_engine(POSTGRES_SERVER_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None


def create_postgres_database(prefix: str = "heed_test") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(POSTGRES_SERVER_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    engine = create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def new_database(tmp_dir: str, label: str) -> str:
    if backend() == "postgresql":
        return create_postgres_database(f"heed_{label}")
    return f"sqlite:///{tmp_dir}/{label}.sqlite3"


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        drop_postgres_database(url)
