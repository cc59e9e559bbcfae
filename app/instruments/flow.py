"""The answering flow behind the questionnaire view: language, steps, validation, outcome."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

from flask import abort, url_for
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from app.careteam.models import Patient
from app.forms import uuid_or_none
from app.instruments import loader, queries, scoring, services, social_needs
from app.instruments.forms import (
    FIELD_PREFIX,
    AssignmentForm,
    posted_answers,
    questionnaire_form,
)
from app.instruments.loader import Definition, Item
from app.instruments.models import Assignment, Occurrence, Response, ScheduleKind
from app.instruments.schedules import Schedule, local_today
from app.instruments.services import QuestionnaireError


@dataclass
class AnswerPage:
    patient: Patient
    occurrence: Occurrence
    definition: Definition
    response: Response | None
    locale: str | None
    items: tuple[Item, ...]
    step: int | None  # None = all items on one page; len(items) = review
    problems: dict[str, scoring.AnswerProblem] = field(default_factory=dict)
    asking: bool = False  # a submit with unanswered items: ask before sending it incomplete

    @property
    def substituted(self) -> bool:
        return self.locale is not None and self.locale != self.patient.user.locale

    @property
    def text(self) -> loader.Translation:
        assert self.locale is not None  # noqa: S101 - only called once the locale is known
        return self.definition.translations[self.locale]

    @property
    def shown_items(self) -> tuple[Item, ...]:
        if self.step is None:
            return self.items
        return self.items[self.step : self.step + 1]

    @property
    def reviewing(self) -> bool:
        return self.step is not None and self.step >= len(self.items)

    @property
    def answers(self) -> dict[str, int]:
        return dict(self.response.answers) if self.response else {}

    @property
    def unanswered(self) -> list[tuple[int, Item]]:
        """(position from 0, item) for every item asked of the patient without an answer yet."""
        answers = self.answers
        return [(n, item) for n, item in enumerate(self.items) if item.id not in answers]

    def question_link(self, position: int) -> str:
        """Where to answer the item at `position`: its step, or its question on this page."""
        if self.step is None:
            return f"#question-{FIELD_PREFIX}{self.items[position].id}"
        return self.url(position)

    def form(self, formdata: MultiDict | None = None):
        data = {f"item_{k}": str(v) for k, v in self.answers.items()}
        return questionnaire_form(
            self.definition,
            self.locale or loader.SOURCE_LOCALE,
            self.shown_items,
            formdata=formdata,
            data=data,
            submission_key=str(uuid.uuid4()),
        )

    def url(self, step: int | None) -> str:
        args = {} if step is None else {"step": step}
        return url_for(
            "instruments.answer",
            patient_id=self.patient.id,
            occurrence_id=self.occurrence.id,
            **args,
        )


def load_page(patient: Patient, occurrence_id: uuid.UUID, args: MultiDict) -> AnswerPage:
    occurrence = queries.occurrence_for(patient, occurrence_id)
    definition = loader.get(occurrence.instrument_id) if occurrence else None
    if occurrence is None or definition is None:
        abort(404)
    response = queries.response_for(occurrence)
    items = scoring.applicable_items(definition, menstruates=patient.menstruates)
    if response is not None:
        locale: str | None = response.locale
    else:
        chosen = scoring.choose_locale(
            definition, preferred=patient.user.locale, readable=list(patient.readable_locales)
        )
        locale = chosen[0] if chosen else None
    step = None if args.get("mode") == "page" else args.get("step", type=int)
    if step is not None:
        step = min(max(step, 0), len(items))
    return AnswerPage(patient, occurrence, definition, response, locale, items, step)


def state_of(page: AnswerPage, now) -> str | None:
    """A blocking state to explain instead of the form, or None when answering may go on."""
    status = queries.occurrence_status(page.occurrence, page.response, now)
    if status == "completed":
        return "submitted"
    if status == "missed":
        return "closed"
    if status == "upcoming":
        return "not_open"
    if page.locale is None:
        return "unavailable"
    return None


def repeated(page: AnswerPage, formdata: MultiDict) -> bool:
    """The same submission arriving again (a double tap, a retried request)."""
    key = uuid_or_none(formdata.get("submission_key"))
    return page.response is not None and key is not None and page.response.submission_key == key


def handle_post(page: AnswerPage, formdata: MultiDict) -> str | None:
    """Validate everything, then save or submit. Returns the URL to go to, or None to re-render:
    with `page.problems` (nothing written), or with `page.asking` when a submit leaves items
    unanswered (the answers are saved as a draft; "send_incomplete" sends it as it is).
    Raises QuestionnaireError for blocked states."""
    form = page.form(formdata)
    values, page.problems = scoring.check_answers(
        page.definition, posted_answers(formdata.to_dict()), menstruates=page.patient.menstruates
    )
    if not form.validate() or page.problems:
        return None
    action = formdata.get("action", "next")
    assert page.locale is not None  # noqa: S101 - state_of() refused a missing locale
    if action in ("submit", "send_incomplete"):
        key = uuid_or_none(formdata.get("submission_key"))
        if key is None:
            raise QuestionnaireError("invalid")
        if action == "submit" and _leaves_unanswered(page, values):
            page.response = _save(page, values)
            page.asking = True
            return None
        services.submit_response(
            occurrence=page.occurrence,
            patient=page.patient,
            definition=page.definition,
            values=values,
            locale=page.locale,
            submission_key=key,
        )
        return url_for(
            "instruments.done", patient_id=page.patient.id, occurrence_id=page.occurrence.id
        )
    page.response = _save(page, values)
    if page.step is None or action == "save":
        return page.url(page.step)
    return page.url(page.step - 1 if action == "back" else page.step + 1)


def _leaves_unanswered(page: AnswerPage, values: dict[str, int]) -> bool:
    answered = {*page.answers, *values}
    return any(item.id not in answered for item in page.items)


def _save(page: AnswerPage, values: dict[str, int]) -> Response:
    assert page.locale is not None  # noqa: S101 - state_of() refused a missing locale
    return services.save_answers(
        occurrence=page.occurrence,
        patient=page.patient,
        definition=page.definition,
        values=values,
        locale=page.locale,
    )


def new_key() -> str:
    return str(uuid.uuid4())


def crisis_context(page: AnswerPage) -> dict[str, object]:
    """Crisis resources for the patient's clinic, in their language when configured."""
    if page.response is None or not page.response.critical:
        return {"crisis": False, "resources": []}
    from flask_babel import get_locale

    from app.alerts.queries import crisis_resources

    locales = [str(get_locale()), page.patient.user.locale, page.locale or "", "en"]
    return {"crisis": True, "resources": crisis_resources(page.patient.clinic_id, locales)}


