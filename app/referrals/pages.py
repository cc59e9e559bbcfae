"""What the referral views share: filling the referral form's choices, turning a form into a
`services.create` call, wording refusals next to the field they concern, loading a referral
the current user may see (audited; anything else is a 404)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app import audit
from app.auth.models import Discipline, User
from app.careteam.models import Patient
from app.db import db
from app.forms import uuid_or_none
from app.i18n.bidi import isolate
from app.labels import DISCIPLINE_LABELS
from app.referrals import queries, services
from app.referrals.forms import ReferralForm
from app.referrals.labels import HELP_KINDS, NEED_CODES, REFUSAL_MESSAGES
from app.referrals.machine import Party, Refused
from app.referrals.models import Referral, TargetKind, Urgency

FIELD_OF = {
    "service_unavailable": "service",
    "consent_required": "consent",
    "target_required": "target_kind",
    "reason_required": "reason",
    "text_too_long": "reason",
}


def refusal_text(code: str) -> str:
    words = {
        "service_unavailable": _("This service does not exist or is no longer active."),
        "consent_required": _(
            "Record the patient's consent to share with this outside service, or choose another target."
        ),
        "target_required": _("Choose the discipline or the clinician the referral goes to."),
        "text_too_long": _("Use at most 1000 characters."),
    }
    return words.get(code) or str(REFUSAL_MESSAGES.get(code, REFUSAL_MESSAGES["forbidden"]))


def fill_choices(form: ReferralForm, patient: Patient, *, internal_only: bool = False) -> None:
    form.discipline.choices = [SelectChoice("", _("Choose a discipline"))] + [
        SelectChoice(d.value, DISCIPLINE_LABELS[d]) for d in Discipline
    ]
    form.clinician.choices = [SelectChoice("", _("Choose a clinician"))] + [
        SelectChoice(str(c.id), isolate(c.display_name))
        for c in queries.colleagues(patient.clinic_id)
    ]
    active = [] if internal_only else queries.services(patient.clinic_id, active_only=True)
    form.service.choices = [SelectChoice("", _("Choose a service"))] + [
        SelectChoice(
            str(s.id),
            isolate(s.name)
            + " · "
            + ", ".join(str(HELP_KINDS[k]) for k in s.help_kinds if k in HELP_KINDS),
        )
        for s in active
    ]
    if internal_only:
        form.target_kind.choices = [c for c in form.target_kind.choices if c.value != "service"]


def prefill(form: ReferralForm, args: Any) -> None:
    """From the social-needs suggestion (`?service=<id>&need=food`): nothing is sent."""
    if uuid_or_none(args.get("service")) is not None:
        form.target_kind.data = TargetKind.SERVICE.value
        form.service.data = args.get("service")
    if args.get("need") in NEED_CODES:
        form.need.data = args.get("need")


def submit(
    form: ReferralForm, patient: Patient, *, send: bool, rerouted_from: Referral | None = None
) -> Referral | None:
    """Create the referral from a validated form; a refusal becomes a field error (None)."""
    kind = TargetKind(form.target_kind.data)
    discipline = form.discipline.data if form.discipline.data in set(Discipline) else None
    target_user = None
    if kind == TargetKind.CLINICIAN:
        chosen = uuid_or_none(form.clinician.data)
        target_user = next(
            (c for c in queries.colleagues(patient.clinic_id) if c.id == chosen), None
        )
    service = None
    if kind == TargetKind.SERVICE:
        service = queries.service_of_clinic(patient.clinic_id, uuid_or_none(form.service.data))
    values: dict[str, Any] = {
        "patient": patient,
        "requester": current_user._get_current_object(),
        "target_kind": kind,
        "discipline": Discipline(discipline) if discipline else None,
        "target_user": target_user,
        "service": service,
        "reason": form.reason.data or "",
        "question": form.question.data,
        "urgency": Urgency(form.urgency.data),
        "shared": list(form.shared.data or []),
        "consent": bool(form.consent.data) or kind != TargetKind.SERVICE,
        "need": form.need.data if form.need.data in NEED_CODES else None,
        "send": send,
    }
    if kind == TargetKind.SERVICE:
        values["consent"] = bool(form.consent.data)
    try:
        if rerouted_from is not None:
            return services.reroute(declined=rerouted_from, **values)
        return services.create(**values)
    except Refused as refused:
        db.session.rollback()
        field = getattr(form, FIELD_OF.get(refused.code, "target_kind"))
        field.errors = [*field.errors, refusal_text(refused.code)]
        return None


def referral_or_404(referral_id: uuid.UUID) -> tuple[queries.Row, set[Party]]:
    """The referral if the current user is on its referring or receiving side; audited."""
    row = queries.row(referral_id)
    sides = queries.parties(current_user, row.referral, row.patient) if row else set()
    audit.record(
        "referral.view",
        patient_id=row.patient.id if row else None,
        outcome=audit.Outcome.ALLOWED if sides else audit.Outcome.DENIED,
        object_type="referral",
        object_id=str(referral_id),
    )
    db.session.commit()
    if not sides or row is None:
        abort(404)
    return row, sides


def target_name(row: queries.Row) -> str:
    referral = row.referral
    if referral.target_kind == TargetKind.SERVICE and row.service is not None:
        return row.service.name
    if referral.target_kind == TargetKind.CLINICIAN and row.target_user is not None:
        return row.target_user.display_name
    if referral.target_discipline is not None:
        return str(DISCIPLINE_LABELS[referral.target_discipline])
    return ""


def is_staff(user: User) -> bool:
    return user.is_authenticated and user.role in ("clinician", "coordinator")
