"""FHIR R4 mapping: Questionnaire per definition, QuestionnaireResponse and Observation per
completed response. Plain dicts; tests validate them with fhir.resources (R4B models)."""

from __future__ import annotations

from typing import Any

from app.instruments import social_needs
from app.instruments.loader import SOURCE_LOCALE, Definition, Item
from app.instruments.models import Response

LOINC = "http://loinc.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def canonical(definition: Definition) -> str:
    return f"urn:heed:questionnaire:{definition.id}|{definition.version}"


def _answer_system(definition: Definition, item: Item) -> str:
    return f"urn:heed:questionnaire:{definition.id}:options:{item.options}"


def _coding(definition: Definition, item: Item, value: int, locale: str) -> dict[str, Any]:
    labels = definition.translations[locale].options[item.options]
    answer_code = definition.option_codes.get(item.options, {}).get(str(value))
    if answer_code:  # a LOINC answer code (social-needs screens)
        return {"system": LOINC, "code": answer_code, "display": labels[str(value)]}
    return {
        "system": _answer_system(definition, item),
        "code": str(value),
        "display": labels[str(value)],
    }


def questionnaire(definition: Definition, locale: str = SOURCE_LOCALE) -> dict[str, Any]:
    text = definition.translations[locale]
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": definition.id.replace("_", "-"),
        "url": canonical(definition).split("|")[0],
        "version": definition.version,
        "name": "".join(ch for ch in definition.short_title if ch.isalnum()),
        "title": definition.title,
        "status": "active",
        "language": text.language_tag,
        "copyright": text.footer or definition.licence,
        "description": text.instructions,
        "item": [
            {
                "linkId": item.id,
                "text": text.items[item.id],
                "type": "choice",
                "required": item.required,
                **({"code": [{"system": LOINC, "code": item.loinc}]} if item.loinc else {}),
                "answerOption": [
                    {"valueCoding": _coding(definition, item, v, locale)}
                    for v in definition.values_for(item)
                ],
            }
            for item in definition.items
        ],
    }
    if definition.loinc_panel:
        resource["code"] = [{"system": LOINC, "code": definition.loinc_panel}]
    return resource


def questionnaire_response(
    response: Response, definition: Definition, *, omit_critical: bool = False
) -> dict[str, Any]:
    """`omit_critical` leaves out the critical items' answers (for a caregiver who may see
    scores: a self-harm disclosure is not part of a score)."""
    text = definition.translations[response.locale]
    left_out = {c.item for c in definition.critical_items} if omit_critical else set()
    items = []
    for item in definition.items:
        if item.id not in response.answers or item.id in left_out:
            continue
        value = int(response.answers[item.id])
        items.append(
            {
                "linkId": item.id,
                "text": text.items[item.id],
                "answer": [{"valueCoding": _coding(definition, item, value, response.locale)}],
            }
        )
    assert response.submitted_at is not None  # noqa: S101 - only completed responses export
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.id),
        "questionnaire": canonical(definition),
        "status": "completed",
        "language": response.answered_tag,
        "subject": {"reference": f"Patient/{response.patient_id}"},
        "authored": response.submitted_at.isoformat(),
        "item": items,
    }


def observation(response: Response, definition: Definition) -> dict[str, Any] | None:
    """The total score as an Observation (None when the total is not computable)."""
    if response.total is None or response.submitted_at is None:
        return None
    code: dict[str, Any] = {"text": f"{definition.short_title} total score"}
    if definition.loinc_total:
        code["coding"] = [{"system": LOINC, "code": definition.loinc_total}]
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"{response.id}-total",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey",
                    }
                ]
            }
        ],
        "code": code,
        "subject": {"reference": f"Patient/{response.patient_id}"},
        "effectiveDateTime": response.submitted_at.isoformat(),
        "valueInteger": response.total,
        "derivedFrom": [{"reference": f"QuestionnaireResponse/{response.id}"}],
    }
    if response.band:
        resource["interpretation"] = [{"text": response.band}]
    return resource


def _screening_observation(
    response: Response, oid: str, code: str, text: str, value: dict[str, Any], positive: bool
) -> dict[str, Any]:
    assert response.submitted_at is not None  # noqa: S101 - only completed responses export
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"{response.id}-{oid}",
        "status": "final",
        "category": [
            {"coding": [{"system": CATEGORY, "code": "social-history"}]},
            {"coding": [{"system": CATEGORY, "code": "survey"}]},
        ],
        "code": {"coding": [{"system": LOINC, "code": code}], "text": text},
        "subject": {"reference": f"Patient/{response.patient_id}"},
        "effectiveDateTime": response.submitted_at.isoformat(),
        "valueCodeableConcept": {"coding": [value], "text": value["display"]},
        "derivedFrom": [{"reference": f"QuestionnaireResponse/{response.id}"}],
    }
    if positive:  # Gravity guidance: flag a possible need with POS, never NEG
        resource["interpretation"] = [{"coding": [{"system": INTERPRETATION, "code": "POS"}]}]
    return resource


def screening_observations(response: Response, definition: Definition) -> list[dict[str, Any]]:
    """A social-needs screen: one LOINC-coded Observation per answered item (POS when it
    screens positive), plus the Hunger Vital Sign's food-insecurity risk (88124-3)."""
    if not definition.social_needs or response.submitted_at is None:
        return []
    text = definition.translations[response.locale]
    answers = {k: int(v) for k, v in response.answers.items()}
    positive = social_needs.positive_items(definition.id, answers)
    out = [
        _screening_observation(
            response,
            f"item-{item.id}",
            item.loinc,
            text.items[item.id],
            _coding(definition, item, answers[item.id], response.locale),
            item.id in positive,
        )
        for item in definition.items
        if item.loinc and item.id in answers
    ]
    if definition.loinc_risk:
        result = social_needs.results(definition.id, answers).get("food")
        risk = social_needs.hvs_risk_code(result) if result else None
        if risk is not None:
            value = {"system": LOINC, "code": risk[0], "display": risk[1]}
            out.append(
                _screening_observation(
                    response,
                    "risk",
                    definition.loinc_risk,
                    "Food insecurity risk [HVS]",
                    value,
                    risk[0] == "LA19952-3",
                )
            )
    return out


def observations(response: Response, definition: Definition) -> list[dict[str, Any]]:
    """The total's Observation when computable, and a screen's per-item Observations."""
    total = observation(response, definition)
    return [*([total] if total is not None else []), *screening_observations(response, definition)]


def response_bundle(
    response: Response, definition: Definition, *, omit_critical: bool = False
) -> dict[str, Any]:
    resources = [questionnaire_response(response, definition, omit_critical=omit_critical)]
    resources.extend(observations(response, definition))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": f"urn:uuid:{r['id']}"
                if r["resourceType"] == "QuestionnaireResponse"
                else f"urn:heed:observation:{r['id']}",
                "resource": r,
            }
            for r in resources
        ],
    }
