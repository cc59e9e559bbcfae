"""Social-needs screening rules as pure functions: per-domain results, no score, no alerts.

Positive-screen rules, exactly as their sources state them:

- Hunger Vital Sign (Hager 2010; Children's HealthWatch): at risk for food insecurity when
  either or both statements are "often true" or "sometimes true" (vs "never true"). LOINC
  88124-3 is "At risk" (LA19952-3) then, else "No risk" (LA19983-8) once either statement is
  answered, and nothing when neither is (HL7 SDOH Clinical Care IG, SDOHCC Hunger Vital Sign
  Questionnaire). Heed records LOINC's "Don't know/refused" (LA15775-2) as declined.
- AHC HRSN core (CMS 2018; the underlined answers): living situation (item 1) positive for
  "worried about losing it" or "no steady place"; food (items 3-4) as the Hunger Vital Sign;
  transportation (item 5) "yes"; utilities (item 6) "yes" or "already shut off".

A domain is positive when any of its items has a positive answer; negative when none does and
at least one item has a negative answer; declined when every answered item was declined; not
answered when nothing was answered. A mixed "never true" and "declined" is negative, as the
HL7 calculation gives "No risk" once either statement is answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.instruments.models import ScheduleKind
from app.instruments.schedules import Schedule

DECLINED = 9  # LOINC LA15775-2 "Don't know/refused"
RESCREEN_DAYS = 182  # default: at enrolment, then about every 6 months
WINDOW_DAYS = 14  # the default screen stays open two weeks (operational, not clinical)


class DomainResult(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NOT_ANSWERED = "not_answered"
    DECLINED = "declined"


@dataclass(frozen=True)
class Domain:
    code: str  # also the need passed to the service directory ("food", "housing", ...)
    items: tuple[str, ...]
    positive: Mapping[str, frozenset[int]]  # item id -> values that screen positive


OFTEN, SOMETIMES, NEVER = 2, 1, 0
_FOOD = frozenset({OFTEN, SOMETIMES})

RULES: dict[str, tuple[Domain, ...]] = {
    "hvs": (Domain("food", ("1", "2"), {"1": _FOOD, "2": _FOOD}),),
    "ahc_hrsn": (
        Domain("housing", ("1",), {"1": frozenset({1, 2})}),
        Domain("food", ("3", "4"), {"3": _FOOD, "4": _FOOD}),
        Domain("transportation", ("5",), {"5": frozenset({1})}),
        Domain("utilities", ("6",), {"6": frozenset({1, 2})}),
    ),
}


def domain_result(domain: Domain, answers: Mapping[str, int]) -> DomainResult:
    given = {item: int(answers[item]) for item in domain.items if item in answers}
    if any(value in domain.positive[item] for item, value in given.items()):
        return DomainResult.POSITIVE
    if any(value != DECLINED for value in given.values()):
        return DomainResult.NEGATIVE
    if given:
        return DomainResult.DECLINED
    return DomainResult.NOT_ANSWERED


def results(instrument_id: str, answers: Mapping[str, int]) -> dict[str, DomainResult]:
    """Every domain of the instrument, in its order ({} for an instrument without rules)."""
    return {d.code: domain_result(d, answers) for d in RULES.get(instrument_id, ())}


def hunger_vital_sign(worried: int | None, ran_out: int | None) -> DomainResult:
    """The Hunger Vital Sign from its two answers (None: not answered)."""
    answers = {k: v for k, v in (("1", worried), ("2", ran_out)) if v is not None}
    return domain_result(RULES["hvs"][0], answers)


def hvs_risk_code(result: DomainResult) -> tuple[str, str] | None:
    """LOINC 88124-3 answer (code, display) for a Hunger Vital Sign result, or None."""
    if result == DomainResult.POSITIVE:
        return ("LA19952-3", "At risk")
    if result == DomainResult.NEGATIVE:
        return ("LA19983-8", "No risk")
    return None


def positive_items(instrument_id: str, answers: Mapping[str, int]) -> frozenset[str]:
    """Items whose answer screens positive (FHIR interpretation POS)."""
    return frozenset(
        item
        for domain in RULES.get(instrument_id, ())
        for item in domain.items
        if item in answers and int(answers[item]) in domain.positive[item]
    )


def default_schedule(enrolled_on: date) -> Schedule:
    """At enrolment and then every 6 months (182 days)."""
    return Schedule(kind=ScheduleKind.EVERY_N_DAYS, start=enrolled_on, interval_days=RESCREEN_DAYS)
