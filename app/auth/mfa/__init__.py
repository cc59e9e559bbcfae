"""Second factors for signing in: TOTP authenticator apps, passkeys (WebAuthn) and recovery
codes, the partially signed-in state between the password and the second factor, and the
REQUIRE_STAFF_2FA gate. Part of the core `auth` package (its routes live on `auth.bp`)."""
