"""Export and erasure receivers: thin sugar over `app.signals.export_requested` and
`app.signals.erasure_requested`.

Each feature's `data_rights.py` connects what it holds about a patient::

    @exporter(covers=(DiaryEntry, DiaryRevision), sections=("diary", "diary_amendments"))
    def diary(patient: Patient) -> list[Section]: ...

    @eraser(covers=(DiaryEntry,))
    def erase_diary(patient: Patient) -> None: ...

`covers` names the tables (models) whose patient rows the receiver exports or erases;
tests/test_structure.py checks that every table with a patient column is covered by some
exporter and some eraser. `sections` names the sections an exporter returns, so a reader that
wants only some of them (`collect(patient, wanted=...)`, the care team's FHIR Bundle) does not
run the exporters it would drop; tests/test_structure.py checks the names against what each
exporter returns. A bare `@exporter` / `@eraser` still works (it covers nothing declared and
always runs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar, overload

from app.careteam.models import Patient
from app.signals import erasure_requested, export_requested

Row = dict[str, Any]


@dataclass
class Section:
    name: str
    rows: list[Row]
    fhir_resources: list[dict[str, Any]] = field(default_factory=list)


CAREGIVER_SYSTEM = "https://heed.invalid/fhir/CodeSystem/caregiver"
"""Heed's code system for caregiver reports in the FHIR Bundle (check-ins, observations)."""
NON_VALIDATED = "Non-validated caregiver report (custom items, not a validated instrument)."


def caregiver_code(code: str, display: str) -> dict[str, Any]:
    """A CodeableConcept in Heed's caregiver code system."""
    return {
        "coding": [{"system": CAREGIVER_SYSTEM, "code": code, "display": display}],
        "text": display,
    }


def caregiver_observation(
    *, id: str, patient_id: Any, code: str, display: str, performer: str, issued: datetime
) -> dict[str, Any]:
    """The frame of a caregiver-reported Observation: category and code in Heed's caregiver
    system, performed by a RelatedPerson (display only), noted as non-validated."""
    return {
        "resourceType": "Observation",
        "id": id,
        "status": "final",
        "category": [caregiver_code("caregiver-report", "Caregiver report")],
        "code": caregiver_code(code, display),
        "subject": {"reference": f"Patient/{patient_id}"},
        "performer": [{"type": "RelatedPerson", "display": performer}],
        "issued": issued.isoformat(),
        "note": [{"text": NON_VALIDATED}],
    }


def iso(moment: date | datetime | None) -> str | None:
    """A date or time as an export cell: ISO 8601, or empty."""
    return moment.isoformat() if moment is not None else None


Exporter = Callable[[Patient], list[Section]]
Eraser = Callable[[Patient], None]
F = TypeVar("F", bound=Callable[..., Any])

COVERS_ATTRIBUTE = "heed_covers"
"""Where a receiver keeps the table names it covers (read by the structural tests)."""
SECTIONS_ATTRIBUTE = "heed_sections"
"""Where an exporter keeps the names of the sections it returns (empty: not declared)."""


def _connect(
    signal: Any, func: F | None, covers: Iterable[Any], sections: Iterable[str] = ()
) -> F | Callable[[F], F]:
    tables = frozenset(getattr(model, "__tablename__", model) for model in covers)
    names = frozenset(sections)

    def connect(receiver: F) -> F:
        setattr(receiver, COVERS_ATTRIBUTE, tables | getattr(receiver, COVERS_ATTRIBUTE, set()))
        setattr(receiver, SECTIONS_ATTRIBUTE, names | getattr(receiver, SECTIONS_ATTRIBUTE, set()))
        signal.connect(receiver, weak=False)
        return receiver

    return connect if func is None else connect(func)


@overload
def exporter(func: F, /) -> F: ...
@overload
def exporter(*, covers: Iterable[Any] = (), sections: Iterable[str] = ()) -> Callable[[F], F]: ...
def exporter(
    func: F | None = None, /, *, covers: Iterable[Any] = (), sections: Iterable[str] = ()
) -> Any:
    """Connect `func(patient) -> list[Section]` to `export_requested`; `sections` names the
    sections it returns."""
    return _connect(export_requested, func, covers, sections)


@overload
def eraser(func: F, /) -> F: ...
@overload
def eraser(*, covers: Iterable[Any] = ()) -> Callable[[F], F]: ...
def eraser(func: F | None = None, /, *, covers: Iterable[Any] = ()) -> Any:
    """Connect `func(patient) -> None` to `erasure_requested`."""
    return _connect(erasure_requested, func, covers)


def collect(patient: Patient, *, wanted: Callable[[str], bool] | None = None) -> list[Section]:
    """Every connected exporter's sections, in connection order. With `wanted`, only the
    sections whose names it accepts, and an exporter that declares its sections runs only when
    it accepts one of them (what a reader may not see is not read)."""
    found: list[Section] = []
    keep = wanted or (lambda _name: True)
    for receiver in export_requested.receivers_for(patient):
        declared = getattr(receiver, SECTIONS_ATTRIBUTE, frozenset())
        if not declared or any(keep(name) for name in declared):
            found.extend(section for section in receiver(patient) if keep(section.name))
    return found


def erase(patient: Patient) -> None:
    erasure_requested.send(patient)
