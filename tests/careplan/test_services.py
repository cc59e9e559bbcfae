"""Versioning: every save is a new version; a stale base writes nothing; comments."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth.models import User
from app.careplan import queries, services
from app.careplan.models import CarePlanComment, CarePlanVersion
from app.careteam.models import Patient
from app.db import db
from tests.careplan.helpers import plan


@pytest.fixture
def team(make):
    clinic = make.clinic()
    first, second = make.clinician(clinic), make.clinician(clinic)
    patient = make.patient(clinic, team=[first, second])
    return patient, first, second


def _load(patient, *users):
    return db.session.get(Patient, patient.id), *(db.session.get(User, u.id) for u in users)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_each_save_is_a_new_version_with_author_and_time(team, ctx):
    patient, first, second = _load(*team)
    v1 = services.save_version(patient=patient, author=first, content=plan(), base_version=0)
    v2 = services.save_version(
        patient=patient, author=second, content=plan("Revised."), base_version=1
    )
    assert (v1.version, v1.author_id, v2.version, v2.author_id) == (1, first.id, 2, second.id)
    assert v1.created_at.tzinfo is not None
    assert v1.plan.hypotheses == plan().hypotheses  # never overwritten
    assert queries.latest_version(patient).plan.hypotheses == "Revised."
    assert [v.version for v in queries.versions(patient)] == [2, 1]


def test_goal_and_intervention_ids_are_stable_across_versions(team, ctx):
    patient, first, _ = _load(*team)
    v1 = services.save_version(patient=patient, author=first, content=plan(), base_version=0)
    goal_id = v1.plan.goals[0].id
    assert goal_id
    v2 = services.save_version(patient=patient, author=first, content=v1.plan, base_version=1)
    assert v2.plan.goals[0].id == goal_id
    assert v2.plan.interventions[0].id == v1.plan.interventions[0].id


def test_repeated_or_malformed_ids_get_fresh_ones(team, ctx):
    patient, first, _ = _load(*team)
    content = plan()
    doubled = content.__class__(goals=(content.goals[0],) * 2)
    saved = services.save_version(patient=patient, author=first, content=doubled, base_version=0)
    ids = [g.id for g in saved.plan.goals]
    assert len(set(ids)) == 2


@pytest.mark.parametrize("base", [0, 2, -1])
def test_a_stale_base_is_refused_and_writes_nothing(team, ctx, base):
    patient, first, second = _load(*team)
    services.save_version(patient=patient, author=first, content=plan(), base_version=0)
    versions, events = _count(CarePlanVersion), _count(AuditEvent)
    with pytest.raises(services.StalePlan) as refused:
        services.save_version(
            patient=patient, author=second, content=plan("Lost?"), base_version=base
        )
    assert refused.value.latest == 1
    assert (_count(CarePlanVersion), _count(AuditEvent)) == (versions, events)
    assert queries.latest_version(patient).plan.hypotheses == plan().hypotheses


def test_saves_and_comments_are_audited_without_content(team, ctx):
    patient, first, _ = _load(*team)
    version = services.save_version(patient=patient, author=first, content=plan(), base_version=0)
    comment = services.add_comment(
        patient=patient, author=patient.user, body="Can we talk about sleep?", plan_version=1
    )
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.patient_id == patient.id).order_by(AuditEvent.id)
    ).all()
    actions = {(e.action, e.object_id) for e in events}
    assert ("care_plan.version_create", str(version.id)) in actions
    assert ("care_plan.comment_add", str(comment.id)) in actions
    for event in events:
        assert "sleep" not in f"{event.action}{event.object_type}{event.object_id}".lower()


def test_comments_are_listed_newest_first_and_blank_ones_refused(team, ctx):
    patient, *_ = _load(*team)
    services.add_comment(patient=patient, author=patient.user, body="first", plan_version=None)
    services.add_comment(patient=patient, author=patient.user, body=" second ", plan_version=None)
    bodies = [c.body for c in queries.comments(patient)]
    assert sorted(bodies) == ["first", "second"]
    with pytest.raises(ValueError, match="comment"):
        services.add_comment(patient=patient, author=patient.user, body="   ", plan_version=None)
    assert _count(CarePlanComment) == 2


def test_progress_without_a_provider_is_not_linked_yet(team, ctx):
    from app.careplan.progress import Status
    from app.signals import measure_observations

    patient, first, _ = _load(*team)
    version = services.save_version(patient=patient, author=first, content=plan(), base_version=0)
    goal = version.plan.goals[0]
    today = queries.patient_today(patient)
    with measure_observations.muted():
        assert queries.goal_progress(patient, goal, today).status == Status.NO_SOURCE

    def provider(_kind, *, patient, measure, start, end):
        return [(end, 8.0), (start, 8.0), (end, None), (end, 9.0)]

    with measure_observations.connected_to(provider, sender="sleep_hours_nights_per_week"):
        result = queries.goal_progress(patient, goal, today)
    assert (result.status, result.recorded_days, result.window_days) == (
        Status.NOT_ENOUGH_DATA,
        2,
        7,
    )
