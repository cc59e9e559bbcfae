"""Database plumbing: the declarative base, one engine per app, one session per app context."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from flask import Flask, current_app
from flask.globals import app_ctx
from sqlalchemy import (
    DateTime,
    Engine,
    Enum,
    MetaData,
    String,
    Uuid,
    any_,
    bindparam,
    cast,
    create_engine,
    event,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    scoped_session,
    sessionmaker,
)
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(naive: datetime) -> datetime:
    """A naive UTC datetime made aware; what `naive.replace(tzinfo=UTC)` does, five times
    faster (keyword arguments make `replace` slow, and SQLite reads do this for every value)."""
    return datetime.combine(naive.date(), naive.time(), UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None or value.tzinfo is UTC:  # PostgreSQL sessions run in UTC
            return value
        return as_utc(value) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


def str_enum(enum_cls: type[StrEnum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus CHECK, storing the member values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class UUIDPrimaryKey:
    """Opaque identifiers: every object that can appear in a URL has a random UUID."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, manage transactions so SAVEPOINTs work.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so a second writer waits (busy_timeout)
        # instead of failing with "database is locked" when its read turns into a write.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    # Errors and echo name the statement, never its values (patient data); see app/logs.py.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    # Sessions in UTC, as everything is stored: psycopg then reads timestamps as UTC-aware
    # datetimes directly (in another session zone it converts each one, and UTCDateTime
    # converted it back). No JIT compilation: it pays off for long analytical queries, and
    # for the registry's aggregate reads (estimated costly, done in tens of milliseconds)
    # compiling took longer than it saved (~10 ms per query).
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("options", "-c TimeZone=UTC -c jit=off")
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def insert_ignoring_duplicates(
    session: Session,
    model: type[Base],
    rows: list[dict[str, Any]],
    *,
    index_elements: list[str] | None = None,
) -> int:
    """Bulk insert; rows that would violate a unique constraint are skipped (safe under
    concurrency). Returns how many rows were really inserted, on every backend."""
    if not rows:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    key = model.__mapper__.primary_key[0]
    statement = (
        dialect_insert(model).on_conflict_do_nothing(index_elements=index_elements).returning(key)
    )
    return len(session.execute(statement, rows).all())


class Database:
    """A session per Flask app context; tests swap the session factory for a rolled-back one."""

    def __init__(self) -> None:
        self._registry: scoped_session[Session] = scoped_session(
            self._new_session, scopefunc=self._scope
        )

    @staticmethod
    def _scope() -> int:
        return id(app_ctx._get_current_object())  # type: ignore[attr-defined]

    @staticmethod
    def _new_session() -> Session:
        return current_app.extensions["heed.sessionmaker"]()

    @property
    def session(self) -> Session:
        return self._registry()

    @property
    def engine(self) -> Engine:
        return current_app.extensions["heed.engine"]

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["heed.engine"] = engine
        app.extensions["heed.sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
        app.teardown_appcontext(self._teardown)

    def _teardown(self, exc: BaseException | None) -> None:
        if exc is not None:
            self._registry().rollback()
        self._registry.remove()

    def commit_once(self, save: Callable[[bool], T]) -> T:
        """For a request that creates a row under a unique key (a day, a submission id): run
        `save(False)` and commit. When a concurrent request committed the same key first, the
        insert fails; roll back and run `save(True)` once in a fresh transaction, which now
        finds the winner's row and answers as any repeat does (never a 500)."""
        try:
            result = save(False)
            self.session.commit()
        except IntegrityError:
            self.session.rollback()
            result = save(True)
            self.session.commit()
        return result

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """For jobs and CLI commands: commit on success, roll back on error."""
        session = self.session
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


db = Database()


def among(column: Any, ids: Collection[uuid.UUID] | Collection[str]) -> Any:
    """`column IN ids` with the ids as one parameter: a list of 2,000 ids is otherwise 2,000
    parameters to render, convert and bind, and for PostgreSQL to parse, in every query (the
    registry's aggregate reads and the columns other features add to it).
    PostgreSQL: `= ANY(uuid array)` (how it reads an IN list anyway); SQLite: the ids' stored
    form (32 hex digits) in a JSON array. The ids are UUIDs or their hex texts (`hex_id`)."""
    hexes = [i if isinstance(i, str) else i.hex for i in ids]
    if db.session.get_bind().dialect.name == "postgresql":
        # One text of hex ids, split and cast by the server: binding a list of 2,000 UUIDs
        # costs the driver ~5 ms of Python per query.
        packed = bindparam(None, ",".join(hexes), type_=String(), unique=True)
        return column == any_(cast(func.string_to_array(packed, ","), ARRAY(Uuid())))
    packed = bindparam(None, json.dumps(hexes), type_=String(), unique=True)
    return column.in_(select(literal_column("value")).select_from(func.json_each(packed)))


class PerDialect(FunctionElement):
    """A column written out one way per database: `forms` maps a dialect name ("sqlite",
    "postgresql") to SQL with {column}; a dialect not named uses "default"."""

    type: Any = String()
    inherit_cache = True
    forms: ClassVar[dict[str, str]] = {"default": "{column}"}


@compiles(PerDialect)
def _per_dialect(element: Any, compiler: Any, **kw: Any) -> str:
    form = element.forms.get(compiler.dialect.name, element.forms["default"])
    return str(form.format(column=compiler.process(element.clauses, **kw)))


class hex_id(PerDialect):
    """A UUID column as the 32 lowercase hex digits of `uuid.UUID.hex` on every database, to
    read many ids as plain strings, without building and hashing a UUID object per row. SQLite
    stores the hex digits already."""

    inherit_cache = True
    forms: ClassVar[dict[str, str]] = {
        "default": "{column}",
        "postgresql": "replace(CAST({column} AS TEXT), '-', '')",
    }


HEX_ID_LENGTH = 32


class utc_text(PerDialect):
    """A UTCDateTime column as fixed-width UTC text, "YYYY-MM-DD HH:MM:SS.ffffff" (26
    characters), on every database: texts sort as the moments do. SQLite stores it so already
    (SQLAlchemy's storage format, always with microseconds)."""

    inherit_cache = True
    forms: ClassVar[dict[str, str]] = {
        "default": "{column}",
        "postgresql": "to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
    }


UTC_TEXT_LENGTH = 26


def aware_utc(moment: datetime | str) -> datetime:
    """Aggregates (max/min) bypass the column type on SQLite: restore UTC awareness."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return as_utc(moment) if moment.tzinfo is None else moment.astimezone(UTC)
