"""RFC 9457 problem details: every error the API answers is `application/problem+json` with a
`title` in the caller's language, the `status`, and (for a refused body) the fields at fault."""

from __future__ import annotations

from typing import Any

from flask import Response, json, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: _l("The request could not be read."),
    401: _l("Sign in or send a valid access token."),
    403: _l("This access token may not do that."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("This was already sent with different content."),
    412: _l("The entry was changed since you read it."),
    413: _l("The request is too large."),
    415: _l("Send the body as JSON."),
    422: _l("Some values are not valid."),
    428: _l("Say which version you are changing (If-Match)."),
    429: _l("Too many requests. Wait a moment and try again."),
    500: _l("Something went wrong on our side."),
}
# A short, stable machine-readable name per status (the `type` URI's last segment).
SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "precondition-failed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid",
    428: "precondition-required",
    429: "rate-limited",
    500: "server-error",
}


class Problem(HTTPException):
    """Raise to answer with a problem document (views, hooks and validation alike)."""

    def __init__(
        self,
        status: int,
        *,
        detail: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(description=detail)
        self.code = status
        self.errors, self.extra, self.headers = errors, extra, headers or {}

    def get_response(self, environ: Any = None, scope: Any = None) -> Response:  # type: ignore[override]
        return problem(
            self.code or 500,
            detail=self.description,
            errors=self.errors,
            headers=self.headers,
            **self.extra,
        )


def problem(
    status: int,
    *,
    detail: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    title = TITLES.get(status)
    body: dict[str, Any] = {
        "type": f"/api/v1/problems/{SLUGS.get(status, 'error')}",
        "title": str(title) if title is not None else _("Error"),
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers["Content-Language"] = _current_locale()
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def field_errors(errors: dict[str, str]) -> list[dict[str, str]]:
    return [{"field": field, "detail": detail} for field, detail in sorted(errors.items())]


def from_http_error(exc: HTTPException) -> Response:
    if isinstance(exc, Problem):
        return exc.get_response()
    status = exc.code or 500
    headers = {}
    if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    return problem(status, headers=headers)


def _current_locale() -> str:
    locale = get_locale()
    return str(locale).replace("_", "-") if locale is not None else "en"
