"""Flask CLI commands: db-upgrade, seed-demo, clock, sms-dispatch, rotate-keys."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import Table, Text, bindparam, select, type_coerce, update
from sqlalchemy.orm import Session

from app.db import db
from app.security import ENCRYPTED_TYPES, rotate

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
ROTATE_BATCH = 1000


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@click.command("db-upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every migration (alembic upgrade head)."""
    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), "head")
    click.echo("database is at the newest migration")


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no users yet.")
def seed_demo(if_empty: bool) -> None:
    """Create (or refresh) the synthetic demo clinic. Safe to run repeatedly."""
    from app.auth.models import User
    from app.demo import DEMO_PASSWORD, seed

    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("database already has users; demo seed skipped")
        return
    with db.transaction():
        logins = seed()
    click.echo(f"Demo clinic ready. Every demo login uses the password: {DEMO_PASSWORD}")
    for role, email in logins:
        click.echo(f"  {role:<12} {email}")


@click.command("clock")
@with_appcontext
def clock() -> None:
    """The one scheduler process (APScheduler, UTC). Never started by web workers."""
    from app.jobs.clock import run

    run(current_app._get_current_object())  # type: ignore[attr-defined]


@click.command("sms-dispatch")
@with_appcontext
@click.option("--once", is_flag=True, help="Dispatch one batch and exit.")
@click.option("--max-seconds", type=float, default=None, help="Stop after this many seconds.")
@click.option("--interval", type=float, default=2.0, help="Seconds to wait when nothing is due.")
def sms_dispatch(once: bool, max_seconds: float | None, interval: float) -> None:
    """An extra SMS outbox worker (rows are claimed with SKIP LOCKED; run as many as needed)."""
    from app.jobs.worker import run_worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    sent = run_worker(app, once=once, max_seconds=max_seconds, interval=interval)
    click.echo(f"sent {sent} messages")


@click.command("rotate-keys")
@with_appcontext
def rotate_keys() -> None:
    """Re-encrypt every encrypted field with the first key in FIELD_ENCRYPTION_KEYS."""
    from app.schema import Base

    counts: list[str] = []
    with db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, ENCRYPTED_TYPES):
                    n = _rotate_column(session, table, column.name)
                    counts.append(f"{table.name}.{column.name}: {n}")
    click.echo(f"re-encrypted {', '.join(counts)}")


def _rotate_column(session: Session, table: Table, name: str) -> int:
    """Rotate one column's tokens as stored (never decoded), in batches by primary key."""
    (key,) = table.primary_key.columns
    raw = type_coerce(table.c[name], Text)
    statement = (
        update(table)
        .where(key == bindparam("_key"))
        .values({name: bindparam("_token", type_=Text)})
    )
    count, last = 0, None
    while True:
        query = select(key, raw).where(raw.is_not(None)).order_by(key).limit(ROTATE_BATCH)
        rows = session.execute(query if last is None else query.where(key > last)).all()
        if not rows:
            return count
        session.execute(statement, [{"_key": row[0], "_token": rotate(row[1])} for row in rows])
        count += len(rows)
        last = rows[-1][0]


def init_app(app: Flask) -> None:
    for cmd in (db_upgrade, seed_demo, clock, sms_dispatch, rotate_keys):
        app.cli.add_command(cmd)
