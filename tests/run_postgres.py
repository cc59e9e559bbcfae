"""Run the whole suite again on PostgreSQL (`python -m tests.run_postgres`).

In CI (CI=true) an unreachable server is a failure; elsewhere the run is skipped
with the reason printed.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.dbutil import POSTGRES_SERVER_URL, postgres_reachable


def main() -> int:
    reason = postgres_reachable()
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    if reason is not None:
        where = POSTGRES_SERVER_URL.rsplit("@", 1)[-1]
        if in_ci:
            print(f"PostgreSQL at {where} is unreachable in CI: {reason}", file=sys.stderr)
            return 1
        print(f"SKIPPED the PostgreSQL run: server at {where} unreachable ({reason})")
        return 0
    print("running the suite on PostgreSQL")
    env = {**os.environ, "HEED_TEST_DB": "postgresql"}
    return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], env=env)  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
