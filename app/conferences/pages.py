"""Page builders for the case-conference views: what each page shows, read and audited here so
the views stay thin."""

from __future__ import annotations

from flask import flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.auth.models import Role, User
from app.careteam.models import Clinic
from app.conferences import decisions, forms, queries, services
from app.conferences.models import ActionStatus, CaseConference, ConferenceAction
from app.conferences.services import ConferenceError
from app.db import db, utcnow
from app.followups.localtime import NonexistentLocalTime, to_utc


def clinicians() -> list[User]:

    return list(
        db.session.scalars(
            select(User)
            .where(
                User.clinic_id == current_user.clinic_id,
                User.role == Role.CLINICIAN,
                User.active.is_(True),
            )
            .order_by(User.discipline, User.display_name)
        )
    )


def utc_start(form: forms.ScheduleForm, zone: str):
    try:
        return to_utc(form.day.data, form.at.data, zone)
    except NonexistentLocalTime as exc:
        raise ConferenceError(
            _("This time does not exist on that day (clocks change)."), "at"
        ) from exc


def mark(form, error: ConferenceError) -> None:
    """Put a refusal next to its field (or at the top of the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(str(error.message), "error")


def detail_page(conference: CaseConference, nominate_form: forms.NominateForm, *, status: int):
    now = utcnow()
    if services.ensure_frozen(conference=conference, now=now):
        pass
    elif conference.frozen_at is None:
        services.build_agenda(conference=conference, now=now)  # automatic until frozen
    visible = queries.visible(current_user, queries.items(conference))
    removed = queries.visible(current_user, queries.items(conference, removed=True))
    candidates = queries.nominable(current_user, conference)
    nominate_form.patient.choices = [
        ("", _("Choose a patient")),
        *sorted(((str(p.id), p.display_name) for p in candidates.values()), key=lambda c: c[1]),
    ]
    audit.record(
        "conference.view",
        patient_id=None,
        object_type="case_conference",
        object_id=str(conference.id),
    )
    db.session.commit()
    return render_template(
        "conferences/detail.html",
        conference=conference,
        items=visible,
        removed=removed,
        nominate_form=nominate_form,
        plain_form=forms.PlainForm(),
        can_manage=queries.may_manage(current_user, conference),
        zone=zone(conference),
        freeze_at=queries.freeze_moment(conference),
        now=now,
    ), status


def zone(conference: CaseConference) -> str:

    clinic = db.session.get(Clinic, conference.clinic_id)
    return clinic.timezone if clinic else "UTC"


def action_form(conference, agenda_item, formdata=None) -> forms.ActionForm:
    form = (
        forms.ActionForm(formdata=formdata)
        if formdata is not None
        else forms.ActionForm(formdata=None)
    )
    form.owner.choices = [("", _("Choose an owner"))] + [
        (str(u.id), u.display_name)
        for u in decisions.possible_owners(conference, agenda_item.patient_id)
    ]
    return form


def item_page(conference, agenda_item, patient, note_form, action_form, status: int = 200):
    audit.record(
        "conference.item_view",
        patient_id=patient.id,
        object_type="conference_agenda_item",
        object_id=str(agenda_item.id),
    )
    db.session.commit()
    return render_template(
        "conferences/item.html",
        conference=conference,
        item=agenda_item,
        patient=patient,
        note_form=note_form,
        action_form=action_form,
        actions=queries.actions_for(conference).get(agenda_item.id, []),
        zone=zone(conference),
        origin_token=decisions.origin_token,
        kind_links=decisions.KIND_LINKS,
    ), status


def kind_link(found: ConferenceAction, patient) -> str | None:
    endpoint = decisions.KIND_LINKS.get(found.kind)
    if endpoint is None or found.status != ActionStatus.OPEN:
        return None
    if found.kind in decisions.TRACKED_BY_ORIGIN:
        return url_for(endpoint, patient_id=patient.id, origin=decisions.origin_token(found))
    return url_for(endpoint, patient_id=patient.id)
