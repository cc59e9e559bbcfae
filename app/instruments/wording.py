"""The one wording of a questionnaire score and its change, for every page that shows one
(the record, the pre-visit summary, the caseload): say what happened, in the viewer's language.

"PHQ-9 14, Moderate; +4 since the last visit; moved up a band". The direction words come
from the same change they describe, so a cell never contradicts itself ("14 (-1) worse").
`movement` is pure (tested for every case); the text functions translate it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from flask_babel import gettext as _
from flask_babel import ngettext

from app.instruments import scoring
from app.instruments.labels import BAND_LABELS
from app.instruments.loader import Definition

Since = Literal["last_visit", "previous", "baseline"]


@dataclass(frozen=True)
class Movement:
    """What happened between a reference score and the current one."""

    delta: int
    band_steps: int  # > 0: moved up that many severity bands; < 0: down; 0: same band
    flag: str | None  # "worse" / "better" when the change reaches the instrument's threshold

    @property
    def threshold_only(self) -> bool:
        """Flagged by the points threshold alone (no band change to say so)."""
        return self.flag is not None and self.band_steps == 0


def band_rank(definition: Definition, total: int | None) -> int | None:
    code = scoring.band_for(definition, total)
    codes = [b.code for b in sorted(definition.bands, key=lambda b: b.min)]
    return codes.index(code) if code in codes else None


def movement(definition: Definition, current: int, reference: int) -> Movement:
    """Pure: the change from `reference` to `current`, its band steps and its flag (from
    app.instruments.scoring.change, the instrument's own threshold)."""
    before, after = band_rank(definition, reference), band_rank(definition, current)
    steps = 0 if before is None or after is None else after - before
    return Movement(current - reference, steps, scoring.change(definition, current, reference).flag)


def signed(delta: int) -> str:
    """+4, -1 written with a real minus sign (U+2212), 0."""
    return f"+{delta}" if delta > 0 else (f"\u2212{-delta}" if delta < 0 else "0")


def _since(delta: str, since: Since) -> str:
    if since == "last_visit":
        return _("%(delta)s since the last visit", delta=delta)
    if since == "previous":
        return _("%(delta)s since the previous score", delta=delta)
    return _("%(delta)s since the first score", delta=delta)


def _no_change(since: Since) -> str:
    if since == "last_visit":
        return _("no change since the last visit")
    if since == "previous":
        return _("no change since the previous score")
    return _("no change since the first score")


def _steps(steps: int) -> str:
    if steps > 0:
        return ngettext("moved up a band", "moved up %(num)d bands", steps)
    return ngettext("moved down a band", "moved down %(num)d bands", -steps)


def change_parts(
    definition: Definition, current: int, reference: int | None, *, since: Since, first: bool
) -> list[str]:
    """The change as short phrases: ["+4 since the last visit", "moved up a band"].
    Without a reference: "first score" when this is the only score, else "no earlier score"."""
    if reference is None:
        return [_("first score") if first else _("no earlier score to compare")]
    move = movement(definition, current, reference)
    if move.delta == 0:
        return [_no_change(since)]
    parts = [_since(signed(move.delta), since)]
    if move.band_steps:
        parts.append(_steps(move.band_steps))
    elif move.flag == "worse":
        parts.append(_("worse by at least the instrument's change threshold"))
    elif move.flag == "better":
        parts.append(_("better by at least the instrument's change threshold"))
    return parts


def score_text(definition: Definition, total: int, *, named: bool = True) -> str:
    """ "PHQ-9 14, Moderate" (or "14, Moderate" where the instrument is named already)."""
    band = scoring.band_for(definition, total)
    label = str(BAND_LABELS.get(band, band)) if band else None
    if named and label:
        return _(
            "%(instrument)s %(score)d, %(band)s",
            instrument=definition.short_title,
            score=total,
            band=label,
        )
    if named:
        return _("%(instrument)s %(score)d", instrument=definition.short_title, score=total)
    if label:
        return _("%(score)d, %(band)s", score=total, band=label)
    return str(total)


def join(parts: list[str]) -> str:
    """Phrases joined the way the language lists clauses ("a; b; c")."""
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out = _("%(earlier)s; %(later)s", earlier=out, later=part)
    return out


def score_change_text(
    definition: Definition,
    current: int,
    reference: int | None,
    *,
    since: Since,
    first: bool = False,
    named: bool = True,
) -> str:
    """The whole sentence: "PHQ-9 14, Moderate; +4 since the last visit; moved up a band"."""
    return join(
        [
            score_text(definition, current, named=named),
            *change_parts(definition, current, reference, since=since, first=first),
        ]
    )


def change_text(
    definition: Definition,
    current: int,
    reference: int | None,
    *,
    since: Since,
    first: bool = False,
) -> str:
    """The change alone (a table cell next to the score): "+4 since the previous score; moved
    up a band"."""
    return join(change_parts(definition, current, reference, since=since, first=first))


def missing_items(
    definition: Definition, answers: Mapping[str, int], *, menstruates: bool | None
) -> int:
    """Scored items this patient was asked and did not answer (0 for a complete response)."""
    result = scoring.score(definition, answers, menstruates=menstruates)
    return result.applicable - result.answered


def incomplete_text(missing: int) -> str:
    return ngettext(
        "incomplete: %(num)d item not answered, no total",
        "incomplete: %(num)d items not answered, no total",
        missing,
    )
