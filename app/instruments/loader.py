"""Load instrument definitions (JSON under definitions/) and refuse anything inconsistent.

Validation runs at start-up (create_app) and in tests; an error names the file and the problem.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
LOINC_RE = re.compile(r"^\d{1,7}-\d$")
LANGUAGE_TAG_RE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")  # BCP-47: language, optional region
REQUIRED_KEYS = (
    "id", "version", "short_title", "title", "citation", "licence", "recall_days", "loinc",
    "option_sets", "items", "scoring", "bands", "change", "critical_items", "translations",
)  # fmt: skip
SOURCE_LOCALE = "en"
KINDS = ("prom", "social_needs")  # social_needs: per-domain results, no score, never alerts


class DefinitionError(ValueError):
    """A definition file is wrong; the message says which file and what."""


@dataclass(frozen=True)
class Item:
    id: str
    options: str
    scored: bool
    required: bool
    loinc: str | None
    applies_if: str | None = None


@dataclass(frozen=True)
class Band:
    code: str
    min: int
    max: int


@dataclass(frozen=True)
class Subscale:
    code: str
    items: tuple[str, ...]
    positive_at: int | None


@dataclass(frozen=True)
class Change:
    threshold_points: int | None
    threshold_percent: int | None
    flag: bool
    source: str


@dataclass(frozen=True)
class Critical:
    item: str
    min_value: int
    rule: str


@dataclass(frozen=True)
class Translation:
    """One official text of an instrument. `locale` is the app language that selects it;
    `language_tag` (BCP-47, e.g. es-US) names the one country version it reproduces."""

    locale: str
    source: str
    official: bool
    title: str | None
    instructions: str
    items: dict[str, str]
    options: dict[str, dict[str, str]]
    language_tag: str = ""
    country_version: str = ""
    footer: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    id: str
    version: str
    short_title: str
    title: str
    citation: str
    licence: str
    recall_days: int
    loinc_panel: str | None
    loinc_total: str | None
    option_sets: dict[str, tuple[int, ...]]
    items: tuple[Item, ...]
    proration: str | None
    subscales: tuple[Subscale, ...]
    bands: tuple[Band, ...]
    change: Change
    critical_items: tuple[Critical, ...]
    translations: dict[str, Translation]
    notes: str = ""
    item_index: dict[str, Item] = field(default_factory=dict, compare=False)
    kind: str = "prom"
    # LOINC answer codes per option set and value (social-needs instruments), and the LOINC
    # code of a derived risk result (Hunger Vital Sign 88124-3).
    option_codes: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    loinc_risk: str | None = None

    @property
    def social_needs(self) -> bool:
        return self.kind == "social_needs"

    def item(self, item_id: str) -> Item | None:
        return self.item_index.get(item_id)

    def values_for(self, item: Item) -> tuple[int, ...]:
        return self.option_sets[item.options]

    @property
    def locales(self) -> frozenset[str]:
        return frozenset(self.translations)


def _fail(name: str, message: str) -> DefinitionError:
    return DefinitionError(f"instrument definition {name}: {message}")


def parse(raw: dict[str, Any], name: str) -> Definition:
    """Build and validate one definition from its decoded JSON."""
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if missing:
        raise _fail(name, f"missing keys {', '.join(missing)}")
    option_sets: dict[str, tuple[int, ...]] = {}
    for set_name, values in raw["option_sets"].items():
        if not values or not all(isinstance(v, int) for v in values):
            raise _fail(name, f"option set {set_name!r} has no options or non-integer values")
        if len(set(values)) != len(values):
            raise _fail(name, f"option set {set_name!r} repeats a value")
        option_sets[set_name] = tuple(values)
    items = tuple(
        Item(
            id=str(i["id"]),
            options=i.get("options", ""),
            scored=bool(i.get("scored", True)),
            required=bool(i.get("required", True)),
            loinc=i.get("loinc"),
            applies_if=i.get("applies_if"),
        )
        for i in raw["items"]
    )
    if not items:
        raise _fail(name, "has no items")
    index = {item.id: item for item in items}
    if len(index) != len(items):
        raise _fail(name, "repeats an item id")
    for item in items:
        if item.options not in option_sets:
            raise _fail(name, f"item {item.id} has missing options (set {item.options!r})")
        if item.loinc is not None and not LOINC_RE.match(item.loinc):
            raise _fail(name, f"item {item.id} has a malformed LOINC code {item.loinc!r}")
        if item.applies_if not in (None, "menstruates"):
            raise _fail(name, f"item {item.id} has an unknown condition {item.applies_if!r}")
    scoring = raw["scoring"]
    if scoring.get("method") != "sum":
        raise _fail(name, f"unknown scoring method {scoring.get('method')!r}")
    subscales = tuple(
        Subscale(code=s["code"], items=tuple(s["items"]), positive_at=s.get("positive_at"))
        for s in scoring.get("subscales", [])
    )
    for sub in subscales:
        unknown = [i for i in sub.items if i not in index or not index[i].scored]
        if unknown:
            raise _fail(name, f"subscale {sub.code} names unknown items {unknown}")
    scored = [item for item in items if item.scored]
    lowest = sum(min(option_sets[i.options]) for i in scored)
    highest = sum(max(option_sets[i.options]) for i in scored)
    bands = tuple(Band(code=b["code"], min=b["min"], max=b["max"]) for b in raw["bands"])
    _check_bands(name, bands, lowest, highest)
    critical = tuple(
        Critical(item=str(c["item"]), min_value=c["min_value"], rule=c["rule"])
        for c in raw["critical_items"]
    )
    for c in critical:
        if c.item not in index or c.min_value not in option_sets[index[c.item].options]:
            raise _fail(name, f"critical item {c.item} is unknown or its value is not an option")
    kind = raw.get("kind", "prom")
    if kind not in KINDS:
        raise _fail(name, f"unknown kind {kind!r}")
    option_codes = {k: dict(v) for k, v in raw.get("option_codes", {}).items()}
    for set_name, codes in option_codes.items():
        values = option_sets.get(set_name, ())
        if {str(v) for v in values} != set(codes) or not all(
            re.match(r"^LA\d{1,6}-\d$", c) for c in codes.values()
        ):
            raise _fail(name, f"option codes of {set_name!r} do not match its options")
    change = raw["change"]
    if not change.get("source"):
        raise _fail(name, "the change threshold has no source")
    loinc = raw["loinc"]
    for code in (loinc.get("panel"), loinc.get("total"), loinc.get("risk")):
        if code is not None and not LOINC_RE.match(code):
            raise _fail(name, f"malformed LOINC code {code!r}")
    translations = {
        locale: _translation(name, locale, text, items, option_sets)
        for locale, text in raw["translations"].items()
    }
    if SOURCE_LOCALE not in translations:
        raise _fail(name, "has no English source text")
    return Definition(
        id=raw["id"],
        version=str(raw["version"]),
        short_title=raw["short_title"],
        title=raw["title"],
        citation=raw["citation"],
        licence=raw["licence"],
        recall_days=raw["recall_days"],
        loinc_panel=loinc.get("panel"),
        loinc_total=loinc.get("total"),
        option_sets=option_sets,
        items=items,
        proration=scoring.get("proration"),
        subscales=subscales,
        bands=bands,
        change=Change(
            threshold_points=change.get("threshold_points"),
            threshold_percent=change.get("threshold_percent"),
            flag=bool(change.get("flag")),
            source=change["source"],
        ),
        critical_items=critical,
        translations=translations,
        notes=raw.get("notes", ""),
        item_index=index,
        kind=kind,
        option_codes=option_codes,
        loinc_risk=loinc.get("risk"),
    )


def _check_bands(name: str, bands: tuple[Band, ...], lowest: int, highest: int) -> None:
    if not bands:
        return
    ordered = sorted(bands, key=lambda b: b.min)
    expected = lowest
    for band in ordered:
        if band.min > band.max:
            raise _fail(name, f"band {band.code} runs backwards ({band.min}-{band.max})")
        if band.min > expected:
            raise _fail(name, f"band gap: no band covers {expected}-{band.min - 1}")
        if band.min < expected:
            raise _fail(name, f"band overlap: {band.code} starts at {band.min}")
        expected = band.max + 1
    if expected - 1 != highest:
        raise _fail(name, f"bands end at {expected - 1} but the maximum score is {highest}")


def _translation(
    name: str,
    locale: str,
    text: dict[str, Any],
    items: tuple[Item, ...],
    option_sets: dict[str, tuple[int, ...]],
) -> Translation:
    if not text.get("source") or "official" not in text:
        raise _fail(name, f"translation {locale!r} has no provenance (source and official)")
    if not text["official"]:
        raise _fail(
            name,
            f"translation {locale!r} is not an official translation; instrument text is never "
            "machine-translated or improvised, leave the language out",
        )
    if not text.get("instructions") and not text.get("instructions_absent"):
        # A form without instructions of its own says so ("instructions_absent": why).
        raise _fail(name, f"translation {locale!r} is missing the instructions")
    tag = text.get("language_tag", locale if locale == SOURCE_LOCALE else "")
    if not LANGUAGE_TAG_RE.match(tag) or tag.split("-")[0] != locale:
        raise _fail(
            name,
            f"translation {locale!r} needs a language_tag for its one country version "
            f"(BCP-47, e.g. {locale}-XX), got {tag!r}",
        )
    if locale != SOURCE_LOCALE and not text.get("country_version"):
        raise _fail(name, f"translation {locale!r} does not name its country version")
    sources = text.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) and s for s in sources):
        raise _fail(name, f"translation {locale!r} has malformed sources (a list of strings)")
    if locale != SOURCE_LOCALE and not sources:
        raise _fail(name, f"translation {locale!r} lists no sources for its exact text")
    missing_items = [i.id for i in items if not text.get("items", {}).get(i.id)]
    if missing_items:
        raise _fail(name, f"translation {locale!r} is missing items {missing_items}")
    for set_name, values in option_sets.items():
        labels = text.get("options", {}).get(set_name, {})
        absent = [v for v in values if not labels.get(str(v))]
        if absent:
            raise _fail(name, f"translation {locale!r} is missing labels for {set_name} {absent}")
    return Translation(
        locale=locale,
        source=text["source"],
        official=True,
        title=text.get("title") or None,
        instructions=text["instructions"],
        items=dict(text["items"]),
        options={k: dict(v) for k, v in text["options"].items()},
        language_tag=tag,
        country_version=text.get("country_version", ""),
        footer=text.get("footer") or None,
        sources=tuple(sources),
    )


def load_all(directory: Path = DEFINITIONS_DIR) -> dict[str, Definition]:
    """Every definition in the directory, keyed by id; raises DefinitionError on the first fault."""
    registry: dict[str, Definition] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise _fail(path.name, f"is not valid JSON ({exc})") from exc
        definition = parse(raw, path.name)
        if definition.id in registry:
            raise _fail(path.name, f"repeats the id {definition.id!r}")
        registry[definition.id] = definition
    if not registry:
        raise DefinitionError(f"no instrument definitions found in {directory}")
    return registry


def registry() -> dict[str, Definition]:
    from flask import current_app

    return current_app.extensions["heed.instruments"]


def get(instrument_id: str) -> Definition | None:
    return registry().get(instrument_id)
