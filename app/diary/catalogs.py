"""Localized catalogs: symptoms, body sites, triggers, activity kinds and scale anchors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.diary.models import ActivityKind

SYMPTOMS = {
    "pain": _l("Pain"),
    "fatigue": _l("Fatigue"),
    "headache": _l("Headache"),
    "abdominal_pain": _l("Abdominal pain"),
    "dizziness": _l("Dizziness"),
    "palpitations": _l("Palpitations"),
    "nausea": _l("Nausea"),
    "breathlessness": _l("Breathlessness"),
    "muscle_tension": _l("Muscle tension"),
    "brain_fog": _l("Brain fog"),
}
DEFAULT_SYMPTOMS = ("pain", "fatigue", "headache", "abdominal_pain", "brain_fog")
CUSTOM_PREFIX = "custom-"

BODY_SITES = {
    "head": _l("Head"),
    "neck": _l("Neck"),
    "shoulders": _l("Shoulders"),
    "chest": _l("Chest"),
    "upper_back": _l("Upper back"),
    "lower_back": _l("Lower back"),
    "abdomen": _l("Abdomen"),
    "arms": _l("Arms or hands"),
    "legs": _l("Legs or feet"),
    "joints": _l("Joints"),
    "widespread": _l("All over"),
}

TRIGGERS = {
    "work_stress": _l("Work stress"),
    "conflict": _l("Conflict"),
    "poor_sleep": _l("Poor sleep"),
    "skipped_meal": _l("Skipped meal"),
    "weather_change": _l("Weather change"),
    "menstrual_cycle": _l("Menstrual cycle"),
    "screen_time": _l("Long screen time"),
    "travel": _l("Travel"),
    "illness": _l("Illness or infection"),
    "overexertion": _l("Doing too much"),
    "alcohol": _l("Alcohol"),
    "caffeine": _l("A lot of caffeine"),
    "noise_crowds": _l("Noise or crowds"),
    "loneliness": _l("Loneliness"),
}
MAX_CUSTOM_TRIGGERS = 5
CUSTOM_TRIGGER_MAX_LENGTH = 40

ACTIVITY_KINDS = {
    ActivityKind.PHYSICAL: _l("Physical activity"),
    ActivityKind.COGNITIVE: _l("Mental activity (work, reading, screens)"),
    ActivityKind.SOCIAL: _l("Social activity"),
    ActivityKind.REST: _l("Planned rest"),
}

# Anchors for 0-10 symptom ratings.
SYMPTOM_ANCHORS = {0: _l("none"), 5: _l("moderate"), 10: _l("worst imaginable")}


def _bands(words: tuple[object, object, object, object, object]) -> dict[int, object]:
    """Five word bands over 0-10: 0-1, 2-3, 4-6, 7-8, 9-10."""
    bands = (0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4)
    return {value: words[bands[value]] for value in range(11)}


FACE_BANDS = (0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4)

# Word for every value of the 0-10 mood, stress and energy scales (screen readers read it).
SCALE_WORDS = {
    "mood": _bands(
        (_l("very low"), _l("low"), _l("okay"), _l("good"), _l("very good")),
    ),
    "stress": _bands(
        (_l("calm"), _l("a little tense"), _l("tense"), _l("very tense"), _l("extremely anxious")),
    ),
    "energy": _bands(
        (
            _l("exhausted"),
            _l("low energy"),
            _l("some energy"),
            _l("good energy"),
            _l("full of energy"),
        ),
    ),
    "overall_symptoms": _bands(
        (_l("none or very mild"), _l("mild"), _l("moderate"), _l("strong"), _l("very strong")),
    ),
}
# Faces run from bad to good; for stress and symptoms a higher number is worse.
REVERSED_SCALES = frozenset({"stress", "overall_symptoms"})

SLEEP_QUALITY = {
    1: _l("very poor"),
    2: _l("poor"),
    3: _l("fair"),
    4: _l("good"),
    5: _l("very good"),
}
WITHIN_LIMITS = {
    1: _l("not at all"),
    2: _l("a little"),
    3: _l("partly"),
    4: _l("mostly"),
    5: _l("completely"),
}


# SVG mouth paths for faces from 0 (very unhappy) to 4 (very happy), drawn in _macros.html.
FACE_MOUTHS = (
    "M7 17.5 Q12 12.5 17 17.5",
    "M7.5 16.5 Q12 14 16.5 16.5",
    "M7.5 15.5 L16.5 15.5",
    "M7.5 14.5 Q12 17 16.5 14.5",
    "M7 14 Q12 19 17 14",
)


def face(scale: str, value: int) -> str:
    """The mouth of the face for a value: happier is better (reversed for stress, symptoms)."""
    band = FACE_BANDS[value]
    return FACE_MOUTHS[4 - band] if scale in REVERSED_SCALES else FACE_MOUTHS[band]


def symptom_label(key: str, custom_labels: dict[str, str]) -> str:
    if key in SYMPTOMS:
        return str(SYMPTOMS[key])
    return custom_labels.get(key, key)


def trigger_label(code: str) -> str:
    return str(TRIGGERS.get(code, code))
