"""Translated sentences for measures and progress. Free text written by the team is never here."""

from __future__ import annotations

from flask_babel import format_decimal, gettext, ngettext
from flask_babel import lazy_gettext as _l

from app.careplan.content import Measure
from app.careplan.measures import INSTRUMENTS, KINDS, subject_label
from app.careplan.progress import Progress, Status
from app.i18n import formatting

TEAM_STATUS = {
    Status.MET: _l("Met"),
    Status.ON_TRACK: _l("On track"),
    Status.NOT_YET: _l("Not yet"),
    Status.NOT_ENOUGH_DATA: _l("Not enough data"),
    Status.NOT_LINKED: _l("Not linked to data"),
    Status.NO_SOURCE: _l("Not linked to data yet"),
}
PATIENT_STATUS = {
    Status.MET: _l("You have reached this goal."),
    Status.ON_TRACK: _l("You are on track."),
    Status.NOT_YET: _l("Not there yet. Your team will talk it through with you."),
    Status.NOT_ENOUGH_DATA: _l("There are not enough entries yet to tell."),
    Status.NOT_LINKED: _l("You and your team review this goal together."),
    Status.NO_SOURCE: _l("Heed cannot show progress for this goal yet."),
}
SECTION_LABELS = {
    "hypotheses": _l("Working hypotheses"),
    "goals": _l("Goals"),
    "interventions": _l("Who does what"),
    "escalation": _l("When to escalate"),
    "crisis_plan": _l("Crisis plan"),
}
FIELD_LABELS = {
    "text": _l("Text"),
    "item": _l("Item"),
    "what": _l("Description"),
    "owner": _l("Owner"),
    "measure": _l("Measure"),
    "due": _l("Due date"),
    "discipline": _l("Who implements it"),
}
CHANGE_LABELS = {"added": _l("Added"), "removed": _l("Removed"), "changed": _l("Changed")}


def number(value: float | None) -> str:
    return "" if value is None else format_decimal(value)


def describe_measure(measure: Measure) -> str:
    """The measure as a sentence in the reader's language; free-text measures as written."""
    target = int(measure.target or 0)
    match measure.kind:
        case "instrument_total_below":
            name = INSTRUMENTS.get(measure.subject or "", ("?", 0))[0]
            return gettext(
                "%(instrument)s total below %(threshold)s",
                instrument=name,
                threshold=number(measure.target),
            )
        case "sleep_hours_nights_per_week":
            return ngettext(
                "Sleep at least %(hours)s hours on %(num)d night a week",
                "Sleep at least %(hours)s hours on %(num)d nights a week",
                target,
                hours=number(measure.amount),
            )
        case "activity_minutes_days_per_week":
            return ngettext(
                "%(activity)s for at least %(minutes)s minutes on %(num)d day a week",
                "%(activity)s for at least %(minutes)s minutes on %(num)d days a week",
                target,
                activity=subject_label(measure),
                minutes=number(measure.amount),
            )
        case "symptom_at_most_most_days":
            return gettext(
                "%(symptom)s at most %(maximum)s out of 10 on most days",
                symptom=subject_label(measure),
                maximum=number(measure.target),
            )
    return measure.text


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


def progress_details(progress: Progress, measure: Measure) -> list[str]:
    """Numbers behind a status, as short sentences. Missing days are counted as missing."""
    if progress.status in {Status.NOT_LINKED, Status.NO_SOURCE}:
        return []
    if measure.kind == "instrument_total_below":
        if progress.latest is None:
            return [
                gettext(
                    "No questionnaire total in the last %(days)d days.", days=progress.window_days
                )
            ]
        return [
            gettext(
                "Latest total: %(latest)s on %(date)s (goal: below %(threshold)s).",
                latest=number(progress.latest),
                date=formatting.date(progress.latest_on),
                threshold=number(measure.target),
            )
        ]
    missing = progress.window_days - progress.recorded_days
    details = [
        ngettext(
            "%(num)d day recorded in the last %(window)d days.",
            "%(num)d days recorded in the last %(window)d days.",
            progress.recorded_days,
            window=progress.window_days,
        )
    ]
    if measure.kind == "symptom_at_most_most_days":
        details.append(
            gettext(
                "%(good)d of the recorded days were at most %(maximum)s.",
                good=progress.qualifying_days,
                maximum=number(measure.target),
            )
        )
    else:
        details.append(
            gettext(
                "%(hits)d days reached the goal; %(needed)d needed.",
                hits=progress.qualifying_days,
                needed=progress.needed_days,
            )
        )
    if missing:
        details.append(
            ngettext(
                "%(num)d day not recorded (not counted either way).",
                "%(num)d days not recorded (not counted either way).",
                missing,
            )
        )
    return details
