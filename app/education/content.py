"""The lesson library: short, plain-language lessons written by Heed, every string through the
catalogs (so each ships in every locale like the rest of the interface).

Each lesson is a few short screens, a one-line summary, a reading time and one practice step,
and cites the public sources it was checked against (title and address; Heed's own words,
nothing copied). Nothing here is a diagnosis or a treatment claim; the lessons describe
self-care skills that the cited public health pages describe too. Review status: drafted by
Heed for issue 18, not yet reviewed by a clinician (docs/education.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


class Audience(StrEnum):
    ALL = "all"  # patients and caregivers
    PATIENT = "patient"
    CAREGIVER = "caregiver"


@dataclass(frozen=True)
class Source:
    title: str  # the source's own title, cited as published (not translated)
    publisher: str
    url: str


@dataclass(frozen=True)
class Screen:
    heading: LazyString
    body: LazyString


@dataclass(frozen=True)
class Lesson:
    key: str
    title: LazyString
    summary: LazyString
    minutes: int  # reading time
    audience: Audience
    screens: tuple[Screen, ...]
    practice: LazyString
    sources: tuple[Source, ...]
    loggable: bool = True  # the patient may mark the practice done for a day
    timer: bool = False  # the paced-breathing timer accompanies the practice

    def strings(self) -> list[LazyString]:
        return [
            self.title,
            self.summary,
            self.practice,
            *(s.heading for s in self.screens),
            *(s.body for s in self.screens),
        ]


MEDLINEPLUS_STRESS = Source("Stress", "MedlinePlus (NLM)", "https://medlineplus.gov/stress.html")
NIMH_STRESS = Source(
    "I'm So Stressed Out! Fact Sheet",
    "National Institute of Mental Health",
    "https://www.nimh.nih.gov/health/publications/so-stressed-out-fact-sheet",
)
NCCIH_RELAX = Source(
    "Relaxation Techniques: What You Need To Know",
    "National Center for Complementary and Integrative Health",
    "https://www.nccih.nih.gov/health/relaxation-techniques-what-you-need-to-know",
)
CDC_PACING = Source(
    "Treating the Most Disruptive Symptoms First and Preventing Worsening of Symptoms",
    "Centers for Disease Control and Prevention (ME/CFS)",
    "https://www.cdc.gov/me-cfs/healthcare-providers/clinical-care-patients-mecfs/"
    "treating-most-disruptive-symptoms.html",
)
MEDLINEPLUS_PAIN = Source(
    "Chronic Pain", "MedlinePlus (NLM)", "https://medlineplus.gov/chronicpain.html"
)
MEDLINEPLUS_SLEEP = Source(
    "Healthy Sleep", "MedlinePlus (NLM)", "https://medlineplus.gov/healthysleep.html"
)
NHLBI_SLEEP = Source(
    "Healthy Sleep Habits",
    "National Heart, Lung, and Blood Institute",
    "https://www.nhlbi.nih.gov/health/sleep-deprivation/healthy-sleep-habits",
)
NIMH_CARING = Source(
    "Caring for Your Mental Health",
    "National Institute of Mental Health",
    "https://www.nimh.nih.gov/health/topics/caring-for-your-mental-health",
)
MEDLINEPLUS_CAREGIVERS = Source(
    "Caregivers", "MedlinePlus (NLM)", "https://medlineplus.gov/caregivers.html"
)
NIA_CAREGIVER = Source(
    "Take Care of Yourself as a Caregiver",
    "National Institute on Aging",
    "https://www.nia.nih.gov/health/caregiving/take-care-yourself-caregiver",
)

LESSONS: dict[str, Lesson] = {
    lesson.key: lesson
    for lesson in (
        Lesson(
            key="stress_body",
            title=_l("Stress and your body"),
            summary=_l("Why worry and strain can turn up real symptoms in your body."),
            minutes=2,
            audience=Audience.ALL,
            screens=(
                Screen(
                    _l("Your body's alarm"),
                    _l(
                        "When you feel under pressure, your body gets ready to act. Your heart "
                        "beats faster, your muscles get tense and your breathing speeds up. This "
                        "is normal, and it helps for a short time."
                    ),
                ),
                Screen(
                    _l("When the alarm stays on"),
                    _l(
                        "If stress goes on for weeks, the alarm can stay switched on. Many people "
                        "then notice headaches, tense muscles, stomach trouble, tiredness or poor "
                        'sleep. These symptoms are real. They are not "all in your head".'
                    ),
                ),
                Screen(
                    _l("What helps"),
                    _l(
                        "You can help your body calm down: slow breathing, regular movement, "
                        "enough sleep and talking to people you trust. Your diary can show when "
                        "stress and symptoms go together, so you and your care team can plan."
                    ),
                ),
            ),
            practice=_l(
                "Today, notice one moment when you felt stressed. Write down where you felt "
                "it in your body."
            ),
            sources=(MEDLINEPLUS_STRESS, NIMH_STRESS),
        ),
        Lesson(
            key="paced_breathing",
            title=_l("Paced breathing"),
            summary=_l("A slow breathing exercise that you can do anywhere in a few minutes."),
            minutes=3,
            audience=Audience.ALL,
            screens=(
                Screen(
                    _l("Why slow breathing"),
                    _l(
                        "Breathing slowly is one of the simplest ways to relax. It does not need "
                        "any tools, and you can do it sitting, lying down or standing."
                    ),
                ),
                Screen(
                    _l("How to do it"),
                    _l(
                        "Sit comfortably and let your shoulders drop. Breathe in gently through "
                        "your nose while you count to 4. Breathe out slowly while you count to "
                        "6. Keep going for 2 to 5 minutes."
                    ),
                ),
                Screen(
                    _l("Go gently"),
                    _l(
                        "Do not force your breath. If you feel dizzy, stop and breathe normally. "
                        "It gets easier with practice, so try it on calm days too, not only when "
                        "you are upset."
                    ),
                ),
            ),
            practice=_l("Do 3 minutes of paced breathing: in for 4, out for 6."),
            sources=(NCCIH_RELAX, MEDLINEPLUS_STRESS),
            timer=True,
        ),
        Lesson(
            key="pacing",
            title=_l("Pacing: steady days instead of boom and bust"),
            summary=_l("How to avoid doing too much on good days and paying for it later."),
            minutes=3,
            audience=Audience.PATIENT,
            screens=(
                Screen(
                    _l("Boom and bust"),
                    _l(
                        "On a good day it is tempting to catch up on everything. Then symptoms "
                        "flare for a day or two and you have to rest a lot. This up and down is "
                        "often called boom and bust."
                    ),
                ),
                Screen(
                    _l("Find your steady level"),
                    _l(
                        "Pacing means finding an amount of activity you can manage on most days, "
                        "good or bad, and staying close to it. Your diary helps you see how much "
                        "that is."
                    ),
                ),
                Screen(
                    _l("Plan breaks"),
                    _l(
                        "Split big jobs into smaller parts. Take short rests before you feel "
                        "worn out, not after. When things go well for a while, add a little "
                        "more, slowly, with your care team."
                    ),
                ),
            ),
            practice=_l(
                "Plan tomorrow: pick one big task, split it into parts and put a short rest "
                "between them."
            ),
            sources=(CDC_PACING, MEDLINEPLUS_PAIN),
        ),
        Lesson(
            key="sleep",
            title=_l("Better sleep habits"),
            summary=_l("Small daily habits that make good sleep more likely."),
            minutes=2,
            audience=Audience.ALL,
            screens=(
                Screen(
                    _l("A steady rhythm"),
                    _l(
                        "Try to go to bed and get up at about the same time every day, also at "
                        "weekends. Daylight in the morning helps your body keep its rhythm."
                    ),
                ),
                Screen(
                    _l("Before bed"),
                    _l(
                        "Avoid coffee and other caffeine in the afternoon and evening, and heavy "
                        "meals or alcohol late at night. Put screens away a while before bed. "
                        "Keep your bedroom dark, quiet and cool."
                    ),
                ),
                Screen(
                    _l("If you cannot sleep"),
                    _l(
                        "If you lie awake for a long time, get up and do something calm in dim "
                        "light, then go back to bed when you feel sleepy. If poor sleep goes on, "
                        "tell your care team."
                    ),
                ),
            ),
            practice=_l("Tonight, start a calm 20-minute wind-down before bed with no screens."),
            sources=(MEDLINEPLUS_SLEEP, NHLBI_SLEEP),
        ),
        Lesson(
            key="grounding",
            title=_l("Grounding when feelings are too strong"),
            summary=_l("A way to come back to the here and now when you feel overwhelmed."),
            minutes=2,
            audience=Audience.ALL,
            screens=(
                Screen(
                    _l("What grounding is"),
                    _l(
                        "Sometimes worry, fear or pain can feel like too much. Grounding means "
                        "turning your attention to what is around you right now, through your "
                        "senses."
                    ),
                ),
                Screen(
                    _l("Five, four, three, two, one"),
                    _l(
                        "Name 5 things you can see, 4 things you can touch, 3 things you can "
                        "hear, 2 things you can smell and 1 thing you can taste. Go slowly and "
                        "breathe gently."
                    ),
                ),
                Screen(
                    _l("If it is still too much"),
                    _l(
                        "Grounding is a first step, not a cure. If you are in danger or think "
                        "about hurting yourself, call your crisis number or emergency services "
                        "now."
                    ),
                ),
            ),
            practice=_l("Try the 5-4-3-2-1 exercise once today, even if you feel calm."),
            sources=(NIMH_CARING, NCCIH_RELAX),
        ),
        Lesson(
            key="talking_family",
            title=_l("Talking with your family about symptoms"),
            summary=_l("How to tell the people close to you what you need."),
            minutes=2,
            audience=Audience.PATIENT,
            screens=(
                Screen(
                    _l("Why it helps"),
                    _l(
                        "Symptoms that others cannot see are hard to explain. When your family "
                        "understands, they can help in ways that really help you."
                    ),
                ),
                Screen(
                    _l("Be specific"),
                    _l(
                        "Pick a calm moment. Say what you feel and what you need, for example: "
                        '"On bad days I need a quiet hour, and help with shopping." Short, '
                        "clear requests are easier to follow."
                    ),
                ),
                Screen(
                    _l("Keep doing things together"),
                    _l(
                        "Tell them what you still want to do yourself. Too much help can make "
                        "your world smaller. You choose what to share; your care team can help "
                        "you plan the talk."
                    ),
                ),
            ),
            practice=_l("Write down one thing you would like your family to know or do."),
            sources=(MEDLINEPLUS_CAREGIVERS, NIMH_CARING),
        ),
        Lesson(
            key="caregiver_support",
            title=_l("Supporting without taking over"),
            summary=_l("How to help someone with symptoms while keeping their life going."),
            minutes=2,
            audience=Audience.CAREGIVER,
            screens=(
                Screen(
                    _l("Their symptoms are real"),
                    _l(
                        "Symptoms linked to stress are real, even when tests are normal. Listen "
                        "and believe what the person tells you about how they feel."
                    ),
                ),
                Screen(
                    _l("Help, but do not take over"),
                    _l(
                        "It is kind to help, but doing everything for someone can make them do "
                        "less and less. Ask what they want to do themselves, and praise small "
                        "steps."
                    ),
                ),
                Screen(
                    _l("Talk about more than symptoms"),
                    _l(
                        "Make time for normal talk and shared plans, not only questions about "
                        "pain. Follow the plan the care team made together with them."
                    ),
                ),
            ),
            practice=_l(
                "Ask the person you care for which one task they would like to keep doing "
                "themselves."
            ),
            sources=(MEDLINEPLUS_CAREGIVERS, NIA_CAREGIVER),
            loggable=False,
        ),
        Lesson(
            key="caregiver_self_care",
            title=_l("Looking after yourself as a caregiver"),
            summary=_l("You matter too: small ways to keep your own strength."),
            minutes=2,
            audience=Audience.CAREGIVER,
            screens=(
                Screen(
                    _l("Caring is work"),
                    _l(
                        "Caring for someone can be tiring and stressful. Feeling worn out or "
                        "frustrated at times is common. It does not mean you care less."
                    ),
                ),
                Screen(
                    _l("Small breaks"),
                    _l(
                        "Take a short break every day: a walk, a hobby or time with a friend. "
                        "Try to keep regular sleep. Ask others for help with specific tasks."
                    ),
                ),
                Screen(
                    _l("Get support"),
                    _l(
                        "A support group or a talk with your own doctor can help. If you feel "
                        "low for a long time, do not wait: ask for help for yourself."
                    ),
                ),
            ),
            practice=_l("Plan one short break for yourself this week and put it in your calendar."),
            sources=(NIA_CAREGIVER, MEDLINEPLUS_CAREGIVERS),
            loggable=False,
        ),
    )
}


def lesson(key: str) -> Lesson | None:
    return LESSONS.get(key)


def for_audience(*, caregiver: bool) -> list[Lesson]:
    """The lessons a caregiver sees (caregiver and general ones), or a patient (patient and
    general ones)."""
    hidden = Audience.PATIENT if caregiver else Audience.CAREGIVER
    return [item for item in LESSONS.values() if item.audience != hidden]


PATIENT_KEYS = tuple(k for k, v in LESSONS.items() if v.audience != Audience.CAREGIVER)
LOGGABLE_KEYS = tuple(k for k, v in LESSONS.items() if v.loggable)
