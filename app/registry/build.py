"""The registry's rows: every listed patient's state (app/trends/caseload.states, the same
aggregate reads and flags as the upcoming list), the measures' baseline / latest / change, the
collaborative-care judgements of rules.py and the columns other features connect by signal.

A fixed number of queries whatever the number of patients: the patient list, the states' reads
and one set per connected column.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.registry import queries, rules
from app.trends import analytics
from app.trends.caseload import Listed, PatientState, states
from app.web.teamcare import RegistryColumn, extra_columns

MEASURES = ("phq9", "gad7")
REVIEW_COLUMN = "days_since_review"
"""The conferences feature's column: days since the patient's last case review (or None)."""


class BadParameter(ValueError):
    pass


class Measure(NamedTuple):
    baseline: int | None
    latest: int | None
    change: int | None  # latest - baseline, None without a later total
    percent: int | None  # the change in % of the baseline


class Row(NamedTuple):
    """One registry row (Row, Measure and the states are NamedTuples: immutable records built
    for each of thousands of patients, three times cheaper than frozen dataclasses)."""

    patient: Listed
    state: PatientState
    weeks: int
    measures: dict[str, Measure]
    response: bool | None
    remission: bool | None
    treat_to_target: bool
    no_contact: bool
    extras: dict[str, str | int | None]
    extra_flag: bool

    @property
    def not_improving(self) -> bool:
        return bool(self.state.not_improving)

    @property
    def attention(self) -> bool:
        return bool(
            self.state.flags
            or self.not_improving
            or self.treat_to_target
            or self.no_contact
            or self.extra_flag
        )


def _measure(state: PatientState, instrument_id: str) -> Measure:
    score = state.scores.get(instrument_id)
    if score is None:
        return Measure(None, None, None, None)
    if score.first or score.baseline is None:
        return Measure(score.latest, score.latest, None, None)
    change = score.latest - score.baseline
    percent = round(100 * change / score.baseline) if score.baseline else None
    return Measure(score.baseline, score.latest, change, percent)


def row_for(
    state: PatientState, *, now: datetime, extras: dict[str, str | int | None], extra_flag: bool
) -> Row:
    patient, today = state.patient, state.today
    enrolled_on = patient.enrolled_at.astimezone(state.zone).date()
    weeks = rules.weeks_in_treatment(enrolled_on, today)
    measures = {iid: _measure(state, iid) for iid in MEASURES}
    phq9 = measures["phq9"]
    follow_up = phq9.change is not None
    response = rules.responded(phq9.baseline, phq9.latest, follow_up=follow_up)
    remission = rules.remitted(phq9.latest, follow_up=follow_up)
    review = extras.get(REVIEW_COLUMN)
    reviewed = rules.reviewed_since_week(
        review if isinstance(review, int) else None, enrolled_on=enrolled_on, today=today
    )
    return Row(
        patient,
        state,
        weeks,
        measures,
        response,
        remission,
        rules.treat_to_target(
            weeks=weeks, response=response, remission=remission, reviewed=reviewed
        ),
        rules.no_contact(state.last_visit, enrolled_at=patient.enrolled_at, now=now),
        extras,
        extra_flag,
    )


def rows_for(
    patients: list[Listed],
    *,
    clinic_id: uuid.UUID,
    now: datetime,
    today: date,
    sender: Any = None,
) -> tuple[list[Row], list[RegistryColumn]]:
    by_patient = states(patients, now=now)
    columns = extra_columns(
        sender, clinic_id=clinic_id, patient_ids=frozenset(by_patient), today=today
    )
    # Looked up by the ids' integers: hashing a UUID object runs Python code, 2,000 patients
    # times every column.
    values = [(c.key, {pid.int: v for pid, v in c.values.items()}) for c in columns]
    flagged = {pid.int for c in columns for pid in c.flagged}
    rows = []
    for pid, state in by_patient.items():
        number = pid.int
        extras = {key: found.get(number) for key, found in values}
        rows.append(row_for(state, now=now, extras=extras, extra_flag=number in flagged))
    return rows, columns


# --- filters and sorting (GET parameters, checked: a bad one is a 400, nothing else) ------

FILTERS: dict[str, Callable[[Row], bool]] = {
    "all": lambda r: True,
    "attention": lambda r: r.attention,
    "not_improving": lambda r: r.not_improving,
    "treat_to_target": lambda r: r.treat_to_target,
    "no_contact": lambda r: r.no_contact,
}
FILTER_LABELS = {
    "all": _l("All"),
    "attention": _l("Needs attention"),
    "not_improving": _l("Not improving"),
    "treat_to_target": _l("Treat-to-target"),
    "no_contact": _l("No contact > 4 weeks"),
}

SORTS: dict[str, Callable[[Row], Any]] = {
    "attention": lambda r: (not r.attention, *analytics.urgency(r.state.flags)),
    "name": lambda r: r.patient.display_name.casefold(),
    "weeks": lambda r: r.weeks,
    "phq9": lambda r: r.measures["phq9"].latest,
    "phq9_change": lambda r: r.measures["phq9"].change,
    "gad7": lambda r: r.measures["gad7"].latest,
    "gad7_change": lambda r: r.measures["gad7"].change,
    "alerts": lambda r: r.state.open_alerts,
    "adherence": lambda r: r.state.adherence.percent,
    "last_contact": lambda r: r.state.last_visit,
    "next_visit": lambda r: r.state.next_visit,
}


PAGE_SIZE = 100
"""Rows rendered per page (every row is still judged, filtered, sorted and counted; the CSV
has them all)."""


@dataclass(frozen=True)
class Choice:
    show: str = "all"
    sort: str = "attention"
    desc: bool = False
    page: int = 1


def parse(args: Any, *, extra_keys: set[str]) -> Choice:
    """The filter and sort of the query string; an unknown value raises BadParameter."""
    show = args.get("show") or "all"
    sort = args.get("sort") or "attention"
    order = args.get("dir") or "asc"
    if show not in FILTERS or order not in ("asc", "desc"):
        raise BadParameter(show)
    if sort not in SORTS and sort not in extra_keys:
        raise BadParameter(sort)
    page = args.get("page") or "1"
    if not page.isdigit() or not 1 <= int(page) <= 100_000:
        raise BadParameter(page)
    return Choice(show, sort, order == "desc", int(page))


def select_rows(rows: list[Row], choice: Choice) -> list[Row]:
    """Filtered, then sorted; missing values always last, ties by name."""
    kept = [r for r in rows if FILTERS[choice.show](r)]
    key = SORTS.get(choice.sort) or (lambda r: r.extras.get(choice.sort))
    # Ties by name, then by id (the hex text orders as the id's text does).
    kept.sort(key=lambda r: (r.patient.display_name.casefold(), r.patient.id.hex))
    keyed = [(key(r), r) for r in kept]
    known = [(k, r) for k, r in keyed if k is not None]
    missing = [r for k, r in keyed if k is None]
    known.sort(key=lambda pair: pair[0], reverse=choice.desc)
    return [r for _k, r in known] + missing


@dataclass(frozen=True)
class Registry:
    rows: list[Row]
    columns: list[RegistryColumn]
    total: int
    counts: dict[str, int]
    choice: Choice

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // PAGE_SIZE))

    @property
    def first(self) -> int:
        """Index of the first row on the page (a page past the end shows the last page)."""
        return (min(self.choice.page, self.pages) - 1) * PAGE_SIZE

    @property
    def page_rows(self) -> list[Row]:
        return self.rows[self.first : self.first + PAGE_SIZE]


def registry(viewer: User, *, now: datetime, today: date, args: Any) -> Registry:
    """The viewer's registry as the query string asks (BadParameter for a bad one)."""
    patients = queries.patients_for(viewer)
    if viewer.clinic_id is None:
        raise BadParameter("clinic")
    rows, columns = rows_for(
        patients, clinic_id=viewer.clinic_id, now=now, today=today, sender=viewer
    )
    choice = parse(args, extra_keys={c.key for c in columns})
    counts = {name: sum(1 for r in rows if test(r)) for name, test in FILTERS.items()}
    return Registry(select_rows(rows, choice), columns, len(rows), counts, choice)
