"""Conference services: agenda from the rules, freeze, nominations, snapshot, decisions,
the care-plan link, reminders, metrics and the registry column."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.careteam.models import Patient
from app.conferences import decisions, hooks, jobs, metrics, queries, services
from app.conferences.models import ActionKind, ActionStatus, AgendaItem, CaseConference
from app.db import db
from app.mail import outbox
from tests.conferences.helpers import NOT_IMPROVING, make_world, schedule, stand_in_rule

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(make):
    return make_world(make)


def _items(conference) -> dict:
    return {i.patient_id: i for i in queries.items(conference)}


def test_agenda_is_built_from_the_rules_for_the_invited_teams_only(app, world):
    with app.test_request_context(), stand_in_rule(world.flagged, world.stranger) as calls:
        conference = schedule(world, now=NOW)
        items = _items(conference)
        assert set(items) == {world.flagged.id}  # the stranger's clinician was not invited
        assert items[world.flagged.id].reasons == [
            {"code": "not_improving", "params": {}, "text": NOT_IMPROVING}
        ]
        assert calls[0]["patient_ids"] == {world.flagged.id, world.other.id}
        assert calls[0]["since"] == NOW - timedelta(weeks=4)  # no earlier conference
        schedule(world, now=NOW, days=10)
        assert calls[-1]["since"] == conference.starts_at  # since the previous conference


def test_agenda_freezes_24_hours_before_on_first_access_and_by_the_clock(app, world):
    with app.test_request_context(), stand_in_rule(world.flagged) as _calls:
        conference = schedule(world, now=NOW)
        assert not services.ensure_frozen(conference=conference, now=NOW + timedelta(days=1))
        assert services.ensure_frozen(conference=conference, now=NOW + timedelta(days=2))
        assert conference.frozen_at == NOW + timedelta(days=2)
        with pytest.raises(services.ConferenceError, match="frozen"):
            services.build_agenda(conference=conference, now=NOW + timedelta(days=2))
        second = schedule(world, now=NOW, days=5)
        assert jobs.freeze_agendas(now=NOW + timedelta(days=4, hours=1)) == 1
        assert second.frozen_at is not None


def test_nomination_and_removal_need_a_reason_and_stop_at_the_start(app, world):
    with app.test_request_context(), stand_in_rule(world.flagged):
        conference = schedule(world, now=NOW)
        lead = db.session.get(User, world.lead.id)
        other = db.session.get(Patient, world.other.id)
        with pytest.raises(services.ConferenceError) as empty:
            services.nominate(conference=conference, patient=other, by=lead, reason="  ", now=NOW)
        assert empty.value.field == "reason"
        stranger = db.session.get(Patient, world.stranger.id)
        with pytest.raises(services.ConferenceError):
            services.nominate(conference=conference, patient=stranger, by=lead, reason="x", now=NOW)
        assert world.other.id not in _items(conference)
        services.freeze(conference=conference, now=NOW)
        item = services.nominate(
            conference=conference, patient=other, by=lead, reason="Sleep worse", now=NOW
        )
        assert item.late and item.nomination == "Sleep worse"
        services.remove(conference=conference, item=item, by=lead, reason="Seen today", now=NOW)
        assert world.other.id not in _items(conference)
        services.start(conference=conference, now=NOW)
        with pytest.raises(services.ConferenceError, match="started"):
            services.nominate(conference=conference, patient=other, by=lead, reason="x", now=NOW)


def test_start_snapshots_the_summary_and_decisions_need_an_agenda_patient(app, world):
    with app.test_request_context(), stand_in_rule(world.flagged):
        conference = schedule(world, now=NOW)
        lead = db.session.get(User, world.lead.id)
        services.start(conference=conference, now=NOW)
        item = _items(conference)[world.flagged.id]
        assert item.snapshot is not None and item.snapshot["taken_at"] == NOW.isoformat()
        stray = AgendaItem(conference_id=conference.id, patient_id=world.other.id, reasons=[])
        stray.removed_at = NOW
        db.session.add(stray)
        db.session.flush()
        with pytest.raises(services.ConferenceError, match="not on the agenda"):
            decisions.add_action(
                conference=conference,
                item=stray,
                kind=ActionKind.FOLLOWUP,
                description="x",
                owner_id=lead.id,
                due_on=date(2026, 3, 9),
                by=lead,
                today=NOW.date(),
            )
        with pytest.raises(services.ConferenceError) as past:
            decisions.add_action(
                conference=conference,
                item=item,
                kind=ActionKind.FOLLOWUP,
                description="x",
                owner_id=lead.id,
                due_on=date(2026, 3, 1),
                by=lead,
                today=NOW.date(),
            )
        assert past.value.field == "due_on"


def test_care_plan_version_with_the_origin_closes_the_decision(app, world):
    with app.test_request_context(), stand_in_rule(world.flagged):
        conference = schedule(world, now=NOW)
        lead = db.session.get(User, world.lead.id)
        services.start(conference=conference, now=NOW)
        item = _items(conference)[world.flagged.id]
        action = decisions.add_action(
            conference=conference,
            item=item,
            kind=ActionKind.CARE_PLAN,
            description="Add graded activity",
            owner_id=lead.id,
            due_on=date(2026, 3, 9),
            by=lead,
            today=NOW.date(),
        )
        version_id = action.id  # any id: the link is opaque
        assert (
            decisions.link_plan_version(
                origin="something-else", patient_id=world.flagged.id, version_id=version_id, now=NOW
            )
            is None
        )
        linked = decisions.link_plan_version(
            origin=decisions.origin_token(action),
            patient_id=world.flagged.id,
            version_id=version_id,
            now=NOW,
        )
        assert linked is action and action.status == ActionStatus.DONE


def test_overdue_reminder_is_sent_once(app, world):
    with app.test_request_context(), stand_in_rule(world.flagged):
        conference = schedule(world, now=NOW)
        lead = db.session.get(User, world.lead.id)
        services.start(conference=conference, now=NOW)
        item = _items(conference)[world.flagged.id]
        decisions.add_action(
            conference=conference,
            item=item,
            kind=ActionKind.QUESTIONNAIRE,
            description="Assign GAD-7",
            owner_id=lead.id,
            due_on=date(2026, 3, 3),
            by=lead,
            today=NOW.date(),
        )
        db.session.commit()
        later = NOW + timedelta(days=3)
        assert jobs.remind_overdue(now=later) == 1
        assert jobs.remind_overdue(now=later) == 0
        mails = [m for m in outbox() if m.to == lead.email]
        assert len(mails) == 1 and "overdue" in mails[0].subject
        assert world.flagged.display_name not in mails[0].body


def test_metrics_and_registry_column(app, world):
    with app.test_request_context(), stand_in_rule(world.flagged):
        conference = schedule(world, now=NOW)
        lead = db.session.get(User, world.lead.id)
        services.start(conference=conference, now=NOW + timedelta(days=3))
        item = _items(conference)[world.flagged.id]
        services.save_note(
            conference=conference,
            item=item,
            by=lead,
            discussed="Reviewed",
            hypotheses=None,
            disagreements=None,
            uncertainty=None,
            now=NOW + timedelta(days=3),
        )
        rec = decisions.add_action(
            conference=conference,
            item=item,
            kind=ActionKind.RECOMMENDATION,
            description="Consider SSRI",
            owner_id=lead.id,
            due_on=date(2026, 3, 12),
            by=lead,
            today=date(2026, 3, 5),
        )
        rec.created_at = NOW + timedelta(days=3)
        decisions.close_action(
            action=rec, by=lead, decline=False, reason=None, now=NOW + timedelta(days=4)
        )
        review = metrics.compute(
            world.clinic.id,
            start=date(2026, 3, 1),
            end=date(2026, 3, 10),
            now=NOW + timedelta(days=6),
        )
        assert (review.reviewed.numerator, review.reviewed.denominator) == (1, 3)
        assert review.median_days_to_review == 3.0
        assert (
            review.acknowledged_in_7_days.numerator,
            review.acknowledged_in_7_days.denominator,
        ) == (1, 1)
        column = hooks.days_since_review(
            None,
            clinic_id=world.clinic.id,
            patient_ids=frozenset({world.flagged.id, world.other.id}),
            today=date(2026, 3, 15),
        )
        assert column.key == "days_since_review"
        assert column.values == {world.flagged.id: 10}
        assert db.session.scalar(select(CaseConference.id)) is not None
