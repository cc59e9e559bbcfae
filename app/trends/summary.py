"""The pre-visit summary: gather a fixed set of reads for one patient and shape them with the
pure analytics (no writes; the view audits and commits)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from app.alerts.models import Alert
from app.alerts.rules import rule_label
from app.auth.models import User
from app.careplan import queries as careplan_queries
from app.careplan.progress import Progress
from app.careteam.models import Patient
from app.diary import catalogs
from app.diary import queries as diary_queries
from app.diary.insights import Association, find_patterns
from app.diary.models import ActivityKind, DiaryEntry
from app.diary.pages import day_facts
from app.followups import queries as followup_queries
from app.followups.models import AppointmentStatus
from app.i18n.bidi import isolate
from app.instruments import loader, scoring
from app.instruments.models import Occurrence, Response
from app.instruments.queries import occurrence_status
from app.trends import analytics, charts
from app.trends import queries as trend_queries

PERIODS = ("since_last", "30", "90", "365")
LEAD_DAYS = 28  # read before the period: the patient's own medians for pacing and rises
DEFAULT_DAYS = 30
NO_DAYS = analytics.Adherence(0, 0)


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


@dataclass(frozen=True)
class ScoreLine:
    definition: loader.Definition
    change: analytics.ScoreChange
    latest_response: Response | None
    answered: int
    due: int
    substitutions: int  # answered in another language than preferred, in the period
    period_responses: list[Response] = field(default_factory=list)


@dataclass
class Summary:
    patient: Patient
    period: Period
    now: datetime
    last_visit: datetime | None
    next_visit: Any
    charts: list[charts.Chart] = field(default_factory=list)
    score_charts: list[charts.Chart] = field(default_factory=list)
    scores: list[ScoreLine] = field(default_factory=list)
    episodes: list[analytics.Episode] = field(default_factory=list)
    associations: list[Association] = field(default_factory=list)
    caregiver_reports: list[trend_queries.CaregiverReport] = field(default_factory=list)
    alerts: list[tuple[Alert, User | None, str]] = field(default_factory=list)
    goals: list[tuple[Any, Progress]] = field(default_factory=list)
    notes: list[DiaryEntry] = field(default_factory=list)
    entries: list[DiaryEntry] = field(default_factory=list)
    symptom_labels: dict[str, str] = field(default_factory=dict)
    flags: list[analytics.Flag] = field(default_factory=list)
    diary_adherence: analytics.Adherence = NO_DAYS
    recent_adherence: analytics.Adherence = NO_DAYS
    rise_on: date | None = None


def build(patient: Patient, *, code: str, now: datetime) -> Summary:
    visits = followup_queries.for_patient(patient)
    zone = diary_queries.patient_zone(patient)
    done = [
        v.appointment.starts_at
        for v in visits
        if v.appointment.status == AppointmentStatus.DONE and v.appointment.starts_at <= now
    ]
    last_visit = max(done, default=None)
    planned = [
        v
        for v in visits
        if v.appointment.status == AppointmentStatus.PLANNED and v.appointment.starts_at >= now
    ]
    today = now.astimezone(zone).date()
    period = resolve_period(
        code, today=today, last_visit_day=last_visit.astimezone(zone).date() if last_visit else None
    )
    summary = Summary(
        patient,
        period,
        now,
        last_visit,
        min(planned, key=lambda v: v.appointment.starts_at, default=None),
    )
    loaded = diary_queries.entries_between(patient, period.start - timedelta(days=LEAD_DAYS), today)
    tracked = diary_queries.tracked_symptoms(patient)
    summary.symptom_labels = {s.key: s.label for s in tracked}
    summary.entries = [e for e in loaded if e.local_date >= period.start]
    _diary(summary, loaded, [s.key for s in tracked])
    _questionnaires(summary, trend_queries.questionnaire_rows(patient), zone)
    summary.caregiver_reports = trend_queries.caregiver_reports(
        patient, period.start, today, zone=zone
    )
    since = datetime.combine(period.start, datetime.min.time(), tzinfo=zone)
    titles = {d.id: d.short_title for d in loader.registry().values()}
    summary.alerts = [
        (a, who, rule_label(a.rule_code, titles)) for a, who in trend_queries.alerts(patient, since)
    ]
    latest = careplan_queries.latest_version(patient)
    if latest is not None:
        summary.goals = [
            (g, careplan_queries.goal_progress(patient, g, today)) for g in latest.plan.goals
        ]
    _flags(summary)
    return summary


def _diary(summary: Summary, loaded: list[DiaryEntry], tracked: list[str]) -> None:
    period = summary.period
    days = period.days
    by_day = {e.local_date: e for e in summary.entries}
    summary.diary_adherence = analytics.adherence(by_day, start=period.start, end=period.end)
    summary.notes = [e for e in reversed(summary.entries) if e.notes]
    summary.recent_adherence = analytics.adherence(
        (e.local_date for e in loaded),
        start=period.end - timedelta(days=analytics.ADHERENCE_DAYS - 1),
        end=period.end,
    )

    def series(pick) -> list[float | None]:
        return [pick(by_day[d]) if d in by_day else None for d in days]

    rated = sorted({r.symptom_key for e in summary.entries for r in e.symptoms})
    keys = [*tracked, *(k for k in rated if k not in tracked)]
    for key in keys:
        summary.symptom_labels.setdefault(key, catalogs.symptom_label(key, summary.symptom_labels))
    out = [
        charts.day_chart(
            "overall",
            _("Overall symptom level (0 to 10)"),
            series(diary_queries.heaviness),
            days,
            y_max=10,
        )
    ]
    for key in keys:
        label = _("%(symptom)s (0 to 10)", symptom=isolate(summary.symptom_labels[key]))
        out.append(
            charts.day_chart(
                f"symptom-{key}",
                label,
                series(lambda e, k=key: e.symptom_scores().get(k)),
                days,
                y_max=10,
            )
        )
    for key, title in (
        ("mood", _("Mood (0 to 10)")),
        ("stress", _("Stress (0 to 10)")),
        ("energy", _("Energy (0 to 10)")),
    ):
        out.append(
            charts.day_chart(key, title, series(lambda e, k=key: getattr(e, k)), days, y_max=10)
        )
    out.append(
        charts.day_chart(
            "sleep_hours",
            _("Sleep duration (hours)"),
            series(lambda e: None if e.sleep_minutes is None else round(e.sleep_minutes / 60, 1)),
            days,
            y_max=12,
        )
    )
    out.append(
        charts.day_chart(
            "sleep_quality",
            _("Sleep quality (1 to 5)"),
            series(lambda e: e.sleep_quality),
            days,
            y_max=5,
            y_min=1,
        )
    )
    kinds = {k.value: str(catalogs.ACTIVITY_KINDS[k]) for k in ActivityKind}
    by_kind = {
        kind: series(
            lambda e, k=kind: next((b.done_minutes for b in e.activities if b.kind == k), None)
        )
        for kind in kinds
    }
    out.append(charts.activity_chart(by_kind, kinds, days))
    summary.charts = out

    facts = day_facts(loaded)
    activity = {d: f.activity_minutes for d, f in facts.items() if f.activity_minutes is not None}
    levels = {e.local_date: h for e in loaded if (h := diary_queries.heaviness(e)) is not None}
    summary.episodes = [
        ep for ep in analytics.boom_bust(activity, levels) if ep.flare_on >= period.start
    ]
    report = find_patterns(facts)
    summary.associations = [a for a in report.associations if a.difference > 0]
    summary.rise_on = analytics.sustained_rise(levels, today=period.end)


def _questionnaires(summary: Summary, rows: list[tuple[Occurrence, Response | None]], zone) -> None:
    period = summary.period
    registry = loader.registry()
    days = period.days
    for instrument_id in sorted({o.instrument_id for o, _r in rows}):
        definition = registry.get(instrument_id)
        if definition is None:
            continue
        mine = [(o, r) for o, r in rows if o.instrument_id == instrument_id]
        submitted = [r for _o, r in mine if r is not None and r.submitted_at is not None]
        points = [
            analytics.ScorePoint(r.submitted_at, r.total, r.band, r.substituted) for r in submitted
        ]
        change = analytics.score_change(definition, points, last_visit=summary.last_visit)
        in_period = [(o, r) for o, r in mine if period.start <= o.due_date <= period.end]
        closed = [
            (o, r)
            for o, r in in_period
            if occurrence_status(o, r, summary.now) in {"completed", "missed"}
        ]
        answered = sum(1 for o, r in closed if occurrence_status(o, r, summary.now) == "completed")
        plots, previous = [], None
        for o, r in in_period:
            status = occurrence_status(o, r, summary.now)
            if status == "missed":
                plots.append(charts.ScorePlot((o.due_date - period.start).days, None))
            elif status == "completed" and r is not None:
                day = r.submitted_at.astimezone(zone).date()
                flagged = False
                if r.total is not None and previous is not None:
                    flagged = scoring.change(definition, r.total, previous).flag is not None
                plots.append(
                    charts.ScorePlot(
                        min((day - period.start).days, len(days) - 1), r.total, flagged
                    )
                )
            if r is not None and r.total is not None and r.submitted_at is not None:
                previous = r.total
        if not in_period and change.latest is None:
            continue
        latest = submitted[-1] if submitted else None
        substituted = sum(
            1 for _o, r in in_period if r is not None and r.submitted_at and r.substituted
        )
        in_period_responses = [r for _o, r in in_period if r is not None and r.submitted_at]
        summary.scores.append(
            ScoreLine(
                definition, change, latest, answered, len(closed), substituted, in_period_responses
            )
        )
        if in_period:
            summary.score_charts.append(
                charts.score_chart(
                    definition,
                    definition.short_title,
                    plots,
                    days,
                    answered=answered,
                    due=len(closed),
                )
            )


def _flags(summary: Summary) -> None:
    flags = []
    if any(a.acknowledged_at is None for a, _w, _l in summary.alerts):
        flags.append(analytics.Flag.OPEN_ALERT)
    if any(line.change.worse for line in summary.scores):
        flags.append(analytics.Flag.WORSENING)
    if summary.rise_on is not None:
        flags.append(analytics.Flag.SYMPTOM_RISE)
    if summary.recent_adherence.low:
        flags.append(analytics.Flag.LOW_ADHERENCE)
    if any(line.due > line.answered for line in summary.scores):
        flags.append(analytics.Flag.OVERDUE_QUESTIONNAIRE)
    if (
        summary.last_visit is not None
        and not summary.entries
        and not any(
            line.latest_response and line.latest_response.submitted_at >= summary.last_visit
            for line in summary.scores
        )
    ):
        flags.append(analytics.Flag.NO_DATA_SINCE_VISIT)
    summary.flags = flags
