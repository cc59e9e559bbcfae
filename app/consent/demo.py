"""The demo clinic's consent documents: Heed's own plain wording in every shipped language,
one published version per purpose and language, each labelled as a template for the clinic to
review (not legal advice, not reviewed by any clinic)."""

from __future__ import annotations

from sqlalchemy import select

from app.careteam.models import Clinic
from app.consent import services
from app.consent.models import ConsentPurpose, ConsentVersion
from app.db import db

TEMPLATE_NOTE = {
    "en": "Template to be reviewed by the clinic.",
    "es": "Plantilla que la clínica debe revisar.",
    "fr": "Modèle à faire relire par la clinique.",
    "de": "Vorlage, von der Klinik zu prüfen.",
    "pt": "Modelo a ser revisto pela clínica.",
    "ar": "نموذج يجب أن تراجعه العيادة.",
}

# purpose -> locale -> (title, body). Paragraphs are separated by an empty line.
TEXTS: dict[ConsentPurpose, dict[str, tuple[str, str]]] = {
    ConsentPurpose.CARE: {
        "en": (
            "Using Heed for my care",
            "Heed stores the questionnaires, diary entries and messages I enter, so that my care team can follow how I am doing.\n\nOnly the people caring for me at this clinic can see them, and every access is logged. I can download or ask to erase my data at any time.\n\nHeed is not an emergency service: answers are not monitored around the clock.",
        ),
        "es": (
            "Usar Heed para mi atención",
            "Heed guarda los cuestionarios, las entradas del diario y los mensajes que introduzco, para que mi equipo de atención pueda seguir cómo estoy.\n\nSolo las personas que me atienden en esta clínica pueden verlos, y cada acceso queda registrado. Puedo descargar mis datos o pedir que se borren en cualquier momento.\n\nHeed no es un servicio de urgencias: las respuestas no se vigilan a todas horas.",
        ),
        "fr": (
            "Utiliser Heed pour mes soins",
            "Heed conserve les questionnaires, les entrées du journal et les messages que je saisis, afin que mon équipe soignante puisse suivre comment je vais.\n\nSeules les personnes qui me soignent dans cette clinique peuvent les voir, et chaque accès est enregistré. Je peux télécharger mes données ou demander leur effacement à tout moment.\n\nHeed n'est pas un service d'urgence : les réponses ne sont pas surveillées en permanence.",
        ),
        "de": (
            "Heed für meine Behandlung nutzen",
            "Heed speichert die Fragebögen, Tagebucheinträge und Nachrichten, die ich eingebe, damit mein Behandlungsteam verfolgen kann, wie es mir geht.\n\nNur die Menschen, die mich in dieser Klinik behandeln, können sie sehen, und jeder Zugriff wird protokolliert. Ich kann meine Daten jederzeit herunterladen oder löschen lassen.\n\nHeed ist kein Notdienst: Antworten werden nicht rund um die Uhr überwacht.",
        ),
        "pt": (
            "Usar o Heed nos meus cuidados",
            "O Heed guarda os questionários, as entradas do diário e as mensagens que introduzo, para que a minha equipa de cuidados possa acompanhar como estou.\n\nSó as pessoas que me acompanham nesta clínica os podem ver, e cada acesso fica registado. Posso descarregar os meus dados ou pedir que sejam apagados a qualquer momento.\n\nO Heed não é um serviço de urgência: as respostas não são vigiadas a toda a hora.",
        ),
        "ar": (
            "استخدام هيد في رعايتي",
            "يحفظ هيد الاستبيانات ومدخلات اليوميات والرسائل التي أدخلها، حتى يتمكن فريق رعايتي من متابعة حالتي.\n\nلا يستطيع رؤيتها إلا الأشخاص الذين يعتنون بي في هذه العيادة، ويُسجَّل كل اطلاع عليها. يمكنني تنزيل بياناتي أو طلب محوها في أي وقت.\n\nهيد ليس خدمة طوارئ: لا تتم مراقبة الإجابات على مدار الساعة.",
        ),
    },
    ConsentPurpose.SMS: {
        "en": (
            "Text messages",
            "Heed may send me text messages: reminders with a link, and questions I can answer by text. They never contain my name, symptoms or scores.\n\nI can stop them at any time by replying STOP, in my settings, or on this page.",
        ),
        "es": (
            "Mensajes de texto",
            "Heed puede enviarme mensajes de texto: recordatorios con un enlace y preguntas que puedo responder por mensaje. Nunca contienen mi nombre, mis síntomas ni mis puntuaciones.\n\nPuedo detenerlos en cualquier momento respondiendo STOP, en mis ajustes o en esta página.",
        ),
        "fr": (
            "SMS",
            "Heed peut m'envoyer des SMS : des rappels avec un lien et des questions auxquelles je peux répondre par SMS. Ils ne contiennent jamais mon nom, mes symptômes ni mes scores.\n\nJe peux les arrêter à tout moment en répondant STOP, dans mes paramètres ou sur cette page.",
        ),
        "de": (
            "SMS",
            "Heed darf mir SMS senden: Erinnerungen mit einem Link und Fragen, die ich per SMS beantworten kann. Sie enthalten nie meinen Namen, meine Beschwerden oder Werte.\n\nIch kann sie jederzeit beenden, indem ich STOP antworte, in meinen Einstellungen oder auf dieser Seite.",
        ),
        "pt": (
            "Mensagens de texto",
            "O Heed pode enviar-me mensagens de texto: lembretes com uma ligação e perguntas a que posso responder por mensagem. Nunca contêm o meu nome, sintomas ou pontuações.\n\nPosso pará-las a qualquer momento respondendo STOP, nas minhas definições ou nesta página.",
        ),
        "ar": (
            "الرسائل النصية",
            "يجوز لهيد أن يرسل إليّ رسائل نصية: تذكيرات مع رابط، وأسئلة يمكنني الإجابة عنها برسالة. لا تحتوي أبدًا على اسمي أو أعراضي أو درجاتي.\n\nيمكنني إيقافها في أي وقت بالرد بكلمة STOP، أو من إعداداتي، أو من هذه الصفحة.",
        ),
    },
    ConsentPurpose.CAREGIVER: {
        "en": (
            "Sharing with a caregiver I name",
            "I may invite a person I trust, such as a family member, and choose what they may do in Heed: receive check-in prompts, add what they observe, see my diary summary or my questionnaire scores.\n\nThey see only what I choose, until the date I set. I can change or end this at any time, and it takes effect at once.",
        ),
        "es": (
            "Compartir con un cuidador que yo elija",
            "Puedo invitar a una persona de confianza, por ejemplo un familiar, y elegir qué puede hacer en Heed: recibir avisos de seguimiento, añadir lo que observa, ver el resumen de mi diario o las puntuaciones de mis cuestionarios.\n\nSolo ve lo que yo elijo, hasta la fecha que fije. Puedo cambiarlo o terminarlo en cualquier momento, con efecto inmediato.",
        ),
        "fr": (
            "Partage avec un proche aidant que je désigne",
            "Je peux inviter une personne de confiance, par exemple un membre de ma famille, et choisir ce qu'elle peut faire dans Heed : recevoir les messages de suivi, ajouter ce qu'elle observe, voir le résumé de mon journal ou mes scores aux questionnaires.\n\nElle ne voit que ce que je choisis, jusqu'à la date que je fixe. Je peux modifier ou arrêter ce partage à tout moment, avec effet immédiat.",
        ),
        "de": (
            "Teilen mit einer von mir benannten Bezugsperson",
            "Ich kann eine Person meines Vertrauens einladen, etwa ein Familienmitglied, und wählen, was sie in Heed tun darf: Nachfragen erhalten, Beobachtungen eintragen, die Zusammenfassung meines Tagebuchs oder meine Fragebogenwerte sehen.\n\nSie sieht nur, was ich wähle, bis zu dem Datum, das ich festlege. Ich kann das jederzeit ändern oder beenden, mit sofortiger Wirkung.",
        ),
        "pt": (
            "Partilhar com um cuidador que eu indicar",
            "Posso convidar uma pessoa de confiança, por exemplo um familiar, e escolher o que pode fazer no Heed: receber pedidos de acompanhamento, acrescentar o que observa, ver o resumo do meu diário ou as pontuações dos meus questionários.\n\nSó vê o que eu escolher, até à data que eu definir. Posso alterar ou terminar isto a qualquer momento, com efeito imediato.",
        ),
        "ar": (
            "المشاركة مع مُرافق أختاره",
            "يمكنني دعوة شخص أثق به، مثل أحد أفراد عائلتي، واختيار ما يمكنه فعله في هيد: تلقي رسائل المتابعة، أو إضافة ما يلاحظه، أو رؤية ملخص يومياتي أو درجات استبياناتي.\n\nلا يرى إلا ما أختاره، حتى التاريخ الذي أحدده. يمكنني تغيير ذلك أو إنهاؤه في أي وقت، ويسري فورًا.",
        ),
    },
    ConsentPurpose.RESEARCH: {
        "en": (
            "Being contacted about research (optional)",
            "The clinic may contact me about research studies I could take part in. Agreeing only means I may be asked; I decide about each study separately.\n\nSaying no does not change my care in any way.",
        ),
        "es": (
            "Ser contactado sobre investigación (opcional)",
            "La clínica puede contactarme sobre estudios de investigación en los que podría participar. Aceptar solo significa que me pueden preguntar; decido sobre cada estudio por separado.\n\nDecir que no, no cambia en nada mi atención.",
        ),
        "fr": (
            "Être contacté pour la recherche (facultatif)",
            "La clinique peut me contacter au sujet d'études de recherche auxquelles je pourrais participer. Accepter signifie seulement qu'on peut me le proposer ; je décide pour chaque étude séparément.\n\nRefuser ne change en rien mes soins.",
        ),
        "de": (
            "Kontakt wegen Forschung (freiwillig)",
            "Die Klinik darf mich zu Forschungsstudien kontaktieren, an denen ich teilnehmen könnte. Zustimmen heißt nur, dass ich gefragt werden darf; über jede Studie entscheide ich einzeln.\n\nEin Nein ändert nichts an meiner Behandlung.",
        ),
        "pt": (
            "Ser contactado sobre investigação (opcional)",
            "A clínica pode contactar-me sobre estudos de investigação em que eu possa participar. Aceitar significa apenas que me podem perguntar; decido sobre cada estudo separadamente.\n\nDizer que não em nada altera os meus cuidados.",
        ),
        "ar": (
            "التواصل معي بشأن الأبحاث (اختياري)",
            "يجوز للعيادة التواصل معي بشأن دراسات بحثية قد أشارك فيها. الموافقة تعني فقط أنه يمكن سؤالي؛ وأقرر بشأن كل دراسة على حدة.\n\nالرفض لا يغيّر شيئًا في رعايتي.",
        ),
    },
}


def seed(clinic: Clinic) -> None:
    """Idempotent: publish version 1 of every purpose and language the clinic lacks."""
    have = set(_pairs(clinic))
    for purpose, by_locale in TEXTS.items():
        for locale, (title, body) in by_locale.items():
            if (purpose, locale) in have:
                continue
            version = services.draft(
                clinic_id=clinic.id,
                purpose=purpose,
                locale=locale,
                title=title,
                body=f"{body}\n\n{TEMPLATE_NOTE[locale]}",
                author=None,
            )
            services.publish(version=version, by=None, material=False)


def _pairs(clinic: Clinic) -> list[tuple[ConsentPurpose, str]]:
    return [
        (purpose, locale)
        for purpose, locale in db.session.execute(
            select(ConsentVersion.purpose, ConsentVersion.locale).where(
                ConsentVersion.clinic_id == clinic.id
            )
        )
    ]
