"""The care-plan editor opened from another feature's proposal (`care_plan_proposal`, e.g. a
case-conference decision): the proposed change is written into the editor's fields as an
unsaved draft the clinician sees and can edit; nothing is saved until they save."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from app.auth.models import Discipline
from app.careplan.models import CarePlanVersion
from app.db import db
from app.signals import care_plan_proposal
from tests.careplan.helpers import plan
from tests.careplan.test_views import _save
from tests.factories import PASSWORD

PROPOSED = "Add graded activity, two short walks a day."
ORIGIN = "stand-in:42"


@dataclass(frozen=True)
class Proposal:
    heading: str
    text: str
    back_url: str
    back_label: str
    section: str | None = None


class _PlanForm(HTMLParser):
    """The plan form's fields as a browser shows (and would submit) them."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._inside = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "plan-form" in (a.get("class") or ""):
            self._inside = True
        if not self._inside:
            return
        if tag == "input" and a.get("name") and a.get("type") != "checkbox":
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = a["name"]
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in self.values)
        ):
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def _fields(html: str) -> dict[str, str]:
    parser = _PlanForm()
    parser.feed(html)
    return {k: v.removeprefix("\r\n").removeprefix("\n") for k, v in parser.values.items()}


@pytest.fixture
def world(app, make):
    clinic = make.clinic()
    lead = make.clinician(clinic, discipline=Discipline.PRIMARY_CARE)
    patient = make.patient(clinic, team=[lead])
    _save(app, patient, lead, plan(), 0)
    return patient, lead


def _answer(section: str | None):
    def receiver(_sender, *, patient, origin):
        if origin != ORIGIN:
            return None
        return Proposal("Proposed at the case conference", PROPOSED, "/back", "Back", section)

    return receiver


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CarePlanVersion))


def test_the_proposal_is_a_new_intervention_in_the_editor_until_saved(app, world, client, auth):
    patient, lead = world
    auth.login(lead.email, PASSWORD)
    url = f"/patients/{patient.id}/care-plan/edit?origin={ORIGIN}"
    with care_plan_proposal.connected_to(_answer(None)):
        page = client.get(url).get_data(as_text=True)
        fields = _fields(page)
        assert fields["interventions-0-what"] == "Sleep hygiene plan"  # the plan as it is
        assert fields["interventions-1-what"] == PROPOSED  # the first new row: the draft
        assert fields["interventions-2-what"] == ""
        assert fields["origin"] == ORIGIN
        assert "nothing is saved until you save" in page
        assert _count(app) == 1  # opening the editor saved nothing

        # The clinician edits the draft and saves the page as shown: version 2 carries it.
        fields["interventions-1-what"] = PROPOSED + " Start next week."
        fields["interventions-1-discipline"] = "physiotherapy"
        saved = auth.post(url, fields, token_from=url)
    assert saved.status_code == 302 and _count(app) == 2
    with app.app_context():
        latest = db.session.scalars(
            select(CarePlanVersion).order_by(CarePlanVersion.version.desc())
        ).first()
        whats = [i.what for i in latest.plan.interventions]
    assert whats == ["Sleep hygiene plan", PROPOSED + " Start next week."]


@pytest.mark.parametrize("section", ["escalation", "hypotheses", "crisis_plan"])
def test_a_proposal_for_a_text_section_is_appended_to_it(app, world, client, auth, section):
    patient, lead = world
    auth.login(lead.email, PASSWORD)
    with care_plan_proposal.connected_to(_answer(section)):
        page = client.get(f"/patients/{patient.id}/care-plan/edit?origin={ORIGIN}")
    fields = _fields(page.get_data(as_text=True))
    assert fields[section].endswith("\n\n" + PROPOSED) and len(fields[section]) > len(PROPOSED)
    assert fields["interventions-1-what"] == ""


def test_a_proposal_for_goals_fills_the_first_new_goal(app, world, client, auth):
    patient, lead = world
    auth.login(lead.email, PASSWORD)
    with care_plan_proposal.connected_to(_answer("goals")):
        page = client.get(f"/patients/{patient.id}/care-plan/edit?origin={ORIGIN}")
    fields = _fields(page.get_data(as_text=True))
    assert fields["goals-0-what"] == "Sleep long enough" and fields["goals-1-what"] == PROPOSED


def test_without_a_known_origin_the_editor_opens_plainly(app, world, client, auth):
    patient, lead = world
    auth.login(lead.email, PASSWORD)
    with care_plan_proposal.connected_to(_answer(None)):
        for origin in ("someone-else", "<bad>"):
            page = client.get(f"/patients/{patient.id}/care-plan/edit?origin={origin}")
            fields = _fields(page.get_data(as_text=True))
            assert fields["interventions-1-what"] == "" and PROPOSED not in page.get_data(
                as_text=True
            )
