"""Encrypt (or decrypt) stored values in place, for the migrations that move free-text columns
to EncryptedText / EncryptedJSON (0014 and later) and back on downgrade. Migration 0010 keeps
its own copy of this code: merged migrations are never edited.

The columns must already be Text when this runs (JSON is rewritten as its stored text, which
EncryptedJSON reads back). The app's FIELD_ENCRYPTION_KEYS are only needed when a column
holds a value: a fresh install, the tests and the benchmark migrate without an app context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import sqlalchemy as sa
from flask import has_app_context

from app.security import decrypt, encrypt

BATCH = 1000
Direction = Literal["encrypt", "decrypt"]


def convert(
    bind: sa.Connection,
    columns: Sequence[tuple[str, str]],
    *,
    direction: Direction,
    revision: str,
    what: str,
) -> None:
    """Rewrite every non-NULL value of each (table, column); each table has a UUID `id`.

    Without an app context and with a value to convert, stops with an error naming the
    revision and `what` it must convert (e.g. "the diary text").
    """
    tables = [
        (sa.table(name, sa.column("id", sa.Uuid()), sa.column(column, sa.Text())), column)
        for name, column in columns
    ]
    if not any(_has_value(bind, table, column) for table, column in tables):
        return
    transform = _cipher(direction, revision, what)
    for table, column in tables:
        _rewrite(bind, table, column, transform)


def _has_value(bind: sa.Connection, table: sa.TableClause, column: str) -> bool:
    query = sa.select(table.c.id).where(table.c[column].is_not(None)).limit(1)
    return bind.scalar(query) is not None


def _cipher(direction: Direction, revision: str, what: str) -> Callable[[str], str]:
    if not has_app_context():
        raise RuntimeError(
            f"Migration {revision} must {direction} {what} stored in this database with the "
            "app's FIELD_ENCRYPTION_KEYS, so it needs an app context: run it with "
            "`flask --app wsgi db-upgrade`."
        )
    return encrypt if direction == "encrypt" else decrypt


def _rewrite(
    bind: sa.Connection, table: sa.TableClause, column: str, transform: Callable[[str], str]
) -> None:
    """In batches ordered by id; each value is rewritten as stored (JSON text stays text)."""
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("_id"))
        .values({column: sa.bindparam("_value", type_=sa.Text())})
    )
    query = (
        sa.select(table.c.id, table.c[column])
        .where(table.c[column].is_not(None))
        .order_by(table.c.id)
        .limit(BATCH)
    )
    last = None
    while rows := bind.execute(query if last is None else query.where(table.c.id > last)).all():
        bind.execute(statement, [{"_id": row[0], "_value": transform(row[1])} for row in rows])
        last = rows[-1][0]
