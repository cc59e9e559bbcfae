"""The referral decision: recorded at the conference, its link opens the referral form with the
decision's origin token, and the referral made from it closes the decision (through the
`referral_created` signal: neither feature imports the other). Bad input writes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from app.auth.models import User
from app.conferences import decisions, queries, services
from app.conferences.models import ActionKind, ActionStatus, AgendaItem, ConferenceAction
from app.db import db
from app.referrals.models import Referral
from tests.conferences.helpers import make_world, schedule, stand_in_rule
from tests.factories import PASSWORD

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(make):
    return make_world(make)


def _decide(conference, item, owner, kind=ActionKind.REFERRAL) -> ConferenceAction:
    return decisions.add_action(
        conference=conference,
        item=item,
        kind=kind,
        description="Refer to psychiatry for a medication review.",
        owner_id=owner.id,
        due_on=date(2026, 3, 9),
        by=owner,
        today=NOW.date(),
    )


def test_a_referral_from_the_link_closes_only_its_own_decision(app, world):
    with app.test_request_context(), stand_in_rule(world.flagged):
        conference = schedule(world, now=NOW)
        lead = db.session.get(User, world.lead.id)
        services.start(conference=conference, now=NOW)
        item = queries.items(conference)[0]
        action = _decide(conference, item, lead)
        plan = _decide(conference, item, lead, kind=ActionKind.CARE_PLAN)
        token = decisions.origin_token(action)
        first, second = uuid.uuid4(), uuid.uuid4()
        for origin, patient_id in (
            (None, world.flagged.id),
            ("conference-action:not-a-uuid", world.flagged.id),
            (f"conference-action:{uuid.uuid4()}", world.flagged.id),
            (decisions.origin_token(plan), world.flagged.id),  # a care-plan decision
            (token, world.other.id),  # another patient
        ):
            assert (
                decisions.link_referral(
                    origin=origin, patient_id=patient_id, referral_id=first, now=NOW
                )
                is None
            )
        assert action.status == ActionStatus.OPEN and action.referral_id is None
        linked = decisions.link_referral(
            origin=token, patient_id=world.flagged.id, referral_id=first, now=NOW
        )
        assert linked is action and action.status == ActionStatus.DONE
        assert action.referral_id == first and action.closed_at == NOW
        again = decisions.link_referral(
            origin=token, patient_id=world.flagged.id, referral_id=second, now=NOW
        )
        assert again is None and action.referral_id == first
        assert plan.status == ActionStatus.OPEN
        db.session.rollback()


def _referral_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Referral))


@time_machine.travel(NOW, tick=False)
def test_the_referral_decision_over_http(app, world, client, auth):
    with stand_in_rule(world.flagged):
        auth.login(world.coordinator.email, PASSWORD)
        data = {
            "day": "2026-03-05",
            "at": "14:00",
            "modality": "in_person",
            "video_url": "",
            "members": [str(world.lead.id), str(world.psychiatrist.id)],
        }
        url = auth.post("/conferences/new", data, token_from="/conferences/new").headers["Location"]
        assert auth.post(f"{url}/start", {}, token_from=url).status_code == 302
        auth.logout()

        auth.login(world.lead.email, PASSWORD)
        with app.app_context():
            item = db.session.scalars(select(AgendaItem)).one()
        item_url = f"{url}/items/{item.id}"
        page = client.get(item_url).get_data(as_text=True)
        assert 'value="referral"' in page and "Make a referral" in page
        decision = {
            "kind": "referral",
            "description": "Refer to psychiatry for a medication review.",
            "owner": str(world.lead.id),
            "due_on": "2026-03-09",
        }
        assert auth.post(f"{item_url}/actions", decision, token_from=item_url).status_code == 302
        with app.app_context():
            action = db.session.scalars(select(ConferenceAction)).one()
        assert action.kind == ActionKind.REFERRAL

        action_url = f"/conferences/actions/{action.id}"
        page = client.get(action_url).get_data(as_text=True)
        origin = f"conference-action:{action.id}"
        form_url = f"/patients/{world.flagged.id}/referrals?origin={origin}"
        assert f'href="{form_url}"' in page
        assert "Open the referral form" in page and "Mark as done" not in page

        form_page = client.get(form_url).get_data(as_text=True)
        assert f'name="origin" value="{origin}"' in form_page

        # Bad input: no reason. Refused with the field's message; nothing written.
        bad = {"target_kind": "discipline", "discipline": "psychiatry", "urgency": "soon"}
        refused = auth.post(
            form_url, {**bad, "reason": "", "origin": origin, "action": "send"}, token_from=form_url
        )
        assert refused.status_code == 400
        assert "Give the reason for the referral." in refused.get_data(as_text=True)
        assert _referral_count(app) == 0
        with app.app_context():
            assert db.session.get(ConferenceAction, action.id).status == ActionStatus.OPEN

        # A malformed origin is ignored: the referral is made, no decision closes.
        made = auth.post(
            f"/patients/{world.flagged.id}/referrals",
            {**bad, "reason": "Medication review.", "origin": "<script>", "action": "draft"},
            token_from=form_url,
        )
        assert made.status_code == 302
        with app.app_context():
            assert db.session.get(ConferenceAction, action.id).status == ActionStatus.OPEN

        sent = auth.post(
            form_url,
            {**bad, "reason": "Medication review.", "origin": origin, "action": "send"},
            token_from=form_url,
        )
        assert sent.status_code == 302
        with app.app_context():
            closed = db.session.get(ConferenceAction, action.id)
            referral_ids = set(db.session.scalars(select(Referral.id)))
        assert closed.status == ActionStatus.DONE and closed.referral_id in referral_ids
        assert _referral_count(app) == 2
        page = client.get(action_url).get_data(as_text=True)
        assert "A referral was made from this decision." in page
        assert f"/referrals/{closed.referral_id}" in page
