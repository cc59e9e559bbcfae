"""Reply normalization and the opt-out, opt-in and help keywords in every shipped language.

Twilio's Advanced Opt-Out (Messaging Service → Opt-Out Management) can be given the same words
per language; docs/sms.md ("Opt-out keywords in every language") lists them. Every word counts for
every sender, whatever their language, as Twilio applies them: a Spanish speaker with an
English profile who replies PARAR is opted out. Matching ignores case, width, accents and
Arabic diacritics (ARRÊT = ARRET = arret), and only a whole reply is a keyword.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class Keyword(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"


# Twilio's default English keywords (Advanced Opt-Out), then the words Heed adds per locale.
KEYWORDS_BY_LOCALE: dict[str, dict[Keyword, tuple[str, ...]]] = {
    "en": {
        Keyword.STOP: (
            "STOP",
            "STOPALL",
            "UNSUBSCRIBE",
            "CANCEL",
            "END",
            "QUIT",
            "OPTOUT",
            "REVOKE",
        ),
        Keyword.START: ("START", "YES", "UNSTOP", "OPTIN"),
        Keyword.HELP: ("HELP", "INFO"),
    },
    "es": {
        Keyword.STOP: ("PARAR", "BAJA", "CANCELAR", "DETENER"),
        Keyword.START: ("COMENZAR", "ALTA"),
        Keyword.HELP: ("AYUDA",),
    },
    "fr": {
        Keyword.STOP: ("ARRET", "ARRETE", "ARRETER"),
        Keyword.START: ("COMMENCER", "REPRENDRE"),
        Keyword.HELP: ("AIDE",),
    },
    "de": {
        Keyword.STOP: ("STOPP", "ABMELDEN", "BEENDEN"),
        Keyword.START: ("ANMELDEN",),
        Keyword.HELP: ("HILFE",),
    },
    "pt": {
        Keyword.STOP: ("PARAR", "CANCELAR", "SAIR"),
        Keyword.START: ("INICIAR", "VOLTAR"),
        Keyword.HELP: ("AJUDA",),
    },
    "ar": {
        Keyword.STOP: ("إيقاف", "توقف", "الغاء"),
        Keyword.START: ("بدء", "ابدأ"),
        Keyword.HELP: ("مساعدة",),
    },
}


def fold(text: str) -> str:
    """Case, width and accent folding for keyword matching only (never for stored text)."""
    decomposed = unicodedata.normalize("NFKD", text or "").casefold()
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch != "\u0640")
    return unicodedata.normalize("NFC", kept)


def _words(keyword: Keyword) -> frozenset[str]:
    return frozenset(
        fold(word) for words in KEYWORDS_BY_LOCALE.values() for word in words.get(keyword, ())
    )


STOP_WORDS = _words(Keyword.STOP)
START_WORDS = _words(Keyword.START)
HELP_WORDS = _words(Keyword.HELP)
# Twilio's Advanced Opt-Out tells the webhook which kind of keyword it matched (OptOutType).
OPT_OUT_TYPES = {"STOP": Keyword.STOP, "START": Keyword.START, "HELP": Keyword.HELP}


def normalize(text: str) -> str:
    """Trim, fold case and width (NFKC turns full-width letters and digits into ASCII)."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(folded.split())


def classify(text: str, opt_out_type: str | None = None) -> Keyword | None:
    """The keyword this whole reply is, if any. Twilio's OptOutType wins when it is given, so a
    word added in Twilio's console works even before Heed lists it."""
    if opt_out_type and opt_out_type.strip().upper() in OPT_OUT_TYPES:
        return OPT_OUT_TYPES[opt_out_type.strip().upper()]
    word = fold(normalize(text)).strip(".!¡?¿,;:'\"؟،")
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
