"""The pure parts of the second factor: TOTP steps and windows, recovery code shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp

from app.auth.mfa import recovery, totp

NOW = datetime(2026, 12, 2, 8, 0, 10, tzinfo=UTC)


def test_a_code_matches_its_step_and_one_step_either_side_only():
    secret = totp.new_secret()
    assert len(secret) == 32
    step = totp.time_step(NOW)
    assert totp.code_at(secret, step) == pyotp.TOTP(secret).at(NOW)
    for offset in (-1, 0, 1):
        assert totp.matching_step(secret, totp.code_at(secret, step + offset), NOW) == step + offset
    for offset in (-3, -2, 2, 3):
        code = totp.code_at(secret, step + offset)
        if code not in {totp.code_at(secret, step + o) for o in (-1, 0, 1)}:
            assert totp.matching_step(secret, code, NOW) is None


def test_a_code_expires_after_its_step_and_the_window():
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    assert totp.matching_step(secret, code, NOW + timedelta(seconds=30)) is not None
    later = NOW + timedelta(seconds=90)
    if code not in {totp.code_at(secret, totp.time_step(later) + o) for o in (-1, 0, 1)}:
        assert totp.matching_step(secret, code, later) is None


def test_typed_codes_are_normalized_and_garbage_never_matches():
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", NOW) is not None
    for garbage in (
        "",
        "12345",
        "1234567",
        "abcdef",
        "\uff11\uff12\uff13\uff14\uff15\uff16",
        "\x00" * 6,
    ):
        assert totp.matching_step(secret, garbage, NOW) is None


def test_the_qr_code_is_an_inline_svg_of_the_otpauth_uri():
    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret, "clinician@example.org")
    assert uri.startswith("otpauth://totp/Heed:clinician%40example.org?secret=" + secret)
    assert "issuer=Heed" in uri
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and "<script" not in svg and "style=" not in svg
    assert totp.group("ABCDEFGH") == "ABCD EFGH"


def test_recovery_codes_are_ten_distinct_50_bit_codes():
    codes = recovery.new_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert len(code) == 11 and code[5] == "-"
        assert recovery.looks_like_code(code)
        assert recovery.looks_like_code(code.lower().replace("-", " "))
    assert len(recovery.ALPHABET) == 32  # 10 characters x 5 bits
    for garbage in ("", "ABCDE-1234", "ABCDE-23456X", "OOOOO-IIIII"):
        assert not recovery.looks_like_code(garbage)
