"""A frozen copy of a patient's pre-visit summary as it stood at the conference: the data the
team saw (flags, latest scores against baseline, diary adherence, open urgent alerts), stored
encrypted with the agenda item so the note always shows what was seen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.careteam.models import Patient
from app.trends import summary


def take(patient: Patient, *, now: datetime) -> dict[str, Any]:
    built = summary.build(patient, code="since_last", now=now)
    scores = []
    for line in built.scores:
        latest, baseline = line.change.latest, line.change.baseline
        if latest is None:
            continue
        scores.append(
            {
                "title": line.definition.short_title,
                "latest": latest.total,
                "band": latest.band,
                "at": latest.at.isoformat(),
                "baseline": baseline.total if baseline is not None else None,
            }
        )
    return {
        "taken_at": now.isoformat(),
        "period_start": built.period.start.isoformat(),
        "period_end": built.period.end.isoformat(),
        "last_visit": built.last_visit.isoformat() if built.last_visit else None,
        "flags": [int(flag) for flag in built.flags],
        "scores": scores,
        "adherence": built.recent_adherence.percent,
        "urgent_alerts": len(built.urgent_alerts),
    }
