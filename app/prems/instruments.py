"""The PREM instruments Heed ships, as data: exact English wording, source and licence.

Instrument text is never translated here (no gettext): a patient whose language has no
confirmed official translation answers the English text, with a notice (docs/experience.md).

CollaboRATE, 5-point patient version (Elwyn et al. 2013), wording as published by the PhenX
Toolkit, protocol 662301 ("Shared Decision Making in Clinical Encounters",
https://phenxtoolkit.org/protocols/view/662301); the same response labels in the ComparEu tool
entry. Licence: Creative Commons Attribution-NonCommercial-NoDerivs 3.0 Unported
(https://www.glynelwyn.com/faqs---considerate.html, "Can I use collaboRATE?"); PhenX: "This
protocol is freely available; permission not required for use". No derivative (no rewording),
attribution below, non-commercial use; commercial use needs the authors' permission.

The CARE Measure is not offered: see docs/experience.md (its scoring is in `scoring.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

COLLABORATE = "collaborate"


@dataclass(frozen=True)
class PremInstrument:
    id: str
    short_title: str
    citation: str
    licence: str
    attribution: str
    sources: tuple[str, ...]
    language_tag: str
    items: tuple[tuple[str, str], ...]  # (item id, exact text)
    options: tuple[tuple[int, str], ...]  # (value, exact label), lowest first

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item_id for item_id, _ in self.items)

    @property
    def values(self) -> frozenset[int]:
        return frozenset(value for value, _ in self.options)


CollaboRATE = PremInstrument(
    id=COLLABORATE,
    short_title="CollaboRATE",
    citation=(
        "Elwyn G, Barr PJ, Grande SW, Thompson R, Walsh T, Ozanne EM. Developing CollaboRATE: "
        "a fast and frugal patient-reported measure of shared decision making in clinical "
        "encounters. Patient Educ Couns. 2013;93(1):102-107."
    ),
    licence="CC BY-NC-ND 3.0 (https://creativecommons.org/licenses/by-nc-nd/3.0/)",
    attribution="collaboRATE © Elwyn G, Barr PJ, Grande SW, Thompson R, Walsh T, Ozanne EM, 2013",
    sources=(
        "https://phenxtoolkit.org/protocols/view/662301",
        "https://www.glynelwyn.com/faqs---considerate.html",
    ),
    language_tag="en",
    items=(
        ("1", "How much effort was made to help you understand your health issues?"),
        (
            "2",
            "How much effort was made to listen to the things that matter most to you about "
            "your health issues?",
        ),
        (
            "3",
            "How much effort was made to include what matters most to you in choosing what to "
            "do next?",
        ),
    ),
    options=(
        (0, "No effort was made"),
        (1, "A little effort was made"),
        (2, "Some effort was made"),
        (3, "A lot of effort was made"),
        (4, "Every effort was made"),
    ),
)

INSTRUMENTS: dict[str, PremInstrument] = {COLLABORATE: CollaboRATE}

# Languages with a confirmed official translation, per instrument (none confirmed yet).
OFFICIAL_LANGUAGES: dict[str, frozenset[str]] = {COLLABORATE: frozenset({"en"})}
