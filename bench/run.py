"""`make bench`: seed, measure and report on PostgreSQL and SQLite, bounded in time.

python -m bench [--db postgresql,sqlite] [--scale full|small] [--budget SECONDS]
                [--stages web,planning,dispatch,registry]
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import signal
import tempfile
import time
import traceback
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import procs, report
from bench.population import Population

HERE = Path(__file__).resolve().parent
SERVER_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SCALES = {
    "full": Population(),
    "small": Population(diary_patients=80, recipients=5000, upcoming_patients=50, history_days=120),
}
STAGE_ORDER = ("seed", "web", "planning", "dispatch", "registry")
STAGES = STAGE_ORDER[1:]
MIN_SECONDS_PER_DB = 200


class BudgetExceeded(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise BudgetExceeded("the total time budget ran out")


def web_env(url: str) -> dict[str, str]:
    """Production settings (no debug), loopback only, console SMS; secrets made up per run."""
    return {
        **os.environ,
        "HEED_ENV": "production",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "BLIND_INDEX_KEY": secrets.token_hex(32),
        "ALLOW_SQLITE_IN_PRODUCTION": "1",
        "SECURE_COOKIES": "0",
        "SMS_BACKEND": "console",
        "MAIL_BACKEND": "console",
        "LOG_LEVEL": "WARNING",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        # Staff sign in with a password only: the bench measures pages, not the second factor
        # (with it required, every staff page answered 302 to the two-factor set-up).
        "REQUIRE_STAFF_2FA": "0",
    }


def create_database(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.sqlite3'}"
    name = f"heed_bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def postgres_problem() -> str | None:
    try:
        engine = create_engine(SERVER_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar()
        engine.dispose()
        os.environ["BENCH_POSTGRES_VERSION"] = str(version)
    except Exception as exc:
        return f"PostgreSQL unreachable at {make_url(SERVER_URL).host}: {type(exc).__name__}"
    return None


def run_one(
    kind: str, pop: Population, logs: Path, tmp: Path, only: frozenset[str] = frozenset(STAGES)
) -> dict[str, Any]:
    from alembic import command

    from app import create_app
    from app.cli import alembic_config
    from bench import ceiling, sms, web
    from bench.registry import run_registry
    from bench.seed import seed

    run: dict[str, Any] = {
        "db": kind, "figures": {}, "notes": {}, "remarks": [], "failures": [], "stages": {}
    }  # fmt: skip
    url = create_database(kind, tmp)
    env = web_env(url)
    os.environ.update({k: env[k] for k in ("HEED_ENV", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS",
                                            "BLIND_INDEX_KEY", "ALLOW_SQLITE_IN_PRODUCTION",
                                            "SMS_BACKEND", "MAIL_BACKEND", "LOG_LEVEL",
                                            "REQUIRE_STAFF_2FA")})  # fmt: skip
    app = None
    try:
        command.upgrade(alembic_config(url), "head")
        app = create_app({"DATABASE_URL": url})
        began = time.perf_counter()
        seeded = seed(app, pop, now=datetime.now(UTC), load_patients=64)
        ceiling.metadata.create_all(app.extensions["heed.engine"])
        run["figures"]["seed_seconds"] = round(seeded.seconds, 1)
        run["seed_rows"] = seeded.rows
        run["stages"]["seed"] = round(time.perf_counter() - began, 1)
        stages = (
            ("web", lambda: web.run_web(app, seeded, env=env, logs=logs)),
            ("planning", lambda: sms.run_planning(app)),
            (
                "dispatch",
                lambda: sms.run_dispatch(
                    app, seeded, url=url, multi=kind == "postgresql", logs=logs, env=env
                ),
            ),
            ("registry", lambda: run_registry(app, env=env, logs=logs)),
        )
        for name, stage in stages:
            if name not in only:
                continue
            began = time.perf_counter()
            try:
                part = stage()
            except BudgetExceeded:
                run["remarks"].append(f"the total time budget ran out during stage {name}")
                run["out_of_budget"] = True
                break
            except Exception as exc:
                traceback.print_exc()
                failure = f"stage {name} failed: {type(exc).__name__}: {str(exc)[:300]}"
                run["failures"].append(failure)
                print(f"[bench] FAILED: {kind} {failure}", flush=True)
                continue
            finally:
                procs.stop_all()
                run["stages"][name] = round(time.perf_counter() - began, 1)
            run["figures"].update(part["figures"])
            run["notes"].update(part["notes"])
            run["remarks"].extend(part["remarks"])
            run["failures"].extend(part.get("failures", []))
            print(f"[bench] {kind} {name}: {part['figures']}", flush=True)
            for failure in part.get("failures", []):
                print(f"[bench] FAILED: {kind} {name}: {failure}", flush=True)
    finally:
        procs.stop_all()
        if app is not None:
            app.extensions["heed.engine"].dispose()
        drop_database(url)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--db", default="postgresql,sqlite")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--budget", type=float, default=570.0, help="total seconds")
    parser.add_argument(
        "--stages", default=",".join(STAGES), help="comma-separated subset of " + ",".join(STAGES)
    )
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args(argv)
    only = frozenset(s.strip() for s in args.stages.split(",") if s.strip())
    if unknown := only - set(STAGES):
        parser.error(f"unknown stage(s): {', '.join(sorted(unknown))}")
    started = time.monotonic()
    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGTERM, _alarm)
    signal.alarm(int(args.budget))
    machine = procs.machine()
    runs: list[dict[str, Any]] = []
    stamp = datetime.now(UTC)
    try:
        with tempfile.TemporaryDirectory(prefix="heed-bench-") as tmp:
            logs = HERE / "results" / "logs"
            logs.mkdir(parents=True, exist_ok=True)
            for kind in [k.strip() for k in args.db.split(",") if k.strip()]:
                left = args.budget - (time.monotonic() - started)
                if kind == "postgresql" and (problem := postgres_problem()):
                    print(f"[bench] skipping PostgreSQL: {problem}")
                    continue
                if left < MIN_SECONDS_PER_DB and args.scale == "full":
                    print(f"[bench] skipping {kind}: only {left:.0f} s of the budget left")
                    continue
                try:
                    run = run_one(kind, SCALES[args.scale], logs, Path(tmp), only)
                except BudgetExceeded as exc:  # during seeding: nothing worth writing
                    print(f"[bench] {kind}: {exc}")
                    break
                run.update(date=stamp.date().isoformat(), machine=machine, scale=args.scale)
                run["total_seconds"] = round(time.monotonic() - started, 1)
                runs.append(run)
                print(f"[bench] wrote {report.write_result(HERE / 'results', run)}", flush=True)
                if run.get("out_of_budget"):
                    break
    finally:
        signal.alarm(0)
        procs.stop_all()
    if not runs:
        print("[bench] nothing measured")
        return 1
    pg = os.environ.get("BENCH_POSTGRES_VERSION")
    described = (
        f"{machine['cores']} cores, {machine['memory_gb']} GB RAM, Python {machine['python']}"
        + (f", PostgreSQL {pg}" if pg else "")
        + f"; scale {args.scale}; whole run {time.monotonic() - started:.0f} s"
    )
    table = report.render_table(
        runs, heading=f"Run of {stamp:%Y-%m-%d %H:%M} UTC", machine=described
    )
    print(table)
    if not args.no_readme:
        report.append_readme(HERE / "README.md", table)
    return exit_code(runs)


def exit_code(runs: list[dict[str, Any]]) -> int:
    """1 when any stage failed (raised, or a dispatch phase sent nothing): loud, not a figure."""
    failed = [(run["db"], failure) for run in runs for failure in report.failures(run)]
    for kind, failure in failed:
        print(f"[bench] FAILED ({kind}): {failure}", flush=True)
    return 1 if failed else 0
