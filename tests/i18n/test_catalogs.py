"""Every shipped locale translates every message, with no fuzzy entries and matching placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.checkers import python_format
from babel.messages.pofile import read_po

from app.config import SUPPORTED_LOCALES
from app.i18n.cli import TRANSLATIONS, extract_to

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TRANSLATED = [code for code in SUPPORTED_LOCALES if code != "en"]


def _catalog(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.fixture(scope="module")
def source_ids(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    pot = Path(tmp_path_factory.mktemp("pot")) / "messages.pot"
    extract_to(pot)
    with pot.open("rb") as handle:
        return {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(handle)
            if message.id
        }


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_has_every_source_message(locale: str, source_ids: set[str]) -> None:
    catalog = _catalog(locale)
    present = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    missing = sorted(source_ids - present)
    assert not missing, f"{locale}: run `flask translate update` and translate: {missing[:10]}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_is_complete_and_placeholders_match(locale: str) -> None:
    catalog = _catalog(locale)
    problems: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            # Plural forms may omit the count in a form used only for one number.
            if found - expected or (len(ids) == 1 and found != expected):
                problems.append(f"placeholders {sorted(found)} != {sorted(expected)}: {ids[0]!r}")
        try:
            python_format(catalog, message)
        except Exception as exc:
            problems.append(f"format: {ids[0]!r}: {exc}")
    assert not problems, f"{locale}:\n" + "\n".join(problems[:20])
