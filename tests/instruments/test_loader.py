"""Definitions load and validate; every broken definition is refused with a clear message."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from app.instruments.loader import DEFINITIONS_DIR, DefinitionError, load_all, parse

RAW = json.loads((DEFINITIONS_DIR / "phq9.json").read_text(encoding="utf-8"))


def broken(change) -> dict:
    raw = copy.deepcopy(RAW)
    change(raw)
    return raw


def test_shipped_definitions_load():
    registry = load_all()
    assert set(registry) == {"phq9", "gad7", "phq15", "phq4", "pain_nrs", "hvs", "ahc_hrsn"}
    for definition in registry.values():
        # Only PHQ-9 has official translations reproduced exactly (Spanish for the USA, French
        # for France); everything else is English only until an official text is confirmed.
        assert definition.locales == ({"en", "es", "fr"} if definition.id == "phq9" else {"en"})
        assert definition.licence and definition.citation and definition.change.source


def test_loinc_codes_are_exactly_those_in_clinical_reference():
    registry = load_all()
    codes = {
        i: (d.loinc_panel, d.loinc_total, [x.loinc for x in d.items if x.loinc])
        for i, d in registry.items()
    }
    assert codes == {
        "phq9": ("44249-1", "44261-6", ["44260-8"]),
        "gad7": ("69737-5", "70274-6", []),
        "phq15": ("69728-4", "70273-8", []),
        "phq4": (None, None, []),
        "pain_nrs": (None, "72514-3", []),
        # Social-needs screens (CLINICAL.md team-care; research/team-care-features.md C1).
        "hvs": ("88121-9", None, ["88122-7", "88123-5"]),
        "ahc_hrsn": ("96777-8", None, ["71802-3", "88122-7", "88123-5", "93030-5", "96779-4"]),
    }
    assert registry["hvs"].loinc_risk == "88124-3"
    assert registry["phq9"].item("9").loinc == "44260-8"


def test_english_text_is_the_published_wording():
    phq9 = load_all()["phq9"].translations["en"]
    assert phq9.instructions == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert phq9.items["9"] == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert phq9.options["frequency"] == {
        "0": "Not at all",
        "1": "Several days",
        "2": "More than half the days",
        "3": "Nearly every day",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["option_sets"].pop("difficulty"), "missing options"),
        (lambda r: r["option_sets"].update(frequency=[]), "has no options"),
        (lambda r: r["bands"].__setitem__(1, {"code": "mild", "min": 6, "max": 9}), "band gap"),
        (lambda r: r["bands"].__setitem__(1, {"code": "mild", "min": 4, "max": 9}), "band overlap"),
        (lambda r: r["bands"][-1].update(max=26), "maximum score is 27"),
        (lambda r: r["translations"]["en"]["items"].pop("7"), "missing items ['7']"),
        (lambda r: r["translations"]["en"].pop("source"), "no provenance"),
        (
            lambda r: r["translations"].update(
                es={
                    **copy.deepcopy(r["translations"]["en"]),
                    "source": "machine",
                    "official": False,
                }
            ),
            "not an official translation",
        ),
        (lambda r: r["translations"]["en"]["options"]["frequency"].pop("3"), "missing labels"),
        (lambda r: r["translations"]["es"].pop("language_tag"), "needs a language_tag"),
        (lambda r: r["translations"]["fr"].update(language_tag="es-US"), "needs a language_tag"),
        (lambda r: r["translations"]["es"].pop("country_version"), "does not name its country"),
        (lambda r: r["translations"]["fr"].update(sources=[]), "lists no sources"),
        (lambda r: r.pop("licence"), "missing keys licence"),
        (lambda r: r["critical_items"][0].update(item="99"), "critical item 99"),
        (lambda r: r["change"].update(source=""), "no source"),
        (lambda r: r["items"][0].update(loinc="not-loinc"), "malformed LOINC"),
    ],
)
def test_broken_definitions_are_refused(change, message):
    with pytest.raises(DefinitionError) as error:
        parse(broken(change), "phq9.json")
    assert message in str(error.value)
    assert "phq9.json" in str(error.value)


def test_start_up_refuses_a_broken_definition_directory(tmp_path: Path):
    (tmp_path / "phq9.json").write_text(json.dumps(broken(lambda r: r["bands"].pop(2))))
    with pytest.raises(DefinitionError, match="band gap"):
        load_all(tmp_path)
    (tmp_path / "phq9.json").write_text("{not json")
    with pytest.raises(DefinitionError, match="not valid JSON"):
        load_all(tmp_path)


def test_create_app_refuses_to_start(monkeypatch, tmp_path: Path):
    from app import create_app
    from app.instruments import loader

    (tmp_path / "x.json").write_text(
        json.dumps(broken(lambda r: r["translations"]["en"].pop("official")))
    )
    monkeypatch.setattr(loader, "DEFINITIONS_DIR", tmp_path)
    monkeypatch.setattr(loader.load_all, "__defaults__", (tmp_path,))
    with pytest.raises(DefinitionError, match="no provenance"):
        create_app({"DATABASE_URL": "sqlite://"})
