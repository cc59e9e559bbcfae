"""The API's JSON shapes (pydantic models): they validate request bodies and generate the
OpenAPI 3.1 document (spectree reads them). Diary bodies use the diary form's own field names,
so an offline copy of the form can be sent as it is."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.diary.catalogs import CUSTOM_TRIGGER_MAX_LENGTH, MAX_CUSTOM_TRIGGERS, TRIGGERS
from app.diary.forms import NOTES_MAX

SYMPTOM_FIELD = r"^symptom-[a-z0-9_-]{1,40}$"
SITE_FIELD = r"^site-[a-z0-9_-]{1,40}$"
_DYNAMIC = re.compile(f"{SYMPTOM_FIELD}|{SITE_FIELD}")
TriggerCode = Literal[tuple(TRIGGERS)]  # type: ignore[valid-type]
TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _score(low: int, high: int) -> Any:
    return Field(None, ge=low, le=high, strict=True)


def _pattern_properties(schema: dict[str, Any]) -> None:
    schema["additionalProperties"] = False
    schema["patternProperties"] = {
        SYMPTOM_FIELD: {
            "anyOf": [{"type": "integer", "minimum": 0, "maximum": 10}, {"type": "null"}]
        },
        SITE_FIELD: {"anyOf": [{"type": "string", "maxLength": 24}, {"type": "null"}]},
    }


class DiaryBody(BaseModel):
    """One day's diary answers, named as the diary form names them. Left out or null = not
    answered. `symptom-<key>` (0-10) and `site-<key>` rate the symptoms the patient tracks."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_pattern_properties)

    mode: Literal["full", "quick"] = "full"
    overall_symptoms: int | None = _score(0, 10)
    mood: int | None = _score(0, 10)
    stress: int | None = _score(0, 10)
    energy: int | None = _score(0, 10)
    bedtime: str | None = Field(None, pattern=TIME, examples=["22:30"])
    wake_time: str | None = Field(None, pattern=TIME, examples=["06:45"])
    sleep_quality: int | None = _score(1, 5)
    night_awakenings: int | None = _score(0, 30)
    rest_breaks: int | None = _score(0, 50)
    within_limits: int | None = _score(1, 5)
    notes: str | None = Field(None, max_length=NOTES_MAX)
    triggers: list[TriggerCode] = Field(default_factory=list)
    custom_triggers: list[str] = Field(
        default_factory=list,
        max_length=MAX_CUSTOM_TRIGGERS,
        json_schema_extra={"items": {"type": "string", "maxLength": CUSTOM_TRIGGER_MAX_LENGTH}},
    )
    activity_physical_planned: int | None = Field(
        None, alias="activity-physical-planned", ge=0, le=1440, strict=True
    )
    activity_physical_done: int | None = Field(
        None, alias="activity-physical-done", ge=0, le=1440, strict=True
    )
    activity_physical_exertion: int | None = Field(
        None, alias="activity-physical-exertion", ge=0, le=10, strict=True
    )
    activity_cognitive_planned: int | None = Field(
        None, alias="activity-cognitive-planned", ge=0, le=1440, strict=True
    )
    activity_cognitive_done: int | None = Field(
        None, alias="activity-cognitive-done", ge=0, le=1440, strict=True
    )
    activity_cognitive_exertion: int | None = Field(
        None, alias="activity-cognitive-exertion", ge=0, le=10, strict=True
    )
    activity_social_planned: int | None = Field(
        None, alias="activity-social-planned", ge=0, le=1440, strict=True
    )
    activity_social_done: int | None = Field(
        None, alias="activity-social-done", ge=0, le=1440, strict=True
    )
    activity_social_exertion: int | None = Field(
        None, alias="activity-social-exertion", ge=0, le=10, strict=True
    )
    activity_rest_planned: int | None = Field(
        None, alias="activity-rest-planned", ge=0, le=1440, strict=True
    )
    activity_rest_done: int | None = Field(
        None, alias="activity-rest-done", ge=0, le=1440, strict=True
    )
    activity_rest_exertion: int | None = Field(
        None, alias="activity-rest-exertion", ge=0, le=10, strict=True
    )

    @model_validator(mode="after")
    def _only_symptom_fields(self) -> DiaryBody:
        # Each refusal names its field in `ctx` (app/api/validation.py reports it there).
        for key, value in (self.model_extra or {}).items():
            if not _DYNAMIC.match(key):
                raise PydanticCustomError("unknown_field", "unknown field: {field}", {"field": key})
            if (
                key.startswith("symptom-")
                and value is not None
                and (type(value) is not int or not 0 <= value <= 10)
            ):
                raise PydanticCustomError(
                    "symptom_score", "{field}: a whole number from 0 to 10", {"field": key}
                )
            if key.startswith("site-") and value is not None and not isinstance(value, str):
                raise PydanticCustomError("site_code", "{field}: a body site code", {"field": key})
        return self

    def form_data(self) -> dict[str, Any]:
        """What the diary form would have posted (the parser of `submit_entry` takes it)."""
        data = self.model_dump(by_alias=True, exclude_none=True, exclude={"mode"})
        return {key: value for key, value in data.items() if value != []}


class PutHeaders(BaseModel):
    """The conditional, idempotent write's headers."""

    model_config = ConfigDict(populate_by_name=True)

    if_match: str | None = Field(
        None,
        alias="If-Match",
        description="The entry's ETag (or *) to change an existing entry; leave out to create.",
    )
    idempotency_key: str | None = Field(
        None,
        alias="Idempotency-Key",
        max_length=255,
        description="Any unique string per intended write: a repeat answers as the first did.",
    )


class DiaryEntryOut(BaseModel):
    date: date
    version: int = Field(description="The entry's version; its ETag is this number in quotes.")
    mode: Literal["full", "quick"]
    updated_at: datetime
    values: dict[str, Any] = Field(
        description="The answers, named as in the PUT body (notes and own triggers only for the patient and their care team)."
    )


class FieldError(BaseModel):
    field: str
    detail: str = Field(description="What is wrong, in the caller's language.")
    type: str | None = Field(
        None,
        description="The kind of error, for programs (pydantic's type, e.g. `less_than_equal`).",
    )


class ProblemOut(BaseModel):
    """RFC 9457 problem details (`application/problem+json`); `title` in the caller's language."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    instance: str | None = None
    detail: str | None = None
    errors: list[FieldError] | None = None
    current: DiaryEntryOut | None = Field(
        None,
        description="On 412 and 428: the entry as it is now (its version is the ETag to send).",
    )


class MeOut(BaseModel):
    id: str
    display_name: str
    role: str
    locale: str


class PatientOut(BaseModel):
    id: str
    display_name: str
    time_zone: str


class PageQuery(BaseModel):
    cursor: str | None = Field(None, description="`next_cursor` of the previous page.")
    limit: int | None = Field(None, ge=1, le=200, description="Items per page (default 50).")


class DiaryQuery(PageQuery):
    model_config = ConfigDict(populate_by_name=True)

    from_: date | None = Field(None, alias="from", description="First day (default: 90 days back).")
    to: date | None = Field(None, description="Last day (default: the patient's today).")


class PatientPage(BaseModel):
    items: list[PatientOut]
    next_cursor: str | None


class DiaryPage(BaseModel):
    items: list[DiaryEntryOut]
    next_cursor: str | None


class ItemPage(BaseModel):
    """A page of items (their fields: see the reference page and docs/api.md)."""

    items: list[dict[str, Any]]
    next_cursor: str | None
