"""The sentences the clinician reads first: each questionnaire's latest score with its band and
its change named (which, how much, since when), and an incomplete latest response shown as
such (never the older total as "latest"; missing is never zero).

`headline` is pure; `headline_text` words it through the one wording of app.instruments.wording.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from app.i18n import formatting
from app.instruments import loader, wording
from app.trends.caseload import PatientState
from app.trends.summary_analytics import ScoreLine


@dataclass(frozen=True)
class Headline:
    current: int
    reference: int | None  # the score compared with (None: nothing to compare)
    since: wording.Since
    first: bool  # the only complete score so far
    no_new: bool  # the latest complete score was given at or before the last visit


def headline(line: ScoreLine, *, visited: bool) -> Headline | None:
    """Compare the latest complete score with the one at the last visit when there was a visit
    and a score before it; otherwise with the first score. None without a complete score."""
    c = line.change
    if c.latest is None or c.latest.total is None:
        return None
    total = c.latest.total
    if visited and c.at_last_visit is not None:
        if c.at_last_visit is c.latest:
            return Headline(total, None, "last_visit", line.first, True)
        return Headline(total, c.at_last_visit.total, "last_visit", False, False)
    baseline = c.baseline if c.baseline is not None and c.baseline is not c.latest else None
    return Headline(total, baseline.total if baseline else None, "baseline", line.first, False)


def headline_text(line: ScoreLine, *, visited: bool, named: bool = True) -> str:
    """ "PHQ-9 14, Moderate; +4 since the last visit; moved up a band", or for an incomplete
    latest response "PHQ-9 latest response, 3 Dec 2026: incomplete: 2 items not answered, no
    total; last complete score (1 Nov 2026): 14, Moderate"."""
    definition = line.definition
    parts: list[str] = []
    if line.latest_incomplete and line.latest_response is not None:
        assert line.latest_response.submitted_at is not None  # noqa: S101 - submitted only
        parts.append(
            _(
                "%(instrument)s latest response, %(date)s: %(state)s",
                instrument=definition.short_title,
                date=formatting.date(line.latest_response.submitted_at),
                state=wording.incomplete_text(line.missing),
            )
        )
        if line.change.latest is not None and line.change.latest.total is not None:
            parts.append(
                _(
                    "last complete score (%(date)s): %(score)s",
                    date=formatting.date(line.change.latest.at),
                    score=wording.score_text(definition, line.change.latest.total, named=False),
                )
            )
        return wording.join(parts)
    return wording.join(headline_parts(line, visited=visited, named=named))


def headline_parts(line: ScoreLine, *, visited: bool, named: bool = True) -> list[str]:
    """The latest complete score, then its change phrases (what `headline_text` joins)."""
    definition = line.definition
    found = headline(line, visited=visited)
    if found is None:
        return [_("%(instrument)s: no complete score yet", instrument=definition.short_title)]
    score = wording.score_text(definition, found.current, named=named)
    if found.no_new:
        return [score, _("no new score since the last visit")]
    changes = wording.change_parts(
        definition, found.current, found.reference, since=found.since, first=found.first
    )
    return [score, *changes]


def change_only_text(line: ScoreLine, *, visited: bool) -> str:
    """The change phrases alone, for a table cell beside the score."""
    if line.latest_incomplete:
        return _("no total for the latest response")
    parts = headline_parts(line, visited=visited, named=False)
    return wording.join(parts[1:]) if len(parts) > 1 else "\u2013"


def caseload_text(state: PatientState, instrument_id: str) -> str:
    """A caseload cell: "14, Moderate; -1 since the previous score" (the direction words come
    from that same change), or the incomplete latest response and the last complete score."""
    definition = loader.registry().get(instrument_id)
    score = state.scores.get(instrument_id)
    incomplete = state.incomplete.get(instrument_id)
    if definition is None or (score is None and incomplete is None):
        return "\u2013"
    if incomplete is not None:
        parts = [
            _(
                "latest %(date)s: %(state)s",
                date=formatting.date(incomplete.submitted_at),
                state=wording.incomplete_text(incomplete.missing),
            )
        ]
        if score is not None:
            parts.append(
                _(
                    "last complete score (%(date)s): %(score)s",
                    date=formatting.date(score.latest_at),
                    score=wording.score_text(definition, score.latest, named=False),
                )
            )
        return wording.join(parts)
    assert score is not None  # noqa: S101 - checked above
    return wording.score_change_text(
        definition, score.latest, score.previous, since="previous", first=score.first, named=False
    )


def caseload_texts() -> Callable[[PatientState, str], str]:
    """`caseload_text` remembering its sentences for one page: a complete score's cell depends
    only on the instrument, the two totals and whether it is the first (a registry page of 100
    rows shares a few dozen), so each is worded once (the viewer's language is fixed per page)."""
    known: dict[tuple, str] = {}

    def text(state: PatientState, instrument_id: str) -> str:
        score = state.scores.get(instrument_id)
        if score is None or instrument_id in state.incomplete:
            return caseload_text(state, instrument_id)
        key = (instrument_id, score.latest, score.previous, score.first)
        if key not in known:
            known[key] = caseload_text(state, instrument_id)
        return known[key]

    return text
