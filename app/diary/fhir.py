"""The diary as FHIR R4 Observations for the patient's export Bundle. Plain dicts; tests
validate them with fhir.resources (R4B models).

One Observation per answered question and day (a question left empty has none: missing is
missing). LOINC codes only where one means exactly what Heed asks: sleep duration
(93832-4) and pain severity on the 0-10 numeric rating scale (72514-3, the "pain" symptom).
Everything else is coded in Heed's own code system, `DIARY_SYSTEM`, whose codes are listed in
`CODES` (and in docs/data-rights.md). Every Observation also carries the Heed code, so a
reader can rely on one system for all of them.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.diary.catalogs import ACTIVITY_KINDS, BODY_SITES, SYMPTOMS, TRIGGERS
from app.diary.models import DiaryEntry

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DIARY_SYSTEM = "https://heed.invalid/fhir/CodeSystem/diary"
BODY_SITE_SYSTEM = "https://heed.invalid/fhir/CodeSystem/body-site"
TRIGGER_SYSTEM = "https://heed.invalid/fhir/CodeSystem/trigger"

# Heed code -> display. Symptom codes are "symptom-<catalog key>" ("symptom-own" for a symptom
# the patient named); activity codes are "activity-<kind>" with planned/done/exertion components.
CODES = {
    "overall-symptoms": "Overall symptom level (0-10)",
    "mood": "Mood (0-10)",
    "stress": "Stress (0-10)",
    "energy": "Energy (0-10)",
    "bedtime": "Bedtime (the evening before the diary day when at or after noon)",
    "wake-time": "Wake time",
    "sleep-duration": "Sleep duration (minutes, from bedtime and wake time)",
    "sleep-quality": "Sleep quality (1-5)",
    "night-awakenings": "Night awakenings (count)",
    "rest-breaks": "Rest breaks (count)",
    "within-energy-limits": "Stayed within energy limits (1-5)",
    "trigger": "Trigger noted that day",
    "note": "Diary note",
    "planned-minutes": "Planned minutes",
    "done-minutes": "Minutes done",
    "exertion": "Exertion (0-10)",
    **{f"symptom-{key}": f"Symptom rating (0-10): {key}" for key in SYMPTOMS},
    "symptom-own": "Symptom rating (0-10), a symptom the patient named",
    **{f"activity-{kind.value}": f"Activity: {kind.value}" for kind in ACTIVITY_KINDS},
}
LOINC_CODES = {
    "sleep-duration": ("93832-4", "Sleep duration"),
    "symptom-pain": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
}
SCALES = (
    ("overall_symptoms", "overall-symptoms"),
    ("mood", "mood"),
    ("stress", "stress"),
    ("energy", "energy"),
    ("sleep_quality", "sleep-quality"),
    ("night_awakenings", "night-awakenings"),
    ("rest_breaks", "rest-breaks"),
    ("within_limits", "within-energy-limits"),
)


def _code(code: str, *, text: str | None = None) -> dict[str, Any]:
    coding = [{"system": DIARY_SYSTEM, "code": code, "display": CODES[code]}]
    if code in LOINC_CODES:
        loinc, display = LOINC_CODES[code]
        coding.insert(0, {"system": LOINC, "code": loinc, "display": display})
    return {"coding": coding, "text": text or CODES[code]}


def _minutes(value: int) -> dict[str, Any]:
    return {"value": value, "unit": "min", "system": UCUM, "code": "min"}


def entry_observations(
    entry: DiaryEntry, *, amended: bool, own_labels: dict[str, str]
) -> list[dict[str, Any]]:
    """Observations for one diary day. `amended`: the entry was changed after it was first
    saved (status "amended"); `own_labels`: the patient's names for their own symptoms."""
    day = entry.local_date.isoformat()
    base = {
        "resourceType": "Observation",
        "status": "amended" if amended else "final",
        "subject": {"reference": f"Patient/{entry.patient_id}"},
        "performer": [{"reference": f"Patient/{entry.patient_id}"}],
        "effectiveDateTime": day,
        "issued": entry.updated_at.isoformat(),
    }
    resources: list[dict[str, Any]] = []

    def add(part: str, code: dict[str, Any], category: str, **value: Any) -> None:
        resources.append(
            {
                **base,
                "id": str(uuid.uuid5(entry.id, part)),
                "category": [{"coding": [{"system": CATEGORY, "code": category}]}],
                "code": code,
                **value,
            }
        )

    for field, code in SCALES:
        value = getattr(entry, field)
        if value is not None:
            category = "survey" if code not in ("night-awakenings", "rest-breaks") else "activity"
            add(code, _code(code), category, valueInteger=value)
    for field, code in (("bedtime", "bedtime"), ("wake_time", "wake-time")):
        moment = getattr(entry, field)
        if moment is not None:
            add(code, _code(code), "activity", valueTime=moment.strftime("%H:%M:%S"))
    if entry.sleep_minutes is not None:
        add(
            "sleep-duration",
            _code("sleep-duration"),
            "activity",
            valueQuantity=_minutes(entry.sleep_minutes),
        )
    for rating in entry.symptoms:
        key = rating.symptom_key
        code = f"symptom-{key}" if key in SYMPTOMS else "symptom-own"
        extra: dict[str, Any] = {"valueInteger": rating.score}
        if rating.body_site:
            extra["bodySite"] = {
                "coding": [{"system": BODY_SITE_SYSTEM, "code": rating.body_site}],
                "text": str(BODY_SITES.get(rating.body_site, rating.body_site)),
            }
        add(f"symptom:{key}", _code(code, text=own_labels.get(key)), "survey", **extra)
    for block in entry.activities:
        kind = block.kind.value
        parts: list[tuple[str, dict[str, Any]]] = []
        if block.planned_minutes is not None:
            parts.append(("planned-minutes", {"valueQuantity": _minutes(block.planned_minutes)}))
        if block.done_minutes is not None:
            parts.append(("done-minutes", {"valueQuantity": _minutes(block.done_minutes)}))
        if block.exertion is not None:
            parts.append(("exertion", {"valueInteger": block.exertion}))
        components = [{"code": _code(code), **value} for code, value in parts]
        add(f"activity:{kind}", _code(f"activity-{kind}"), "activity", component=components)
    for trigger in entry.triggers or []:
        concept = {
            "coding": [{"system": TRIGGER_SYSTEM, "code": trigger}],
            "text": str(TRIGGERS.get(trigger, trigger)),
        }
        add(f"trigger:{trigger}", _code("trigger"), "survey", valueCodeableConcept=concept)
    for tag in entry.custom_triggers or []:
        add(f"own-trigger:{tag}", _code("trigger"), "survey", valueCodeableConcept={"text": tag})
    if entry.notes:
        add("note", _code("note"), "survey", valueString=entry.notes)
    return resources
