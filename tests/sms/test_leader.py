"""The clock's leader lock: a second clock stands by until the first one goes away."""

from __future__ import annotations

import pytest
from flask import Flask

from app import create_app
from app.jobs.leader import LeaderLock
from tests import dbutil


def test_second_lock_holder_stands_by_until_release(app: Flask, tmp_path):
    if dbutil.backend() != "postgresql":
        other = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/leader.sqlite3"})
        app = other
    first, second = LeaderLock(app), LeaderLock(app)
    try:
        assert first.held() is True
        assert first.held() is True  # stays the leader
        assert second.held() is False
        first.release()
        assert second.held() is True
    finally:
        first.release()
        second.release()


@pytest.mark.skipif(dbutil.backend() != "postgresql", reason="advisory locks need PostgreSQL")
def test_postgres_uses_an_advisory_lock(app: Flask):
    lock = LeaderLock(app)
    try:
        assert lock.postgres and lock.held()
    finally:
        lock.release()
