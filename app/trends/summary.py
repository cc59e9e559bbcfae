"""The pre-visit summary: reads (`queries.summary_reads`) → pure analytics
(`summary_analytics`) → charts (`charts`), gathered into one typed, immutable `Summary`.
No writes; the view audits and commits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from app.alerts.models import Alert
from app.alerts.rules import rule_label
from app.auth.models import User
from app.careplan.content import Goal
from app.careplan.progress import Progress
from app.careteam.models import Patient
from app.diary.catalogs import symptom_label
from app.diary.insights import Association
from app.diary.models import DiaryEntry
from app.diary.queries import patient_zone
from app.followups import queries as followup_queries
from app.followups.models import AppointmentStatus
from app.followups.queries import Visit
from app.instruments import loader, scoring
from app.instruments.loader import Definition
from app.trends import charts
from app.trends import queries as trend_queries
from app.trends import summary_analytics as analysis
from app.trends.analytics import Adherence, Episode, Flag
from app.trends.charts import Chart
from app.trends.queries import CaregiverReport
from app.trends.summary_analytics import ScoreLine
from app.web.charts import Event

PERIODS = ("since_last", "30", "90", "365")
LEAD_DAYS = 28  # read before the period: the patient's own medians for pacing and rises
DEFAULT_DAYS = 30


class BadPeriod(ValueError):
    pass


def parse_period(raw: str | None) -> str:
    code = (raw or "since_last").strip()
    if code not in PERIODS:
        raise BadPeriod(code)
    return code


@dataclass(frozen=True)
class Period:
    code: str
    start: date
    end: date
    since_visit: bool  # False when "since the last visit" fell back to 30 days

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def resolve_period(code: str, *, today: date, last_visit_day: date | None) -> Period:
    if code == "since_last":
        if last_visit_day is not None and last_visit_day <= today:
            return Period(code, last_visit_day, today, True)
        return Period(code, today - timedelta(days=DEFAULT_DAYS - 1), today, False)
    return Period(code, today - timedelta(days=int(code) - 1), today, False)


AlertLine = tuple[Alert, User | None, str]  # the alert, who acknowledged it, its label


@dataclass(frozen=True)
class Mark:
    """An event on the diary charts' time axis, with its text alternative (a table row)."""

    day: date
    kind: str  # "visit" (a follow-up), "plan" (a care-plan version) or "score"
    version: int | None = None  # the care-plan version
    definition: Definition | None = None  # the questionnaire of a score
    total: int | None = None  # None: an incomplete response


def timeline(
    *,
    days: list[date],
    zone: ZoneInfo,
    visit_times: tuple[datetime, ...],
    plan_changes: tuple[tuple[int, datetime], ...],
    scores: tuple[ScoreLine, ...],
) -> tuple[Mark, ...]:
    """Follow-ups, care-plan changes and questionnaire answers within the period, by day."""
    start, end = days[0], days[-1]
    marks = [Mark(t.astimezone(zone).date(), "visit") for t in visit_times]
    marks += [Mark(t.astimezone(zone).date(), "plan", version=n) for n, t in plan_changes]
    marks += [
        Mark(
            r.submitted_at.astimezone(zone).date(),
            "score",
            definition=line.definition,
            total=r.total,
        )
        for line in scores
        for r in line.period_responses
        if r.submitted_at is not None
    ]
    return tuple(sorted((m for m in marks if start <= m.day <= end), key=lambda m: m.day))


def chart_events(marks: tuple[Mark, ...], start: date) -> tuple[Event, ...]:
    return tuple(
        Event(
            (m.day - start).days,
            m.kind,
            charts.band_mark(m.definition, scoring.band_for(m.definition, m.total))
            if m.definition is not None
            else "#4a5260",
        )
        for m in marks
    )


@dataclass(frozen=True)
class Summary:
    patient: Patient
    period: Period
    now: datetime
    zone: ZoneInfo
    last_visit: datetime | None
    next_visit: Visit | None
    charts: tuple[Chart, ...]
    score_charts: tuple[Chart, ...]
    scores: tuple[ScoreLine, ...]
    episodes: tuple[Episode, ...]
    associations: tuple[Association, ...]
    caregiver_reports: tuple[CaregiverReport, ...]
    alerts: tuple[AlertLine, ...]
    goals: tuple[tuple[Goal, Progress], ...]
    notes: tuple[DiaryEntry, ...]  # entries with a note, newest first
    entries: tuple[DiaryEntry, ...]  # entries of the period, oldest first
    symptom_labels: Mapping[str, str]
    flags: tuple[Flag, ...]
    diary_adherence: Adherence
    recent_adherence: Adherence
    rise_on: date | None
    urgent_alerts: tuple[AlertLine, ...] = ()  # open, critical or urgent, most urgent first
    plan_changes: tuple[tuple[int, datetime], ...] = ()  # care-plan (version, saved at)
    visit_times: tuple[datetime, ...] = ()  # follow-ups (done or planned), oldest first
    marks: tuple[Mark, ...] = ()  # events on the diary charts' time axis, by day

    @property
    def plan_changed_since_visit(self) -> tuple[int, datetime] | None:
        """The newest care-plan version saved after the last visit, if any."""
        if self.last_visit is None:
            return None
        later = [c for c in self.plan_changes if c[1] > self.last_visit]
        return later[-1] if later else None

    @property
    def reports_since_visit(self) -> tuple[CaregiverReport, ...]:
        if self.last_visit is None:
            return self.caregiver_reports
        since = self.last_visit.astimezone(self.zone).date()
        return tuple(r for r in self.caregiver_reports if r.day >= since)


