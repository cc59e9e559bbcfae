"""Subprocess entry points for the multi-process test: a clock (planner) or a dispatch worker,
each with the real twilio library pointed at the loopback fake.

    python -m tests.sms.procs clock|dispatch DATABASE_URL FAKE_URL SECONDS
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("HEED_ENV", "testing")


def main() -> int:
    role, database_url, fake_url, seconds = sys.argv[1:5]
    from app import create_app
    from app.jobs.clock import _as_leader, dispatch_outbox, plan_prompts
    from app.jobs.leader import LeaderLock
    from app.jobs.worker import run_worker
    from app.sms.gateway import TwilioGateway, install_gateway
    from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, LoopbackHttpClient

    app = create_app({"DATABASE_URL": database_url})
    gateway = TwilioGateway(
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        messaging_service_sid=SERVICE_SID,
        http_client=LoopbackHttpClient(fake_url),
    )
    install_gateway(app, gateway)
    deadline = time.monotonic() + float(seconds)
    if role == "dispatch":
        run_worker(app, max_seconds=float(seconds), interval=0.05)
        return 0
    lock = LeaderLock(app)
    while time.monotonic() < deadline:
        _as_leader(lock, plan_prompts, app)
        _as_leader(lock, dispatch_outbox, app)
        time.sleep(0.05)
    lock.release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
