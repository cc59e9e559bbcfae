"""The care-plan editor (no JavaScript): existing rows plus empty ones, remove checkboxes,
all-or-nothing validation.

Due dates: a NEW goal may not have a due date in the past (the patient's local date); an
existing goal keeps its date, so an overdue goal can still be edited without rewriting it.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.auth.models import Discipline
from app.careplan import measures
from app.careplan.content import (
    COMMENT_MAX,
    CRISIS_PLAN_MAX,
    ESCALATION_MAX,
    GOAL_WHAT_MAX,
    HYPOTHESES_MAX,
    INTERVENTION_MAX,
    MAX_GOALS,
    MAX_INTERVENTIONS,
    MEASURE_TEXT_MAX,
    Goal,
    Intervention,
    Measure,
    PlanContent,
)
from app.forms import INT_LIMIT, BaseForm
from app.labels import DISCIPLINE_LABELS

EMPTY_ROWS = 2
TOO_LONG = _l("Use at most %(max)d characters.")
NOT_A_NUMBER = _l("Enter a number, like 7 or 7.5.")


def _disciplines() -> list[tuple[str, Any]]:
    return [(d.value, DISCIPLINE_LABELS[d]) for d in Discipline]


def _subjects() -> dict[Any, list[tuple[str, Any]]]:
    return {
        _l("Questionnaires"): [(k, name) for k, (name, _top) in measures.INSTRUMENTS.items()],
        _l("Activities"): list(measures.ACTIVITIES.items()),
        _l("Symptoms"): list(measures.SYMPTOMS.items()),
    }


def clean_text(value: object) -> object:
    """Browsers send CRLF line breaks; store LF so versions compare line by line."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def parse_number(raw: str | None) -> tuple[float | None, bool]:
    """(value, ok): blank is (None, True); '7,5' is accepted as 7.5; nan/inf are refused."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None, True
    try:
        value = float(text)
    except ValueError:
        return None, False
    return (value, True) if math.isfinite(value) else (None, False)


class GoalForm(Form):
    goal_id = HiddenField()
    what = StringField(_l("Goal"), [Length(max=GOAL_WHAT_MAX, message=TOO_LONG)])
    owner = SelectField(_l("Owner discipline"), choices=_disciplines)
    kind = SelectField(
        _l("How progress is measured"),
        choices=lambda: [(code, kind.label) for code, kind in measures.KINDS.items()],
    )
    subject = SelectField(
        _l("Linked to"),
        choices=lambda: {"": [("", _l("Nothing (described in words)"))], **_subjects()},
    )
    amount = StringField(
        _l("Hours or minutes per day"),
        [Length(max=20, message=TOO_LONG)],
        render_kw={"inputmode": "decimal"},
    )
    target = StringField(
        _l("Target"),
        [Length(max=20, message=TOO_LONG)],
        description=_l("Threshold, days a week, or highest rating, depending on the measure."),
        render_kw={"inputmode": "decimal"},
    )
    measure_text = StringField(
        _l("Measure in words"), [Length(max=MEASURE_TEXT_MAX, message=TOO_LONG)]
    )
    due = DateField(_l("Due date"), [Optional()], render_kw={"placeholder": "2026-12-31"})
    remove = BooleanField(_l("Remove this goal"))

    def is_blank(self) -> bool:
        fields = (self.what, self.amount, self.target, self.measure_text)
        return not self.goal_id.data and not any((f.data or "").strip() for f in fields)


class InterventionForm(Form):
    item_id = HiddenField()
    what = StringField(_l("Intervention"), [Length(max=INTERVENTION_MAX, message=TOO_LONG)])
    discipline = SelectField(_l("Who implements it"), choices=_disciplines)
    remove = BooleanField(_l("Remove this intervention"))


class PlanForm(BaseForm):
    base_version = HiddenField()
    hypotheses = TextAreaField(
        _l("Working hypotheses"),
        [Length(max=HYPOTHESES_MAX, message=TOO_LONG)],
        filters=[clean_text],
    )
    goals = FieldList(FormField(GoalForm), max_entries=MAX_GOALS + EMPTY_ROWS)
    interventions = FieldList(
        FormField(InterventionForm), max_entries=MAX_INTERVENTIONS + EMPTY_ROWS
    )
    escalation = TextAreaField(
        _l("When to escalate"),
        [Length(max=ESCALATION_MAX, message=TOO_LONG)],
        filters=[clean_text],
    )
    crisis_plan = TextAreaField(
        _l("Crisis plan"), [Length(max=CRISIS_PLAN_MAX, message=TOO_LONG)], filters=[clean_text]
    )
    submit = SubmitField(_l("Save as a new version"))

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.content: PlanContent | None = None
        self.base: int = 0

    @classmethod
    def initial(
        cls,
        plan: PlanContent,
        base_version: int,
        *,
        today: date,
        proposed: tuple[str, str] | None = None,
    ) -> PlanForm:
        """The editor filled with `plan`; `proposed` (section, text) is written in as an
        unsaved draft: a new goal or intervention row, or appended to a text section."""
        goals = [
            {
                "goal_id": g.id,
                "what": g.what,
                "owner": g.owner.value,
                "kind": g.measure.kind,
                "subject": g.measure.subject or "",
                "amount": _text(g.measure.amount),
                "target": _text(g.measure.target),
                "measure_text": g.measure.text,
                "due": g.due,
            }
            for g in plan.goals
        ]
        items = [
            {"item_id": i.id, "what": i.what, "discipline": i.discipline.value}
            for i in plan.interventions
        ]
        data: dict[str, Any] = {
            "base_version": str(base_version),
            "hypotheses": plan.hypotheses,
            "goals": goals + [{"kind": "free_text"}] * EMPTY_ROWS,
            "interventions": items + [{}] * EMPTY_ROWS,
            "escalation": plan.escalation,
            "crisis_plan": plan.crisis_plan,
        }
        if proposed is not None:
            _write_draft(data, *proposed)
        return cls(formdata=None, data=data, today=today)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        try:
            self.base = int(self.base_version.data or "")
        except ValueError:
            self.base = -1
        # A browser always sends every text box, even empty; a field missing from the
        # submission means a broken form, which must not save a plan emptied by accident.
        missing = any(not f.raw_data for f in (self.hypotheses, self.escalation, self.crisis_plan))
        if missing or not 0 <= self.base <= INT_LIMIT:
            self.base_version.errors = [str(_l("The form is incomplete; open the editor again."))]
            ok = False
        goals = [g for g in (self._goal(entry.form) for entry in self.goals) if g is not None]
        items = [
            i for i in (self._item(entry.form) for entry in self.interventions) if i is not None
        ]
        ok = self._refresh_errors() and ok
        if len(goals) > MAX_GOALS:
            self.hypotheses.errors.append(
                str(_l("A plan has at most %(max)d goals.", max=MAX_GOALS))
            )
            ok = False
        if ok:
            self.content = PlanContent(
                hypotheses=self.hypotheses.data.strip(),
                goals=tuple(goals),
                interventions=tuple(items),
                escalation=self.escalation.data.strip(),
                crisis_plan=self.crisis_plan.data.strip(),
            )
        return ok

    def _refresh_errors(self) -> bool:
        """Row errors added after WTForms cached them: recompute; True when no row has any."""
        for rows in (self.goals, self.interventions):
            for entry in rows.entries:
                entry.form._errors = None
            rows.errors = [entry.errors for entry in rows.entries]
        self._errors = None
        return not any(e for rows in (self.goals, self.interventions) for e in rows.errors)

    def _goal(self, row: GoalForm) -> Goal | None:
        if row.remove.data or row.is_blank():
            return None
        errors: dict[str, str] = {}
        what = (row.what.data or "").strip()
        if not what:
            errors["what"] = str(_l("Describe the goal, or tick the box to remove it."))
        amount, amount_ok = parse_number(row.amount.data)
        target, target_ok = parse_number(row.target.data)
        subject = row.subject.data or None
        measure = Measure(
            kind=row.kind.data or "",
            subject=subject,
            amount=amount,
            target=target,
            text=(row.measure_text.data or "").strip(),
        )
        for name, message in measures.validate(measure).items():
            errors.setdefault("subject" if name == "kind" else name, message)
        if not amount_ok:
            errors["amount"] = str(NOT_A_NUMBER)
        if not target_ok:
            errors["target"] = str(NOT_A_NUMBER)
        if row.due.data and not row.goal_id.data and row.due.data < self.today:
            errors["due"] = str(_l("A new goal cannot be due in the past."))
        for name, message in errors.items():
            field = getattr(row, "measure_text" if name == "text" else name)
            if message not in field.errors:
                field.errors = [*field.errors, message]
        if errors:
            return None
        return Goal(
            id=row.goal_id.data or "",
            what=what,
            owner=Discipline(row.owner.data),
            measure=measures.normalize(measure),
            due=row.due.data,
        )

    def _item(self, row: InterventionForm) -> Intervention | None:
        what = (row.what.data or "").strip()
        if row.remove.data or (not what and not row.item_id.data):
            return None
        if not what:
            row.what.errors = [str(_l("Describe the intervention, or tick the box to remove it."))]
            return None
        if row.errors:
            return None
        return Intervention(
            id=row.item_id.data or "", what=what, discipline=Discipline(row.discipline.data)
        )


class CommentForm(BaseForm):
    body = TextAreaField(
        _l("Your comment for your care team"),
        [
            DataRequired(message=_l("Write your comment first.")),
            Length(max=COMMENT_MAX, message=TOO_LONG),
        ],
        filters=[clean_text],
    )
    submit = SubmitField(_l("Send comment"))


DRAFT_SECTIONS = ("interventions", "goals", "hypotheses", "escalation", "crisis_plan")


def _write_draft(data: dict[str, Any], section: str, text: str) -> None:
    """Put a proposed change where it belongs: the first new row of goals or interventions,
    or after what a text section already says (a blank line between)."""
    text = clean_text(text) or ""
    if not text or section not in DRAFT_SECTIONS:
        return
    if section in ("goals", "interventions"):
        rows = data[section]
        rows[len(rows) - EMPTY_ROWS] = {**rows[len(rows) - EMPTY_ROWS], "what": text}
    else:
        data[section] = f"{data[section]}\n\n{text}" if data[section] else text


def _text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)
