"""Log lines carry no patient data and no usable secret.

- SQL parameters: the engine hides them (`hide_parameters=True` in `app.db`), so a database
  error names the statement but not the values.
- What a database error still echoes: PostgreSQL's ``DETAIL`` line repeats the duplicate
  key's values or the whole failing row (patient id, date, scores, trigger tags).
  `RedactingFilter`, on every root handler and on gunicorn's, replaces it, and any
  SQLAlchemy ``[parameters: ...]`` dump (should parameters ever be shown again), in the
  message and in the traceback. Defence in depth, deliberately small: two patterns.
- Paths: a request is logged by its route pattern (``/m/<token>``,
  ``/patients/<patient_id>/diary/quick``), never by its path, which can carry a one-time
  token or a patient id; the query string and the referrer are left out. Paths that match no
  route are logged as ``<unmatched>``. The app stores the matched rule in the WSGI environ
  (``heed.route``) for gunicorn's access log (`RouteAccessLogger`, set in the Procfile);
  the development server's request lines are rewritten against the URL map
  (`DevServerAccessFilter` on the ``werkzeug`` logger).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, request, request_started
from gunicorn.glogging import Logger as GunicornLogger
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

ROUTE_KEY = "heed.route"
UNMATCHED = "<unmatched>"

_REDACTIONS = (
    # psycopg: "DETAIL:  Key (patient_id, local_date)=(…) already exists." / "Failing row contains (…)."
    (re.compile(r"^DETAIL:.*$", re.MULTILINE), "DETAIL: [redacted]"),
    # SQLAlchemy's parameter dump after "[SQL: …]" (one line, a repr).
    (re.compile(r"\[parameters: [^\n]*"), "[parameters: redacted]"),
)
_traceback_formatter = logging.Formatter()


def redact(text: str) -> str:
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Redacts a record's message and traceback in place; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _traceback_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def redact_handlers(logger: logging.Logger) -> None:
    """Put one RedactingFilter on each of the logger's handlers."""
    for handler in logger.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def pattern_of(rule: Rule) -> str:
    """A rule as logged: ``/patients/<patient_id>``, without converters (``<uuid:...>``)."""
    return _CONVERTER.sub(r"<\1>", rule.rule)


def route_pattern() -> str:
    """The current request's route pattern, for log lines (never the path)."""
    rule = request.url_rule
    return pattern_of(rule) if rule is not None else UNMATCHED


def _remember_route(_sender: Flask, **_extra: Any) -> None:
    """On `request_started`, before any before_request hook can answer early."""
    request.environ[ROUTE_KEY] = route_pattern()


class Heed(Flask):
    """Flask, logging an unhandled exception with the route pattern instead of the path."""

    def log_exception(self, exc_info: Any) -> None:
        self.logger.error(
            "Exception on %s [%s]", route_pattern(), request.method, exc_info=exc_info
        )


class DevServerAccessFilter(logging.Filter):
    """Rewrites the development server's request line ``"GET /m/abc HTTP/1.1" 200 -`` to
    ``"GET /m/<token> HTTP/1.1" 200 -`` (werkzeug logs it as the first argument of
    ``'"%s" %s %s'``, possibly wrapped in colour codes); a line it cannot parse is dropped."""

    request_format = '"%s" %s %s'
    request_line = re.compile(r"(?P<method>[A-Z]+) (?P<target>\S+) (?P<protocol>HTTP/[\d.]+)")

    def __init__(self, url_map: Map) -> None:
        super().__init__()
        self.url_map = url_map

    def route(self, method: str, target: str) -> str:
        path = target.split("?", 1)[0]
        try:
            rule, _ = self.url_map.bind("localhost").match(path, method, return_rule=True)
        except HTTPException:  # not found, wrong method, or a redirect (RequestRedirect)
            return UNMATCHED
        return pattern_of(rule)

    def filter(self, record: logging.LogRecord) -> bool:
        if not (str(record.msg).endswith(self.request_format) and isinstance(record.args, tuple)):
            return True
        line, *rest = record.args
        match = self.request_line.search(str(line))
        if match is None:
            return False
        route = self.route(match["method"], match["target"])
        record.args = (f"{match['method']} {route} {match['protocol']}", *rest)
        return True


class RouteAccessLogger(GunicornLogger):
    """gunicorn's logger, with the request path replaced by the route the app matched."""

    hidden_atoms = ("{referer}i",)

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        route = environ.get(ROUTE_KEY, UNMATCHED)
        atoms["U"] = route
        atoms["r"] = f"{environ['REQUEST_METHOD']} {route} {environ['SERVER_PROTOCOL']}"
        atoms["q"] = atoms["f"] = "-"
        for key in [k for k in atoms if k.endswith("}e") or k in self.hidden_atoms]:
            del atoms[key]  # environ values repeat the path and the query string
        return atoms

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        redact_handlers(self.error_log)
        redact_handlers(self.access_log)


def init_app(app: Flask) -> None:
    redact_handlers(logging.getLogger())
    request_started.connect(_remember_route, app)
    werkzeug_logger = logging.getLogger("werkzeug")
    existing = [f for f in werkzeug_logger.filters if isinstance(f, DevServerAccessFilter)]
    if existing:
        existing[0].url_map = app.url_map
    else:
        werkzeug_logger.addFilter(DevServerAccessFilter(app.url_map))
