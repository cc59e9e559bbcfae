"""Care-plan pages: each role sees what it should; bad input is explained and writes nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth.models import Discipline, User
from app.careplan import services
from app.careplan.models import CarePlanComment, CarePlanVersion
from app.careteam.models import Patient
from app.db import db, utcnow
from tests.careplan.helpers import FREE_TEXT, plan
from tests.factories import PASSWORD


@pytest.fixture
def world(app, make):
    clinic = make.clinic()
    lead = make.clinician(clinic, discipline=Discipline.PRIMARY_CARE)
    psych = make.clinician(clinic)
    patient = make.patient(clinic, team=[lead, psych], locale="es")
    return patient, lead, psych


def _save(app, patient, author, content, base):
    with app.test_request_context():
        version = services.save_version(
            patient=db.session.get(Patient, patient.id),
            author=db.session.get(User, author.id),
            content=content,
            base_version=base,
        )
        db.session.commit()
        return version


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _form(base: int, **overrides: str) -> dict[str, str]:
    data = {
        "base_version": str(base),
        "hypotheses": "Fatigue worse after poor sleep.",
        "goals-0-goal_id": "",
        "goals-0-what": "Lower depression score",
        "goals-0-owner": "psychology",
        "goals-0-kind": "instrument_total_below",
        "goals-0-subject": "phq9",
        "goals-0-amount": "",
        "goals-0-target": "10",
        "goals-0-measure_text": "",
        "goals-0-due": "",
        "goals-1-goal_id": "",
        "goals-1-what": "",
        "goals-1-owner": "primary_care",
        "goals-1-kind": "free_text",
        "goals-1-subject": "",
        "goals-1-amount": "",
        "goals-1-target": "",
        "goals-1-measure_text": "",
        "goals-1-due": "",
        "interventions-0-item_id": "",
        "interventions-0-what": "CBT for persistent physical symptoms",
        "interventions-0-discipline": "psychology",
        "interventions-1-item_id": "",
        "interventions-1-what": "",
        "interventions-1-discipline": "primary_care",
        "escalation": "Psychiatry if PHQ-9 rises by 5.",
        "crisis_plan": "Use the crisis resources your clinic gave you.",
    }
    data.update(overrides)
    return data


def _edit_url(patient) -> str:
    return f"/patients/{patient.id}/care-plan/edit"


def test_clinician_writes_the_first_version(app, world, client, auth):
    patient, lead, _ = world
    auth.login(lead.email, PASSWORD)
    page = client.get(_edit_url(patient)).get_data(as_text=True)
    assert page.count("<legend>New goal</legend>") == 2  # empty rows to fill in
    response = auth.post(_edit_url(patient), _form(0), token_from=_edit_url(patient))
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The plan is saved as version 1." in html
    assert "PHQ-9 total below 10" in html
    assert "Not enough data" in html  # linked to questionnaire totals; none yet
    with app.app_context():
        version = db.session.scalars(select(CarePlanVersion)).one()
        assert (version.version, version.author_id) == (1, lead.id)
        assert [g.what for g in version.plan.goals] == ["Lower depression score"]


def test_edit_form_is_prefilled_and_removing_a_goal_makes_a_new_version(app, world, client, auth):
    patient, lead, psych = world
    v1 = _save(app, patient, lead, plan(), 0)
    goal_id = v1.plan.goals[0].id
    auth.login(psych.email, PASSWORD)
    page = client.get(_edit_url(patient)).get_data(as_text=True)
    assert f'value="{goal_id}"' in page
    assert 'name="base_version" type="hidden" value="1"' in page
    data = _form(
        1,
        **{
            "goals-0-goal_id": goal_id,
            "goals-0-what": "Sleep long enough",
            "goals-0-remove": "y",
            "goals-0-due": (utcnow().date() - timedelta(days=3)).isoformat(),
        },
    )
    assert auth.post(_edit_url(patient), data, token_from=_edit_url(patient)).status_code == 302
    with app.app_context():
        versions = db.session.scalars(select(CarePlanVersion).order_by(CarePlanVersion.version))
        first, second = versions.all()
        assert [g.what for g in first.plan.goals] == ["Sleep long enough"]
        assert second.plan.goals == ()
        assert second.author_id == psych.id


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"goals-0-target": "30"}, "Enter a target between 1 and 27."),
        ({"goals-0-target": "ten"}, "Enter a number, like 7 or 7.5."),
        ({"goals-0-subject": ""}, "Choose what this goal is linked to."),
        (
            {
                "goals-0-kind": "sleep_hours_nights_per_week",
                "goals-0-subject": "",
                "goals-0-target": "5",
            },
            "Enter an amount between 1 and 14.",
        ),
        (
            {"goals-0-kind": "free_text", "goals-0-subject": ""},
            "Describe how progress will be measured.",
        ),
        ({"goals-0-what": ""}, "Describe the goal, or tick the box to remove it."),
        ({"goals-0-due": "2020-01-01"}, "A new goal cannot be due in the past."),
        ({"goals-0-due": "31/12/2030"}, "Not a valid date value."),
        ({"hypotheses": "x" * 4001}, "Use at most 4000 characters."),
        ({"interventions-0-what": "y" * 501}, "Use at most 500 characters."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(app, world, client, auth, overrides, message):
    patient, lead, _ = world
    auth.login(lead.email, PASSWORD)
    response = auth.post(_edit_url(patient), _form(0, **overrides), token_from=_edit_url(patient))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "Please correct the highlighted fields." in html
    assert 'aria-invalid="true"' in html
    assert _count(app, CarePlanVersion) == 0


def test_a_save_on_a_stale_version_is_refused_and_nothing_is_written(app, world, client, auth):
    patient, lead, psych = world
    _save(app, patient, lead, plan(), 0)
    auth.login(psych.email, PASSWORD)
    token_page = _edit_url(patient)
    stale_form = _form(1, hypotheses="Psychologist's view")
    _save(app, patient, lead, plan("Lead saved meanwhile."), 1)  # someone else saves first
    response = auth.post(_edit_url(patient), stale_form, token_from=token_page)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Version 2 was saved while you were editing, so nothing was saved." in html
    assert "Psychologist&#39;s view" in html  # their text is still on screen to copy
    assert _count(app, CarePlanVersion) == 2
    with app.app_context():
        refused = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "care_plan.save_refused")
        ).one()
        assert refused.actor_id == psych.id


def test_windows_line_breaks_are_stored_as_newlines(app, world, client, auth):
    patient, lead, _ = world
    auth.login(lead.email, PASSWORD)
    data = _form(0, hypotheses="  Line one\r\nLine two  ")
    assert auth.post(_edit_url(patient), data, token_from=_edit_url(patient)).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(CarePlanVersion)).one().plan.hypotheses == (
            "Line one\nLine two"
        )


def test_patient_reads_the_plan_in_their_language_with_free_text_as_written(
    app, world, client, auth
):
    patient, lead, _ = world
    _save(app, patient, lead, plan(), 0)
    auth.login(patient.user.email, PASSWORD)
    response = client.get(f"/patients/{patient.id}/care-plan")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="es"' in html
    assert FREE_TEXT in html  # exactly as the team wrote it
    assert "Use the crisis resources your clinic gave you." in html
    assert "Atención primaria" in html  # discipline names are translated
    assert "/care-plan/edit" not in html
    with app.app_context():
        read = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "care_plan.read", AuditEvent.actor_id == patient.user_id
            )
        ).one()
        assert read.object_type == "care_plan_version"


def test_patient_comments_and_the_team_sees_them(app, world, client, auth):
    patient, lead, _ = world
    _save(app, patient, lead, plan(), 0)
    auth.login(patient.user.email, PASSWORD)
    url = f"/patients/{patient.id}/care-plan"
    response = auth.post(
        f"{url}/comments", {"body": "Walking is hard on workdays."}, token_from=url
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/care-plan#comments")
    auth.logout()
    auth.login(lead.email, PASSWORD)
    html = client.get(url).get_data(as_text=True)
    assert "Walking is hard on workdays." in html
    assert "on version 1" in html
    assert 'action="/patients/' not in html.split('id="comments"')[1]  # no comment form for staff


@pytest.mark.parametrize(
    ("body", "message"),
    [("   ", "Write your comment first."), ("z" * 2001, "Use at most 2000 characters.")],
)
def test_a_bad_comment_is_explained_and_not_saved(app, make, client, auth, body, message):
    patient = make.patient(locale="en")
    auth.login(patient.user.email, PASSWORD)
    url = f"/patients/{patient.id}/care-plan"
    response = auth.post(f"{url}/comments", {"body": body}, token_from=url)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    # the message sits next to the comment box, which is marked and described by it
    assert f'<p class="error" id="body-error">{message}</p>' in html
    box = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in box and "body-error" in box
    assert _count(app, CarePlanComment) == 0


def test_versions_and_diff(app, world, client, auth):
    patient, lead, psych = world
    _save(app, patient, lead, plan(), 0)
    _save(app, patient, psych, plan(FREE_TEXT + " Also shift work."), 1)
    auth.login(lead.email, PASSWORD)
    base = f"/patients/{patient.id}/care-plan"
    html = client.get(f"{base}/versions").get_data(as_text=True)
    assert "Compare with version 1" in html
    assert psych.display_name in html
    html = client.get(f"{base}/diff?from=1&to=2").get_data(as_text=True)
    assert "Changes from version 1 to version 2" in html
    assert "<ins>Also shift work.</ins>" in html or "<ins> Also shift work.</ins>" in html
    with app.app_context():
        actions = set(
            db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == lead.id))
        )
    assert {"patient.view_care_plan", "care_plan.versions", "care_plan.diff"} <= actions


@pytest.mark.parametrize("query", ["from=1&to=9", "from=x&to=2", "to=2", "from=-1&to=1", ""])
def test_diff_with_bad_versions_is_a_clear_404(app, world, client, auth, query):
    patient, lead, _ = world
    _save(app, patient, lead, plan(), 0)
    _save(app, patient, lead, plan("Second."), 1)
    auth.login(lead.email, PASSWORD)
    response = client.get(f"/patients/{patient.id}/care-plan/diff?{query}")
    assert response.status_code == 404
    assert "Choose two versions of this plan that exist." in response.get_data(as_text=True)


def test_caregiver_never_sees_the_plan_even_with_every_scope(app, world, make, client, auth):
    from app.careteam.models import ConsentScope

    patient, lead, _ = world
    _save(app, patient, lead, plan(), 0)
    caregiver, _ = make.caregiver(patient, list(ConsentScope))
    auth.login(caregiver.email, PASSWORD)
    assert client.get(f"/patients/{patient.id}/care-plan").status_code == 404
    record = client.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert "/care-plan" not in record


def test_progress_for_the_team_and_in_plain_language_for_the_patient(app, make, client, auth):
    from datetime import timedelta as days

    from app.signals import measure_observations

    clinic = make.clinic()
    lead = make.clinician(clinic, discipline=Discipline.PRIMARY_CARE)
    patient = make.patient(clinic, team=[lead], locale="en")
    _save(app, patient, lead, plan(), 0)

    def nights(_kind, *, patient, measure, start, end):
        # 7 h on five nights, two nights not recorded: the gaps are shown, not counted.
        return [(start + days(n), 7.0) for n in range(5)] + [(end, None)]

    with measure_observations.connected_to(nights, sender="sleep_hours_nights_per_week"):
        auth.login(lead.email, PASSWORD)
        team_html = client.get(f"/patients/{patient.id}/care-plan").get_data(as_text=True)
        auth.logout()
        auth.login(patient.user.email, PASSWORD)
        patient_html = client.get(f"/patients/{patient.id}/care-plan").get_data(as_text=True)
    assert "<strong>Met</strong>" in team_html
    assert "5 days recorded in the last 7 days." in team_html
    assert "2 days not recorded (not counted either way)." in team_html
    assert "You have reached this goal." in patient_html
    assert "Sleep at least 7 hours on 5 nights a week" in patient_html
