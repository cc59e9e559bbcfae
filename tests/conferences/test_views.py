"""The conference pages end to end over HTTP: schedule, agenda, attendance, notes, decisions,
acknowledgement, the care-plan link, the patient's view; access, audit and bad input."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.careplan.models import CarePlanVersion
from app.conferences.models import (
    ActionKind,
    ActionStatus,
    AgendaItem,
    Attendance,
    CaseConference,
    ConferenceAction,
    ConferenceMember,
)
from app.db import db
from tests.careplan.test_proposal import _fields as plan_fields
from tests.careplan.test_views import _form as plan_form
from tests.conferences.helpers import NOT_IMPROVING, make_world, stand_in_rule
from tests.factories import PASSWORD

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(make):
    return make_world(make)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _schedule(auth, world, **over):
    data = {
        "day": "2026-03-05",
        "at": "14:00",
        "modality": "in_person",
        "video_url": "",
        "members": [str(world.lead.id), str(world.psychiatrist.id)],
    }
    data.update(over)
    return auth.post("/conferences/new", data, token_from="/conferences/new")


def _one(app, model):
    with app.app_context():
        return db.session.scalars(select(model)).one()


@time_machine.travel(NOW, tick=False)
def test_bad_schedule_input_writes_nothing(app, world, client, auth):
    auth.login(world.coordinator.email, PASSWORD)
    past = _schedule(auth, world, day="2026-03-01")
    assert past.status_code == 400 and "Choose a time in the future." in past.get_data(as_text=True)
    unknown = _schedule(
        auth, world, members=[str(world.lead.id), "00000000-0000-0000-0000-000000000000"]
    )
    assert "Choose members of this clinic" in unknown.get_data(as_text=True)
    nobody = _schedule(auth, world, members=[])
    assert 'aria-invalid="true"' in nobody.get_data(as_text=True)
    video = _schedule(auth, world, modality="video", video_url="http://x")
    assert "https://" in video.get_data(as_text=True) and video.status_code == 400
    assert _count(app, CaseConference) == 0
    auth.logout()
    auth.login(world.lead.email, PASSWORD)
    assert client.get("/conferences/new").status_code == 404  # coordinators schedule


@time_machine.travel(NOW, tick=False)
def test_the_whole_conference(app, world, client, auth):
    with stand_in_rule(world.flagged):
        auth.login(world.coordinator.email, PASSWORD)
        response = _schedule(auth, world)
        assert response.status_code == 302
        url = response.headers["Location"]
        page = client.get(url).get_data(as_text=True)
        assert world.flagged.display_name in page and NOT_IMPROVING in page
        assert world.other.display_name in page  # a candidate for nomination
        conference = _one(app, CaseConference)
        auth.logout()

        # A member nominates a patient; an empty reason is refused with the field marked.
        auth.login(world.lead.email, PASSWORD)
        empty = auth.post(
            f"{url}/nominate", {"patient": str(world.other.id), "reason": ""}, token_from=url
        )
        assert empty.status_code == 400 and "Give a reason." in empty.get_data(as_text=True)
        ok = auth.post(
            f"{url}/nominate",
            {"patient": str(world.other.id), "reason": "Sleep worse"},
            token_from=url,
        )
        assert ok.status_code == 302
        stranger = auth.post(
            f"{url}/nominate", {"patient": str(world.stranger.id), "reason": "x"}, token_from=url
        )
        assert stranger.status_code == 400
        assert _count(app, AgendaItem) == 2
        auth.logout()

        # The coordinator starts; the team records attendance.
        auth.login(world.coordinator.email, PASSWORD)
        assert auth.post(f"{url}/start", {}, token_from=url).status_code == 302
        refused = auth.post(
            f"{url}/nominate", {"patient": str(world.other.id), "reason": "again"}, token_from=url
        )
        assert refused.status_code == 400
        attendance = {
            f"attendance-{world.lead.id}": "present",
            f"attendance-{world.psychiatrist.id}": "apologies",
        }
        assert auth.post(f"{url}/attendance", attendance, token_from=url).status_code == 302
        with app.app_context():
            marks = dict(
                db.session.execute(
                    select(ConferenceMember.member_id, ConferenceMember.attendance)
                ).all()
            )
        assert marks == {
            world.lead.id: Attendance.PRESENT,
            world.psychiatrist.id: Attendance.APOLOGIES,
        }
        auth.logout()

        # The lead writes the note and three kinds of decisions.
        auth.login(world.lead.email, PASSWORD)
        with app.app_context():
            item = db.session.scalar(
                select(AgendaItem).where(AgendaItem.patient_id == world.flagged.id)
            )
        item_url = f"{url}/items/{item.id}"
        page = client.get(item_url).get_data(as_text=True)
        assert "Summary as seen at the conference" in page and "Copied on" in page
        note = {
            "discussed": "Pain and mood flat since January.",
            "hypotheses": "Sleep loss drives the flares.",
            "disagreements": "",
            "uncertainty": "Unclear whether the new job adds stress.",
        }
        assert auth.post(f"{item_url}/note", note, token_from=item_url).status_code == 302
        for kind, owner in (
            ("care_plan", world.lead),
            ("recommendation", world.lead),
            ("followup", world.psychiatrist),
        ):
            decision = {
                "kind": kind,
                "description": f"Do {kind}",
                "owner": str(owner.id),
                "due_on": "2026-03-09",
            }
            assert (
                auth.post(f"{item_url}/actions", decision, token_from=item_url).status_code == 302
            )
        bad = auth.post(
            f"{item_url}/actions",
            {
                "kind": "followup",
                "description": "x",
                "owner": str(world.lead.id),
                "due_on": "2026-02-01",
            },
            token_from=item_url,
        )
        assert bad.status_code == 400 and "Choose a due date from today on." in bad.get_data(
            as_text=True
        )
        assert _count(app, ConferenceAction) == 3

        # The lead acknowledges the recommendation; declining needs a reason.
        with app.app_context():
            actions = {a.kind: a for a in db.session.scalars(select(ConferenceAction))}
        rec_url = f"/conferences/actions/{actions[ActionKind.RECOMMENDATION].id}"
        decline = auth.post(rec_url, {"decision": "decline", "reason": ""}, token_from=rec_url)
        assert decline.status_code == 400 and "Give a reason." in decline.get_data(as_text=True)
        assert (
            auth.post(
                rec_url, {"decision": "acknowledge", "reason": ""}, token_from=rec_url
            ).status_code
            == 302
        )

        # The care-plan decision opens the editor with the proposal; saving links the version.
        plan_url = f"/conferences/actions/{actions[ActionKind.CARE_PLAN].id}"
        page = client.get(plan_url).get_data(as_text=True)
        assert "origin=conference-action:" in page
        origin = f"conference-action:{actions[ActionKind.CARE_PLAN].id}"
        edit_url = f"/patients/{world.flagged.id}/care-plan/edit?origin={origin}"
        editor = client.get(edit_url).get_data(as_text=True)
        assert "Proposed at the case conference" in editor and "Do care_plan" in editor
        assert plan_fields(editor)["interventions-0-what"] == "Do care_plan"  # an unsaved draft
        saved = auth.post(edit_url, {**plan_form(0), "origin": origin}, token_from=edit_url)
        assert saved.status_code == 302
        with app.app_context():
            version = db.session.scalars(select(CarePlanVersion)).one()
            plan_action = db.session.get(ConferenceAction, actions[ActionKind.CARE_PLAN].id)
            rec = db.session.get(ConferenceAction, actions[ActionKind.RECOMMENDATION].id)
        assert (
            plan_action.care_plan_version_id == version.id
            and plan_action.status == ActionStatus.DONE
        )
        assert rec.status == ActionStatus.DONE
        again = client.get(edit_url).get_data(as_text=True)  # carried out: the editor is plain
        assert "Proposed at the case conference" not in again and "Do care_plan" not in again
        home = client.get("/").get_data(as_text=True)
        assert "Case-conference actions for you" not in home or "Do followup" not in home
        auth.logout()

        # The psychiatrist's open follow-up shows on their home page.
        auth.login(world.psychiatrist.email, PASSWORD)
        assert "Case-conference actions for you" in client.get("/").get_data(as_text=True)
        auth.logout()

        auth.login(world.coordinator.email, PASSWORD)
        assert auth.post(f"{url}/finish", {}, token_from=url).status_code == 302
        finished = auth.post(f"{item_url}/note", note, token_from=url)
        assert finished.status_code == 400 and "nothing in it can change" in finished.get_data(
            as_text=True
        )
        auth.logout()

        # The patient sees the review and the plan change, never the discussion.
        auth.login(world.flagged.user.email, PASSWORD)
        home = client.get("/").get_data(as_text=True)
        assert "Your care team reviewed your care" in home and "your care plan was updated" in home
        assert "Sleep loss drives the flares." not in home
        assert client.get(url).status_code == 404
        assert client.get(item_url).status_code == 404
    with app.app_context():
        views = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "conference.item_view")
        )
    assert views >= 1
    assert conference is not None


@time_machine.travel(NOW, tick=False)
def test_only_members_and_coordinators_see_it_and_only_their_patients(
    app, world, make, client, auth
):
    with stand_in_rule(world.flagged, world.other):
        auth.login(world.coordinator.email, PASSWORD)
        url = _schedule(auth, world).headers["Location"]
        coordinator_page = client.get(url).get_data(as_text=True)
        auth.logout()
        outsider = make.clinician(world.clinic)
        auth.login(outsider.email, PASSWORD)
        assert client.get(url).status_code == 404
        auth.logout()
        # The psychiatrist is invited, and on the flagged patient's team only: the other
        # patient (the lead's) is neither shown on the agenda nor offered for nomination.
        auth.login(world.psychiatrist.email, PASSWORD)
        page = client.get(url).get_data(as_text=True)
        assert world.flagged.display_name in page
        assert world.other.display_name not in page
        assert world.other.display_name in coordinator_page
        with app.app_context():
            other_item = db.session.scalar(
                select(AgendaItem).where(AgendaItem.patient_id == world.other.id)
            )
        assert client.get(f"{url}/items/{other_item.id}").status_code == 404
        other_coordinator = make.coordinator(make.clinic())
        auth.logout()
        auth.login(other_coordinator.email, PASSWORD)
        assert client.get(url).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_frozen_agenda_refuses_a_rebuild_with_a_message(app, world, client, auth):
    with stand_in_rule(world.flagged):
        auth.login(world.coordinator.email, PASSWORD)
        url = _schedule(auth, world).headers["Location"]
        assert auth.post(f"{url}/freeze", {}, token_from=url).status_code == 302
        again = auth.post(f"{url}/freeze", {}, token_from=url)
        assert again.status_code == 409 and "The agenda is frozen" in again.get_data(as_text=True)


def test_agenda_freezes_on_first_access_after_the_moment(app, world, client, auth):
    with stand_in_rule(world.flagged), time_machine.travel(NOW, tick=False):
        auth.login(world.coordinator.email, PASSWORD)
        url = _schedule(auth, world).headers["Location"]
        client.get(url)
        assert _one(app, CaseConference).frozen_at is None
    with (
        stand_in_rule(world.flagged),
        time_machine.travel(NOW + timedelta(days=2, hours=12), tick=False),
    ):
        auth.login(world.coordinator.email, PASSWORD)
        page = client.get(url).get_data(as_text=True)
        assert "The agenda is frozen." in page
        assert _one(app, CaseConference).frozen_at is not None


BAD = ["2147483648", "9" * 400, "-1", "abc", "2026-02-30", "\x00", ""]


@time_machine.travel(NOW, tick=False)
def test_garbage_in_every_conference_form_never_answers_5xx(app, world, client, auth):
    with stand_in_rule(world.flagged):
        auth.login(world.coordinator.email, PASSWORD)
        url = _schedule(auth, world).headers["Location"]
        for bad in BAD:
            data = {"day": bad, "at": bad, "modality": bad, "video_url": bad, "members": bad}
            assert _schedule(auth, world, **data).status_code == 400
            for path in ("nominate", "attendance"):
                answer = auth.post(
                    f"{url}/{path}",
                    {"patient": bad, "reason": bad, f"attendance-{bad}": bad},
                    token_from=url,
                )
                assert answer.status_code < 500
        assert auth.post(f"{url}/start", {}, token_from=url).status_code == 302
        with app.app_context():
            item = db.session.scalars(select(AgendaItem)).one()
        item_url = f"{url}/items/{item.id}"
        for bad in BAD:
            fields = {
                "kind": bad,
                "description": bad,
                "owner": bad,
                "due_on": bad,
                "discussed": bad,
            }
            for path in ("note", "actions", "remove"):
                assert (
                    auth.post(f"{item_url}/{path}", fields, token_from=item_url).status_code < 500
                )
        assert client.get(f"{url}/items/{uuid.uuid4()}").status_code == 404
        assert client.get(f"/conferences/actions/{uuid.uuid4()}").status_code == 404
        assert _count(app, ConferenceAction) == 0


@time_machine.travel(NOW, tick=False)
def test_metrics_page_shows_the_case_review_measures(app, world, client, auth):
    auth.login(world.coordinator.email, PASSWORD)
    page = client.get("/metrics").get_data(as_text=True)
    assert "Active patients reviewed in the last 4 weeks" in page
    assert "Recommendations acknowledged within 7 days" in page
    auth.logout()
    auth.login(world.lead.email, PASSWORD)
    assert "Case-conference actions for you" not in client.get("/").get_data(as_text=True)
