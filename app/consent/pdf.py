"""The PDF of exactly what a patient agreed to: every document's full text, its version and
language, the time in the patient's zone, the method and who recorded it. Arabic is shaped
(HarfBuzz) and laid out right to left. Pure: the same inputs give the same bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
RTL_LOCALES = frozenset({"ar"})


@dataclass(frozen=True)
class AgreedDocument:
    title: str
    body: str
    version: str  # e.g. "3 · ar"
    decision: str  # e.g. "I agree" in the patient's language


@dataclass(frozen=True)
class Receipt:
    heading: str
    locale: str
    documents: tuple[AgreedDocument, ...]
    facts: tuple[tuple[str, str], ...]  # label, value (name, time, method, recorded by …)
    moment: datetime  # fixes the PDF's creation date, so rendering is reproducible


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def render(receipt: Receipt) -> bytes:
    rtl = receipt.locale in RTL_LOCALES
    pdf = FPDF(format="A4")
    pdf.set_creation_date(receipt.moment.astimezone(UTC))
    pdf.set_lang(receipt.locale)
    pdf.set_title(receipt.heading)
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_text_shaping(
        use_shaping_engine=True,
        direction="rtl" if rtl else "ltr",
        script="arab" if rtl else None,
        language=receipt.locale,
    )
    align = "R" if rtl else "L"
    pdf.add_page()

    def para(text: str, size: int = 11, gap: float = 2) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(0, size * 0.55, text, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    para(receipt.heading, size=16, gap=4)
    for label, value in receipt.facts:
        para(f"{label}: {value}", size=10, gap=0.5)
    pdf.ln(4)
    for document in receipt.documents:
        para(document.title, size=13, gap=1)
        para(document.version, size=9, gap=2)
        for paragraph in document.body.split("\n\n"):
            para(paragraph.strip(), size=11)
        para(f"✔ {document.decision}", size=11, gap=5)
    return bytes(pdf.output())
