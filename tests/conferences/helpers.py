"""Shared builders for case-conference tests: a clinic with two clinicians, a coordinator,
patients on their teams, a stand-in agenda rule, and a scheduled conference."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.auth.models import Discipline, User
from app.careteam.models import Clinic, Patient
from app.conferences import services
from app.conferences.models import CaseConference, Modality
from app.db import db
from app.signals import agenda_candidates
from app.web.teamcare import AgendaReason

NOT_IMPROVING = "Not improving by weeks 8 to 12 (PHQ-9)"  # the registry's label, in English


@dataclass
class World:
    clinic: Clinic
    coordinator: User
    lead: User
    psychiatrist: User
    flagged: Patient  # reported by the stand-in rule
    other: Patient  # on the team, not flagged
    stranger: Patient  # another clinician's patient, not invited


def make_world(make) -> World:
    clinic = make.clinic()
    coordinator = make.coordinator(clinic)
    lead = make.clinician(clinic, Discipline.PRIMARY_CARE)
    psychiatrist = make.clinician(clinic, Discipline.PSYCHIATRY)
    outsider = make.clinician(clinic, Discipline.PSYCHOLOGY)
    flagged = make.patient(clinic, team=[lead, psychiatrist])
    other = make.patient(clinic, team=[lead])
    stranger = make.patient(clinic, team=[outsider])
    return World(clinic, coordinator, lead, psychiatrist, flagged, other, stranger)


@contextmanager
def stand_in_rule(*flagged: Patient) -> Iterator[list[dict]]:
    """Connect a stand-in agenda rule reporting `flagged` as not improving; yields its calls."""
    calls: list[dict] = []
    ids = {p.id for p in flagged}

    def rule(_sender, *, clinic_id, patient_ids, since, until):
        calls.append({"clinic_id": clinic_id, "patient_ids": patient_ids, "since": since})
        return [AgendaReason(pid, "not_improving") for pid in ids & patient_ids]

    with agenda_candidates.connected_to(rule):
        yield calls


def schedule(world: World, *, now: datetime, days: int = 3) -> CaseConference:
    conference = services.schedule(
        coordinator=db.session.get(User, world.coordinator.id),
        starts_at=now + timedelta(days=days),
        modality=Modality.IN_PERSON,
        video_url=None,
        member_ids=[world.lead.id, world.psychiatrist.id],
        now=now,
    )
    return conference