def assignment_form(form: AssignmentForm, *, fixed: bool = False) -> AssignmentForm:
    registry = loader.registry()
    form.instrument.choices = [SelectChoice(d.id, d.short_title) for d in registry.values()]
    if fixed:
        form.instrument.render_kw = {"disabled": True}
        form.instrument.validators = []
    return form


def preselect(form: AssignmentForm, patient: Patient, instrument_id: str) -> None:
    """`?instrument=<id>` preselects it; a social-needs screen gets its default schedule: now
    (or at enrolment, if later) and every 6 months, open for two weeks."""
    definition = loader.registry().get(instrument_id)
    if definition is None:
        return
    form.instrument.data = definition.id
    if definition.social_needs:
        enrolled = local_today(patient.enrolled_at, patient.user.timezone)
        schedule = social_needs.default_schedule(max(enrolled, form.start_date.data))
        form.schedule_kind.data = schedule.kind.value
        form.start_date.data = schedule.start
        form.interval_days.data = schedule.interval_days
        form.window_days.data = social_needs.WINDOW_DAYS


def schedule_from(form: AssignmentForm) -> Schedule:
    kind = ScheduleKind(form.schedule_kind.data)
    return Schedule(
        kind=kind,
        start=form.start_date.data,
        interval_days=form.interval_days.data if kind == ScheduleKind.EVERY_N_DAYS else None,
        weekdays=frozenset(int(d) for d in form.weekdays.data or [])
        if kind == ScheduleKind.WEEKLY
        else frozenset(),
        days_before=form.days_before.data if kind == ScheduleKind.BEFORE_FOLLOWUP else None,
    )


def form_data_of(assignment: Assignment) -> SimpleNamespace:
    return SimpleNamespace(
        instrument=assignment.instrument_id,
        schedule_kind=assignment.schedule_kind.value,
        start_date=assignment.start_date,
        interval_days=assignment.interval_days,
        weekdays=[d for d in assignment.weekdays.split(",") if d],
        days_before=assignment.days_before,
        window_days=assignment.window_days,
    )
