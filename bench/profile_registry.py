"""Where a registry GET spends its time: stage 7's clinic, in-process, with cProfile.

    python -m bench.profile_registry [--db sqlite|postgresql] [--keep PATH] [--requests 3]
                                     [--dump DIR]

Seeds stage 7's registry clinic (`bench.registry.seed_registry`, 2,000 active patients) into a
throwaway database (with `--keep PATH`, a SQLite file, or on PostgreSQL a database named after
it, seeded once and reused, its clock kept in PATH.json so later runs see the same days), signs the coordinator in through Flask's test
client and GETs `/registry` with the clock fixed at the seed's time. Reports CPU, wall time and
SQL statements per request and the profile (see bench/profile.py). `--dump DIR` also writes
the CSV of every filter and sort and every patient's state, to compare before and after a
change: the output must not change.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.load import CSRF_RE
from bench.profile import _measure, _report
from bench.run import create_database, drop_database, postgres_problem, web_env
from bench.seed import PASSWORD


def _states_text(app, now: datetime) -> str:
    """Every patient's state, one line each, in a stable order (no object addresses)."""
    from app.registry import queries
    from app.trends.caseload import states

    with app.test_request_context():
        from app.auth.models import User
        from app.db import db
        from bench.registry import COORDINATOR

        viewer = db.session.query(User).filter_by(email=COORDINATOR).one()
        found = states(queries.patients_for(viewer), now=now)
        lines = []
        for pid in sorted(found, key=str):
            s = found[pid]
            fields = {k: v for k, v in s._asdict().items() if k != "patient"}
            lines.append(f"{pid} {s.patient.display_name} {fields}")
        return "\n".join(lines) + "\n"


def _kept_postgresql(name: str, *, fresh: bool) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from bench.run import SERVER_URL

    if fresh:
        engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_registry")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--keep", type=Path, help="a SQLite file to seed once and reuse")
    parser.add_argument("--requests", type=int, default=3)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--dump", type=Path, help="write CSVs and states here")
    args = parser.parse_args(argv)
    if args.db == "postgresql" and (problem := postgres_problem()):
        print(f"[profile] {problem}")
        return 1
    from alembic import command

    from app import create_app
    from app.cli import alembic_config
    from bench.registry import COORDINATOR, seed_registry

    with tempfile.TemporaryDirectory(prefix="heed-profile-") as tmp:
        if args.keep is not None and args.db == "sqlite":
            url = f"sqlite:///{args.keep.resolve()}"
        elif args.keep is not None:  # a database named after the file, kept
            url = _kept_postgresql(
                f"heed_profile_{args.keep.stem}", fresh=not args.keep.with_suffix(".json").exists()
            )
        else:
            url = create_database(args.db, Path(tmp))
        clock = args.keep.with_suffix(".json") if args.keep is not None else None
        env = web_env(url)
        os.environ.update(env)
        try:
            if clock is not None and clock.exists():
                now = datetime.fromisoformat(json.loads(clock.read_text())["now"])
                app = create_app({"DATABASE_URL": url})
            else:
                command.upgrade(alembic_config(url), "head")
                app = create_app({"DATABASE_URL": url})
                now = datetime.now(UTC)
                seeded = seed_registry(app, now=now)
                print(f"[profile] seeded {seeded.patients} patients in {seeded.seconds:.1f} s")
                if clock is not None:
                    clock.write_text(json.dumps({"now": now.isoformat()}))
            import app.registry.views as registry_views

            registry_views.utcnow = lambda: now  # type: ignore[assignment]
            client = app.test_client()
            match = CSRF_RE.search(client.get("/auth/login").get_data(as_text=True))
            token = (match.group(1) or match.group(2)) if match else ""
            login = {"email": COORDINATOR, "password": PASSWORD, "csrf_token": token}
            if client.post("/auth/login", data=login).status_code != 302:
                raise RuntimeError("could not sign in the coordinator")

            def page(_n: int) -> int:
                return client.get("/registry").status_code

            engine = app.extensions["heed.engine"]
            result = _measure("registry GET", page, engine, args.requests, warmups=1)
            if args.dump is not None:
                args.dump.mkdir(parents=True, exist_ok=True)
                from app.registry import build

                choices = [(show, "attention", "asc") for show in build.FILTERS]
                choices += [("all", sort, "desc") for sort in build.SORTS]
                for show, sort, direction in choices:
                    got = client.get(f"/registry.csv?show={show}&sort={sort}&dir={direction}")
                    (args.dump / f"{show}-{sort}-{direction}.csv").write_bytes(got.data)
                html = client.get("/registry?page=2").get_data(as_text=True)
                html = CSRF_RE.sub("", html)
                (args.dump / "page2.html").write_text(html)
                (args.dump / "states.txt").write_text(_states_text(app, now))
                print(f"[profile] wrote {args.dump}")
            engine.dispose()
        finally:
            if args.keep is None:
                drop_database(url)
    print(_report(result, args.top))
    print("\nthe app's functions by cumulative time:")
    stats = result["stats"]
    mine = sorted(
        (kv for kv in stats.stats.items() if "/app/" in kv[0][0]),
        key=lambda kv: kv[1][3],
        reverse=True,
    )
    for (filename, line, func), (_cc, calls, _tt, cumtime, _callers) in mine[: args.top]:
        short = filename.split("/app/", 1)[-1]
        print(f"  {cumtime * 1000:8.1f} ms  {calls:6d}  app/{short}:{line}({func})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