def build(patient: Patient, *, code: str, now: datetime) -> Summary:
    # Reads.
    visits = followup_queries.for_patient(patient)
    zone = patient_zone(patient)
    last_visit = max(
        (
            v.appointment.starts_at
            for v in visits
            if v.appointment.status == AppointmentStatus.DONE and v.appointment.starts_at <= now
        ),
        default=None,
    )
    next_visit = min(
        (
            v
            for v in visits
            if v.appointment.status == AppointmentStatus.PLANNED and v.appointment.starts_at >= now
        ),
        key=lambda v: v.appointment.starts_at,
        default=None,
    )
    today = now.astimezone(zone).date()
    period = resolve_period(
        code, today=today, last_visit_day=last_visit.astimezone(zone).date() if last_visit else None
    )
    reads = trend_queries.summary_reads(
        patient,
        lead_start=period.start - timedelta(days=LEAD_DAYS),
        start=period.start,
        end=today,
        zone=zone,
    )
    entries = tuple(e for e in reads.entries if e.local_date >= period.start)
    labels = {s.key: s.label for s in reads.tracked}
    tracked = [s.key for s in reads.tracked]
    rated = sorted({r.symptom_key for e in entries for r in e.symptoms})
    keys = [*tracked, *(k for k in rated if k not in tracked)]
    for key in keys:
        labels.setdefault(key, symptom_label(key, labels))

    # Pure analytics.
    days = period.days
    trends = analysis.diary_trends(
        reads.entries,
        days=days,
        symptom_keys=keys,
        enrolled_on=patient.enrolled_at.astimezone(zone).date(),
        today=today,
    )
    scores = analysis.score_lines(
        reads.questionnaires,
        # Social-needs screens have no score: their result is the summary's top card.
        {k: d for k, d in loader.registry().items() if not d.social_needs},
        days=days,
        now=now,
        last_visit=last_visit,
        zone=zone,
        menstruates=patient.menstruates,
    )
    titles = {d.id: d.short_title for d in loader.registry().values()}
    alerts = tuple(
        (a, who, rule_label(a.rule_code, titles)) for a, who in analysis.urgent_first(reads.alerts)
    )
    flags = analysis.summary_flags(
        open_alert=any(a.acknowledged_at is None for a, _who in reads.alerts),
        scores=scores,
        rise_on=trends.rise_on,
        recent=trends.recent_adherence,
        last_visit=last_visit,
        any_entry=bool(entries),
    )

    # Charts.
    visit_times = tuple(
        sorted(
            v.appointment.starts_at
            for v in visits
            if v.appointment.status in {AppointmentStatus.DONE, AppointmentStatus.PLANNED}
        )
    )
    marks = timeline(
        days=days,
        zone=zone,
        visit_times=visit_times,
        plan_changes=reads.plan_changes,
        scores=scores,
    )
    score_charts = tuple(
        charts.score_chart(
            line.definition,
            line.definition.short_title,
            line.plots,
            days,
            answered=line.answered,
            due=line.due,
        )
        for line in scores
        if line.in_period
    )
    return Summary(
        patient=patient,
        period=period,
        now=now,
        zone=zone,
        last_visit=last_visit,
        next_visit=next_visit,
        charts=charts.diary_charts(trends, labels, days, chart_events(marks, days[0])),
        score_charts=score_charts,
        scores=scores,
        episodes=trends.episodes,
        associations=trends.associations,
        caregiver_reports=reads.caregiver_reports,
        alerts=alerts,
        goals=reads.goals,
        notes=tuple(e for e in reversed(entries) if e.notes),
        entries=entries,
        symptom_labels=MappingProxyType(labels),
        flags=flags,
        diary_adherence=trends.adherence,
        recent_adherence=trends.recent_adherence,
        rise_on=trends.rise_on,
        urgent_alerts=tuple(
            line
            for line in alerts
            if line[0].acknowledged_at is None
            and analysis.alert_level(line[0].rule_code, line[0].severity) <= 1
        ),
        plan_changes=reads.plan_changes,
        visit_times=visit_times,
        marks=marks,
    )
