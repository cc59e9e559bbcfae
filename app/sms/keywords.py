"""Reply normalization and Twilio's standard keywords (STOP / START / HELP and their synonyms)."""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class Keyword(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"


# Twilio's default opt-out, opt-in and help keywords (Advanced Opt-Out).
STOP_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "revoke"}
)
START_WORDS = frozenset({"start", "yes", "unstop", "optin"})
HELP_WORDS = frozenset({"help", "info"})


def normalize(text: str) -> str:
    """Trim, fold case and width (NFKC turns full-width letters and digits into ASCII)."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(folded.split())


def classify(text: str) -> Keyword | None:
    word = normalize(text).strip(".!¡?¿,;:'\"")
    word = word.replace(" ", "").replace("-", "").replace("_", "")
    if word in STOP_WORDS:
        return Keyword.STOP
    if word in START_WORDS:
        return Keyword.START
    if word in HELP_WORDS:
        return Keyword.HELP
    return None


def parse_number(text: str) -> int | None:
    """A whole number from a reply; Arabic-Indic, Persian and full-width digits count as digits."""
    cleaned = normalize(text).strip(".!?,;")
    if not cleaned:
        return None
    digits = []
    for ch in cleaned:
        value = unicodedata.decimal(ch, None)
        if value is None:
            return None
        digits.append(str(value))
    if len(digits) > 3:
        return None
    return int("".join(digits))
