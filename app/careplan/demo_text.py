"""The demo care plans' prose in each shipped language: a demo patient's plan, and the comment
they leave on it, are written in the patient's language (issue 14, defect 15). Synthetic demo
text only; the same plan in every language, so the demo reads alike for every patient."""

from __future__ import annotations

KEYS = (
    "goal_sleep",
    "goal_walk",
    "goal_mood",
    "do_sleep",
    "do_cbt",
    "do_pace",
    "hypotheses",
    "boom_bust",
    "escalation",
    "social_work",
    "crisis",
    "comment",
)

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "goal_sleep": "Sleep long enough to feel rested",
        "goal_walk": "Build up walking again without a flare",
        "goal_mood": "Feel less low and more interested in things",
        "do_sleep": "Sleep hygiene plan and a regular wake time",
        "do_cbt": "Eight sessions of CBT for persistent physical symptoms",
        "do_pace": "Graded walking programme with pacing",
        "hypotheses": "Persistent fatigue and widespread pain, worse after poor sleep.\n"
        "Work stress and worry about the symptoms seem to keep the cycle going.",
        "boom_bust": "Boom-and-bust activity pattern on good days.",
        "escalation": "Discuss with psychiatry if PHQ-9 rises by 5 points or more, or stays "
        "above 15 for four weeks.",
        "social_work": "Refer to social work if work situation threatens income.",
        "crisis": "If you have thoughts of harming yourself or feel unsafe, use the crisis "
        "resources your clinic gave you straight away, or call your local emergency number. "
        "Heed does not monitor answers around the clock.",
        "comment": "Walking 20 minutes is hard on workdays. Could we start with 10?",
    },
    "es": {
        "goal_sleep": "Dormir lo suficiente para tener un sueño reparador",
        "goal_walk": "Volver a caminar poco a poco sin que empeoren los síntomas",
        "goal_mood": "Menos tristeza y más interés por las cosas",
        "do_sleep": "Plan de higiene del sueño y una hora fija para levantarse",
        "do_cbt": "Ocho sesiones de TCC para síntomas físicos persistentes",
        "do_pace": "Programa de caminata gradual dosificando la actividad",
        "hypotheses": "Fatiga persistente y dolor generalizado, peores tras dormir mal.\n"
        "El estrés laboral y la preocupación por los síntomas parecen mantener el ciclo.",
        "boom_bust": "Patrón de exceso de actividad y agotamiento en los días buenos.",
        "escalation": "Consultar con psiquiatría si el PHQ-9 sube 5 puntos o más, o se "
        "mantiene por encima de 15 durante cuatro semanas.",
        "social_work": "Derivar a trabajo social si la situación laboral pone en riesgo los "
        "ingresos.",
        "crisis": "Si tiene pensamientos de hacerse daño o no se siente a salvo, use de "
        "inmediato los recursos de crisis que le dio su clínica o llame al número de "
        "emergencias de su zona. Heed no supervisa las respuestas las 24 horas del día.",
        "comment": "Caminar 20 minutos es difícil los días de trabajo. ¿Podríamos empezar con 10?",
    },
    "fr": {
        "goal_sleep": "Dormir assez pour avoir un sommeil réparateur",
        "goal_walk": "Reprendre la marche progressivement sans poussée de symptômes",
        "goal_mood": "Moins de tristesse et plus d'intérêt pour les choses",
        "do_sleep": "Plan d'hygiène du sommeil et heure de lever régulière",
        "do_cbt": "Huit séances de TCC pour des symptômes physiques persistants",
        "do_pace": "Programme de marche progressif avec gestion de l'effort",
        "hypotheses": "Fatigue persistante et douleurs diffuses, aggravées par un mauvais "
        "sommeil.\nLe stress au travail et l'inquiétude liée aux symptômes semblent "
        "entretenir le cercle.",
        "boom_bust": "Alternance d'hyperactivité et d'épuisement les bons jours.",
        "escalation": "En parler avec la psychiatrie si le PHQ-9 augmente de 5 points ou plus, "
        "ou reste au-dessus de 15 pendant quatre semaines.",
        "social_work": "Orienter vers le service social si la situation professionnelle menace "
        "les revenus.",
        "crisis": "Si vous avez des pensées de vous faire du mal ou ne vous sentez pas en "
        "sécurité, utilisez sans attendre les ressources de crise que votre clinique vous a "
        "données, ou appelez le numéro d'urgence local. Heed ne surveille pas les réponses "
        "24 heures sur 24.",
        "comment": "Marcher 20 minutes est difficile les jours de travail. Pourrait-on "
        "commencer par 10 ?",
    },
    "de": {
        "goal_sleep": "Lange genug schlafen, um sich erholt zu fühlen",
        "goal_walk": "Wieder schrittweise gehen, ohne dass die Beschwerden aufflammen",
        "goal_mood": "Weniger niedergeschlagen sein und wieder mehr Interesse an Dingen haben",
        "do_sleep": "Schlafhygieneplan und feste Aufstehzeit",
        "do_cbt": "Acht Sitzungen KVT bei anhaltenden körperlichen Beschwerden",
        "do_pace": "Stufenweises Gehtraining mit Pacing",
        "hypotheses": "Anhaltende Erschöpfung und ausgedehnte Schmerzen, schlimmer nach "
        "schlechtem Schlaf.\nArbeitsstress und Sorgen um die Beschwerden scheinen den Kreislauf "
        "aufrechtzuerhalten.",
        "boom_bust": "Muster aus Überlastung und Einbruch an guten Tagen.",
        "escalation": "Mit der Psychiatrie besprechen, wenn der PHQ-9 um 5 Punkte oder mehr "
        "steigt oder vier Wochen lang über 15 bleibt.",
        "social_work": "An die Sozialarbeit verweisen, wenn die Arbeitssituation das Einkommen "
        "gefährdet.",
        "crisis": "Wenn Sie Gedanken haben, sich selbst zu verletzen, oder sich nicht sicher "
        "fühlen, nutzen Sie sofort die Krisenangebote, die Ihnen Ihre Praxis gegeben hat, oder "
        "rufen Sie die örtliche Notrufnummer an. Heed überwacht die Antworten nicht rund um "
        "die Uhr.",
        "comment": "20 Minuten Gehen ist an Arbeitstagen schwer. Könnten wir mit 10 anfangen?",
    },
    "pt": {
        "goal_sleep": "Dormir o suficiente para ter um sono reparador",
        "goal_walk": "Voltar a caminhar aos poucos sem crises de sintomas",
        "goal_mood": "Menos tristeza e mais interesse pelas coisas",
        "do_sleep": "Plano de higiene do sono e horário regular para acordar",
        "do_cbt": "Oito sessões de TCC para sintomas físicos persistentes",
        "do_pace": "Programa de caminhada gradual com gestão do ritmo",
        "hypotheses": "Cansaço persistente e dor generalizada, piores depois de dormir mal.\n"
        "O estresse no trabalho e a preocupação com os sintomas parecem manter o ciclo.",
        "boom_bust": "Padrão de excesso de atividade seguido de esgotamento nos dias bons.",
        "escalation": "Discutir com a psiquiatria se o PHQ-9 subir 5 pontos ou mais, ou ficar "
        "acima de 15 durante quatro semanas.",
        "social_work": "Encaminhar para o serviço social se a situação de trabalho ameaçar a "
        "renda.",
        "crisis": "Se tiver pensamentos de se ferir ou não se sentir em segurança, use "
        "imediatamente os recursos de crise que sua clínica lhe deu, ou ligue para o número de "
        "emergência local. O Heed não monitora as respostas 24 horas por dia.",
        "comment": "Caminhar 20 minutos é difícil nos dias de trabalho. Podemos começar com 10?",
    },
    "ar": {
        "goal_sleep": "النوم وقتًا كافيًا للشعور بالراحة",
        "goal_walk": "العودة إلى المشي تدريجيًا دون تفاقم الأعراض",
        "goal_mood": "الشعور بحزن أقل واهتمام أكبر بالأشياء",
        "do_sleep": "خطة لعادات النوم الصحية وموعد ثابت للاستيقاظ",
        "do_cbt": "ثماني جلسات من العلاج المعرفي السلوكي للأعراض الجسدية المستمرة",
        "do_pace": "برنامج مشي متدرج مع تنظيم الجهد",
        "hypotheses": "إرهاق مستمر وألم منتشر، يزدادان سوءًا بعد النوم السيئ.\n"
        "يبدو أن ضغط العمل والقلق بشأن الأعراض يُبقيان هذه الحلقة مستمرة.",
        "boom_bust": "نمط من النشاط المفرط يعقبه الإنهاك في الأيام الجيدة.",
        "escalation": "مناقشة الحالة مع الطب النفسي إذا ارتفعت نتيجة PHQ-9 بمقدار 5 نقاط أو "
        "أكثر، أو بقيت فوق 15 لمدة أربعة أسابيع.",
        "social_work": "الإحالة إلى الخدمة الاجتماعية إذا كان وضع العمل يهدد الدخل.",
        "crisis": "إذا راودتك أفكار بإيذاء نفسك أو شعرت بعدم الأمان، فاستخدم فورًا موارد "
        "الأزمات التي قدمتها لك عيادتك، أو اتصل برقم الطوارئ المحلي. لا يراقب Heed الإجابات "
        "على مدار الساعة.",
        "comment": "المشي 20 دقيقة صعب في أيام العمل. هل يمكن أن نبدأ بـ 10 دقائق؟",
    },
}


def text_for(locale: str | None) -> dict[str, str]:
    """The demo plan's prose in `locale`, English for a language Heed does not ship."""
    return TEXT.get(locale or "en", TEXT["en"])
