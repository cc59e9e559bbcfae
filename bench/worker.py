"""A dispatch worker process: the app's own worker loop, the real twilio client, the fake API.

python -m bench.worker DATABASE_URL FAKE_URL SECONDS
"""

from __future__ import annotations

import sys


def main() -> int:
    database_url, fake_url, seconds = sys.argv[1:4]
    from app import create_app
    from app.jobs.worker import run_worker
    from app.sms.gateway import TwilioGateway, install_gateway
    from bench.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, LoopbackHttpClient

    app = create_app({"DATABASE_URL": database_url})
    gateway = TwilioGateway(
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        messaging_service_sid=SERVICE_SID,
        http_client=LoopbackHttpClient(fake_url),
    )
    install_gateway(app, gateway)
    print("ready", flush=True)
    sent = run_worker(app, max_seconds=float(seconds), interval=0.05)
    print(f"sent {sent}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
