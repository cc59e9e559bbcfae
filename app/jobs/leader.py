"""Leader lock for the clock: one process plans and dispatches, a second one waits harmlessly.

PostgreSQL: `pg_try_advisory_lock` held on a dedicated connection (released when that
connection closes, e.g. when the process dies). SQLite: an exclusive `fcntl` lock on a
file next to the database.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import IO

from flask import Flask
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)


class LeaderLock:
    def __init__(self, app: Flask) -> None:
        self.url = app.config["DATABASE_URL"]
        self.key = int(app.config["CLOCK_LOCK_KEY"])
        self.engine = app.extensions["heed.engine"]
        self.instance_path = Path(app.instance_path)
        self._connection: Connection | None = None
        self._file: IO[str] | None = None

    @property
    def postgres(self) -> bool:
        return self.url.startswith("postgresql")

    def lock_path(self) -> Path:
        database = make_url(self.url).database
        if database and database != ":memory:":
            return Path(f"{database}.clock.lock")
        return self.instance_path / "clock.lock"

    def held(self) -> bool:
        """True when this process is the leader; tries to become it when it is not."""
        if self.postgres:
            return self._postgres_held()
        return self._file_held()

    def _postgres_held(self) -> bool:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except Exception:
                log.warning("clock lost its leader connection; trying again")
                self._drop_connection()
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key})
            if got.scalar():
                self._connection = connection
                log.info("clock is the leader (advisory lock %d)", self.key)
                return True
        except Exception:
            log.exception("advisory lock check failed")
        connection.close()
        return False

    def _drop_connection(self) -> None:
        try:
            if self._connection is not None:
                self._connection.invalidate()
                self._connection.close()
        finally:
            self._connection = None

    def _file_held(self) -> bool:
        if self._file is not None:
            return True
        path = self.lock_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")  # noqa: SIM115 - held open for the process lifetime
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        log.info("clock is the leader (file lock %s)", path.name)
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            finally:
                self._drop_connection()
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
