"""Passkeys (WebAuthn, py_webauthn): registration and sign-in ceremonies. The relying party
id is the host of PUBLIC_BASE_URL and the expected origin is that URL's scheme, host and
port. Each ceremony's challenge lives in the signed session and is used once: a replayed
assertion finds no challenge; the signature counter refuses a cloned authenticator."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, session
from sqlalchemy import delete, select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from app.auth.mfa.models import Passkey, UsedChallenge
from app.auth.models import User
from app.db import db, insert_ignoring_duplicates, utcnow

CEREMONY = "_heed_webauthn"
CEREMONY_LIFETIME = timedelta(minutes=5)
NAME_MAX = 60


class PasskeyError(ValueError):
    """A ceremony that did not verify (expired, replayed, wrong origin, unknown key…)."""


def relying_party() -> tuple[str, str]:
    """(rp id, expected origin) from PUBLIC_BASE_URL."""
    parts = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    return parts.hostname or "localhost", f"{parts.scheme}://{parts.netloc}"


def _begin(purpose: str, challenge: bytes) -> None:
    session[CEREMONY] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "at": utcnow().isoformat(),
    }


def _take_challenge(purpose: str, now: datetime) -> bytes:
    """The challenge of the ceremony begun for `purpose`, removed from the session."""
    state = session.pop(CEREMONY, None)
    if not isinstance(state, dict) or state.get("purpose") != purpose:
        raise PasskeyError("no ceremony in progress")
    try:
        started = datetime.fromisoformat(state["at"])
        challenge = base64url_to_bytes(state["challenge"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PasskeyError("malformed ceremony state") from exc
    if now - started > CEREMONY_LIFETIME:
        raise PasskeyError("ceremony expired")
    _use_once(challenge, now)
    return challenge


def _use_once(challenge: bytes, now: datetime) -> None:
    """Record the challenge as answered; a second answer (an old cookie replayed, in any
    process) is refused. Records older than twice a ceremony's lifetime are dropped."""
    db.session.execute(
        delete(UsedChallenge).where(UsedChallenge.used_at < now - 2 * CEREMONY_LIFETIME)
    )
    digest = hashlib.sha256(challenge).hexdigest()
    if not insert_ignoring_duplicates(
        db.session, UsedChallenge, [{"digest": digest, "used_at": now}]
    ):
        raise PasskeyError("challenge already answered")


def keys(user: User) -> list[Passkey]:
    return list(
        db.session.scalars(
            select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at)
        )
    )


def _descriptor(key: Passkey) -> PublicKeyCredentialDescriptor:
    transports = [AuthenticatorTransport(t) for t in key.transports.split() if t]
    return PublicKeyCredentialDescriptor(id=key.credential_id, transports=transports or None)


def registration_options(user: User) -> str:
    rp_id, _origin = relying_party()
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name="Heed",
        user_name=user.email or str(user.id),
        user_id=user.id.bytes,
        user_display_name=user.display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[_descriptor(key) for key in keys(user)],
    )
    _begin("register", options.challenge)
    return options_to_json(options)


def register(*, user: User, credential: Any, name: str) -> Passkey:
    """Verify a registration response and store the key under `name`."""
    name = " ".join(str(name or "").split())
    if not name or len(name) > NAME_MAX:
        raise PasskeyError("bad name")
    challenge = _take_challenge("register", utcnow())
    rp_id, origin = relying_party()
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise PasskeyError("registration did not verify") from exc
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == verified.credential_id)):
        raise PasskeyError("credential already registered")
    transports = (
        credential.get("response", {}).get("transports", []) if isinstance(credential, dict) else []
    )
    known = {t.value for t in AuthenticatorTransport}
    key = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=name,
        transports=" ".join(t for t in transports if isinstance(t, str) and t in known)[:120],
    )
    db.session.add(key)
    db.session.flush()
    return key


def authentication_options(user: User | None) -> str:
    """Options for a second factor (`user` known: their keys) or a passwordless sign-in
    (`user` None: any discoverable key, user verification required)."""
    rp_id, _origin = relying_party()
    if user is None:
        options = generate_authentication_options(
            rp_id=rp_id, user_verification=UserVerificationRequirement.REQUIRED
        )
    else:
        options = generate_authentication_options(
            rp_id=rp_id,
            allow_credentials=[_descriptor(key) for key in keys(user)],
            user_verification=UserVerificationRequirement.PREFERRED,
        )
    _begin("sign_in" if user is None else "second_factor", options.challenge)
    return options_to_json(options)


def authenticate(*, credential: Any, user: User | None) -> Passkey:
    """Verify an assertion; returns the key used (for `user` when given). Updates the
    signature counter and last-used time."""
    now = utcnow()
    challenge = _take_challenge("sign_in" if user is None else "second_factor", now)
    try:
        raw_id = base64url_to_bytes(credential["rawId"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PasskeyError("malformed credential") from exc
    query = select(Passkey).where(Passkey.credential_id == raw_id)
    if user is not None:
        query = query.where(Passkey.user_id == user.id)
    key = db.session.scalar(query)
    if key is None:
        raise PasskeyError("unknown key")
    rp_id, origin = relying_party()
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count,
            require_user_verification=user is None,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as exc:
        raise PasskeyError("assertion did not verify") from exc
    key.sign_count, key.last_used_at = verified.new_sign_count, now
    db.session.flush()
    return key


def owner(credential: Any) -> User | None:
    """Whose registered key a (possibly invalid) assertion names, if any."""
    try:
        raw_id = base64url_to_bytes(credential["rawId"])
    except (KeyError, TypeError, ValueError):
        return None
    key = db.session.scalar(select(Passkey).where(Passkey.credential_id == raw_id))
    return db.session.get(User, key.user_id) if key is not None else None


def remove(*, user: User, key_id: uuid.UUID) -> Passkey | None:
    key = db.session.scalar(select(Passkey).where(Passkey.id == key_id, Passkey.user_id == user.id))
    if key is not None:
        db.session.delete(key)
        db.session.flush()
    return key


def parse_body(raw: bytes) -> tuple[Any, str]:
    """(credential, name) from the ceremony's JSON body; PasskeyError when malformed."""
    try:
        body = json.loads(raw or b"{}")
    except ValueError as exc:
        raise PasskeyError("malformed body") from exc
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        raise PasskeyError("malformed body")
    return body["credential"], str(body.get("name") or "")
