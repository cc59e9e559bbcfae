"""Screenshots for the README's tour: `python -m tests.browser.screenshots OUTDIR`
(or `make screenshots`, which writes docs/screenshots/).

Starts Heed on a fresh, migrated, demo-seeded SQLite database in a temporary directory, signs in
as the demo people in Debian's Chromium and saves full-page PNGs at 360 px (phone) and 1280 px
(desktop) of the patient home, the quick diary, the pre-visit summary, the record and the
registry, in English and Arabic: `<page>-<locale>-<width>.png`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("HEED_ENV", "testing")

LOCALES = ("en", "ar")
WIDTHS = {360: 780, 1280: 900}
PATIENT, CLINICIAN, COORDINATOR = (
    "patient@example.org",
    "clinician@example.org",
    "coordinator@example.org",
)


@contextmanager
def seeded_server(workdir: str) -> Iterator[tuple[str, object, str]]:
    """(base URL, app, the demo patient's id) of a live server on a seeded database."""
    from alembic import command
    from sqlalchemy import select
    from werkzeug.serving import make_server

    from app import create_app
    from app.auth.models import User
    from app.careteam.models import Patient
    from app.cli import alembic_config
    from app.db import db
    from app.demo import seed

    url = f"sqlite:///{workdir}/screenshots.sqlite3"
    command.upgrade(alembic_config(url), "head")
    app = create_app({"DATABASE_URL": url})
    with app.app_context(), db.transaction():
        seed()
        patient_id = db.session.scalar(
            select(Patient.id).join(User, User.id == Patient.user_id).where(User.email == PATIENT)
        )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app, str(patient_id)
    finally:
        server.shutdown()
        app.extensions["heed.engine"].dispose()


def set_locale(app, locale: str) -> None:
    """Everyone photographed reads Heed in `locale` (their own setting, as the switcher saves)."""
    from sqlalchemy import update

    from app.auth.models import User
    from app.db import db

    with app.app_context(), db.transaction():
        db.session.execute(
            update(User)
            .where(User.email.in_((PATIENT, CLINICIAN, COORDINATOR)))
            .values(locale=locale)
        )


def shoot(browser, base: str, outdir: Path, locale: str, patient_id: str) -> list[Path]:
    from app.demo import DEMO_PASSWORD

    pages = {
        PATIENT: [("patient-home", "/"), ("diary-quick", "/diary/quick")],
        CLINICIAN: [
            ("summary", f"/patients/{patient_id}/summary"),
            ("record", f"/patients/{patient_id}"),
        ],
        COORDINATOR: [("registry", "/registry")],
    }
    saved = []
    for width, height in WIDTHS.items():
        phone = width < 600
        for email, shots in pages.items():
            context = browser.new_context(
                viewport={"width": width, "height": height},
                is_mobile=phone,
                has_touch=phone,
                base_url=base,
            )
            page = context.new_page()
            page.goto("/auth/login")
            page.locator("#email").fill(email)
            page.locator("#password").fill(DEMO_PASSWORD)
            page.locator("#password").press("Enter")
            page.wait_for_load_state()
            for name, path in shots:
                page.goto(path)
                page.wait_for_load_state("networkidle")
                target = outdir / f"{name}-{locale}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                saved.append(target)
            context.close()
    return saved


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.browser.screenshots OUTDIR", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from tests.browser.fixtures import CHROMIUM, CHROMIUM_ARGS

    outdir = Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir, seeded_server(workdir) as live:
        base, app, patient_id = live
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for locale in LOCALES:
                set_locale(app, locale)
                for path in shoot(browser, base, outdir, locale, patient_id):
                    print(path)
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
