"""Where a diary save spends its time, next to the ceiling's insert: a deterministic profile.

    python -m bench.profile [--db sqlite|postgresql] [--requests 400]

Seeds the small population into a throwaway database, then posts the benchmark's JSON diary
entry (`bench.load.diary_payload`) in-process through Flask's test client, with cProfile on,
then sends the same writes through the API's PUT (as `bench.load.api_step` does: the day's
last ETag as `If-Match`, the submission id as `Idempotency-Key`), and does the same for the
ceiling app. Reports process CPU and SQL statements per request and
the profile's self time grouped by package (the app, SQLAlchemy, the driver, Flask and
Werkzeug, ...). The output goes to stdout and to bench/results/profiles/.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import pstats
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event

from bench.load import CSRF_RE, diary_payload, local_day
from bench.run import SCALES, create_database, drop_database, postgres_problem, web_env
from bench.seed import PASSWORD

HERE = Path(__file__).resolve().parent
HARNESS = (
    "bench/profile.py",
    "collections/__init__.py",
    "werkzeug/test.py",
    "flask/testing.py",
    "~",
)
GROUPS = (
    ("app/", "heed (app/)"),
    ("sqlalchemy", "SQLAlchemy"),
    ("psycopg", "driver (psycopg)"),
    ("sqlite3", "driver (sqlite3)"),
    ("flask_login", "Flask-Login"),
    ("flask_wtf", "Flask-WTF (CSRF)"),
    ("flask_babel", "Flask-Babel"),
    ("babel", "Babel"),
    ("werkzeug", "Werkzeug"),
    ("flask", "Flask"),
    ("itsdangerous", "itsdangerous (session cookie)"),
    ("json", "json"),
)


def _group(filename: str) -> str:
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (C calls)"
    for needle, label in GROUPS:
        if f"/{needle}" in filename:
            return label
    return "other (stdlib, uuid, zoneinfo, ...)"


def _measure(
    name: str, call: Callable[[int], int], engine, requests: int, *, warmups: int = 20
) -> dict:
    statements = {"n": 0}
    last: list[str] = []  # the SQL of the last request, shortened

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements["n"] += 1
        last.append(" ".join(statement.split())[:110])

    for n in range(warmups):  # warm-up: caches, pools, compiled statements
        call(n)
    plain_cpu, plain_wall = time.process_time(), time.perf_counter()
    for n in range(requests):  # without the profiler's overhead: the figures to compare
        call(n)
    plain_cpu, plain_wall = time.process_time() - plain_cpu, time.perf_counter() - plain_wall
    event.listen(engine, "before_cursor_execute", count)
    profile = cProfile.Profile()
    cpu = time.process_time()
    profile.enable()
    statuses: Counter[int] = Counter()
    for n in range(requests):
        last.clear()
        statuses[call(n)] += 1
    profile.disable()
    cpu = time.process_time() - cpu
    event.remove(engine, "before_cursor_execute", count)
    stats = pstats.Stats(profile)
    by_group: Counter[str] = Counter()
    total = 0.0
    for (filename, _line, _func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        by_group[_group(filename)] += tottime
        total += tottime
    return {
        "name": name,
        "statuses": dict(statuses),
        "cpu_ms": plain_cpu * 1000 / requests,
        "wall_ms": plain_wall * 1000 / requests,
        "profiled_cpu_ms": cpu * 1000 / requests,
        "statements": statements["n"] / requests,
        "groups": [(label, 100 * t / total) for label, t in by_group.most_common()],
        "stats": stats,
        "last": list(last),
    }


def _report(result: dict, top: int) -> str:
    lines = [
        f"## {result['name']}: {result['cpu_ms']:.2f} ms CPU and {result['wall_ms']:.2f} ms wall "
        f"per request, {result['statements']:.1f} SQL statements; statuses {result['statuses']}",
        "",
        f"self time by package (profiled: {result['profiled_cpu_ms']:.2f} ms CPU per request):",
        *(f"  {share:5.1f} %  {label}" for label, share in result["groups"] if share >= 0.5),
        "",
        "the last request's statements:",
        *(f"  {sql}" for sql in result["last"]),
        "",
        f"top {top} by cumulative time:",
    ]
    stats: pstats.Stats = result["stats"]
    entries = sorted(
        (kv for kv in stats.stats.items() if not any(h in kv[0][0] for h in HARNESS)),  # type: ignore[attr-defined]
        key=lambda kv: kv[1][3],
        reverse=True,
    )
    for (filename, line, func), (_cc, calls, _tt, cumtime, _callers) in entries[:top]:
        short = filename.split("site-packages/")[-1].split("/work/main/")[-1]
        lines.append(f"  {cumtime * 1000:8.1f} ms  {calls:6d}  {short}:{line}({func})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    if args.db == "postgresql" and (problem := postgres_problem()):
        print(f"[profile] {problem}")
        return 1
    from alembic import command

    from app import create_app
    from app.cli import alembic_config
    from bench.seed import seed

    with tempfile.TemporaryDirectory(prefix="heed-profile-") as tmp:
        url = create_database(args.db, Path(tmp))
        env = web_env(url)
        os.environ.update(env)
        try:
            command.upgrade(alembic_config(url), "head")
            app = create_app({"DATABASE_URL": url})
            seeded = seed(app, SCALES["small"], now=datetime.now(UTC), load_patients=4)
            ceiling = importlib.import_module("bench.ceiling")
            ceiling.metadata.create_all(ceiling.engine)
            patient_id, email, zone = seeded.load_patients[0]
            client = app.test_client()
            match = CSRF_RE.search(client.get("/auth/login").get_data(as_text=True))
            header = (match.group(1) or match.group(2)) if match else ""
            login = {"email": email, "password": PASSWORD, "csrf_token": header}
            if client.post("/auth/login", data=login).status_code != 302:
                raise RuntimeError("could not sign in the profiled patient")
            rng = random.Random(1)

            def diary(_n: int) -> int:
                day = local_day(zone, rng.randint(1, 6))
                return client.post(
                    f"/patients/{patient_id}/diary/entry/{day}",
                    json=diary_payload(rng),
                    headers={"X-CSRFToken": header},
                ).status_code

            etags: dict[str, str] = {}

            def api_put(_n: int) -> int:
                day = local_day(zone, rng.randint(1, 6))
                payload = diary_payload(rng)
                headers = {"X-CSRFToken": header, "Idempotency-Key": payload.pop("submission_id")}
                if day in etags:
                    headers["If-Match"] = etags[day]
                answer = client.put(
                    f"/api/v1/patients/{patient_id}/diary/{day}", json=payload, headers=headers
                )
                if "ETag" in answer.headers:
                    etags[day] = answer.headers["ETag"]
                return answer.status_code

            bare = ceiling.app.test_client()

            def insert(_n: int) -> int:
                payload = {**diary_payload(rng), "patient_id": str(patient_id)}
                payload["local_date"] = local_day("UTC", 1)
                return bare.post("/entry", json=payload).status_code

            results = [
                _measure("diary POST (Heed)", diary, app.extensions["heed.engine"], args.requests),
                _measure("API PUT (Heed)", api_put, app.extensions["heed.engine"], args.requests),
                _measure("ceiling insert", insert, ceiling.engine, args.requests),
            ]
            ceiling.engine.dispose()
            app.extensions["heed.engine"].dispose()
        finally:
            drop_database(url)
    text = "\n\n".join(_report(r, args.top) for r in results)
    ceiling_cpu = results[-1]["cpu_ms"]
    ratios = ", ".join(
        f"{r['name']} / ceiling = {r['cpu_ms'] / ceiling_cpu:.1f}x" for r in results[:-1]
    )
    text = f"# Diary POST and API PUT profile ({args.db}, {args.requests} requests)\n\n" + (
        f"CPU per request without the profiler: {ratios}\n\n{text}\n"
    )
    out = HERE / "results" / "profiles"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{datetime.now(UTC):%Y-%m-%d}-{args.db}-diary.txt"
    path.write_text(text)
    print(text)
    print(f"[profile] wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
