"""`make bench`'s API PUT step against a served app: every write answers 201/200, except the
one 428 per day first met that already had an entry (its ETag is then known); with the ETags
read first (`known_etags`, as the harness does before timing), none is a 428."""

from __future__ import annotations

import random

import pytest

from app.demo import DEMO_PASSWORD
from bench.load import Session, api_step, diary_step, known_etags
from tests.browser.people import seeded_people

pytestmark = pytest.mark.browser  # needs the served demo app of tests/browser (no browser)


def test_the_api_put_step_writes_like_the_form_step(live):
    people = seeded_people(live, "en", "benchapi")
    session = Session(live.url)
    session.login(people.email("patient"), DEMO_PASSWORD)
    _, html = session.get(f"/patients/{people.patient_id}/diary/entry")
    session.take_csrf(html)
    sessions = [(session, people.patient_id, "UTC")]
    rng = random.Random(3)
    form = [diary_step(sessions)(rng) for _ in range(4)]
    assert set(form) <= {200, 201}
    step = api_step(sessions)
    statuses = [step(rng) for _ in range(20)]
    assert set(statuses) <= {200, 201, 428}
    assert statuses.count(428) <= 6  # at most once per day of the window
    form = [diary_step(sessions)(rng) for _ in range(4)]  # the days move on elsewhere
    primed = api_step(sessions, known_etags(sessions))
    assert {primed(rng) for _ in range(12)} <= {200, 201}
    session.close()
