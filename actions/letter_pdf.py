"""The letter as a PDF (fpdf2): kop surat, title and number, the resident's details, body, signatures, QR code."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

PAGE_MARGIN_LEFT = 25.0
PAGE_MARGIN_RIGHT = 20.0
PAGE_MARGIN_TOP = 15.0
FONT = "Times"


@dataclass(frozen=True, slots=True)
class SignatureBlock:
    """One signature on the letter: the office, the person and the line under the name (NIP)."""

    caption: str  # e.g. "Kepala Desa Sooko" or "Mengetahui,\nCamat Sooko"
    name: str
    below_name: str = ""


@dataclass(frozen=True, slots=True)
class LetterContent:
    """Everything printed on one letter, already filled in."""

    heading: tuple[str, ...]  # PEMERINTAH KABUPATEN ..., KECAMATAN ..., DESA ...
    address: str
    title: str
    number: str
    subject: str
    intro: str
    details: tuple[tuple[str, str], ...]
    body: tuple[str, ...]
    closing: str
    place_date: str
    head: SignatureBlock
    verify_url: str
    verify_note: str
    signed_note: str
    camat: SignatureBlock | None = None
    logo: Path | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def _latin(text: str) -> str:
    """The core PDF fonts speak Latin-1; typographic quotes and dashes are mapped, anything else dropped."""
    table = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                           "\u2014": "-", "\u2022": "-", "\u00a0": " "})
    return text.translate(table).encode("latin-1", "replace").decode("latin-1")


def qr_png(url: str) -> bytes:
    """A QR code of `url` as PNG bytes (error correction M, a 4-module quiet zone)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _emblem(pdf: FPDF, x: float, y: float, size: float) -> None:
    """A plain shield drawn in place of a logo when the village has none configured."""
    w, h = size * 0.82, size
    pdf.set_line_width(0.6)
    pdf.set_draw_color(20, 60, 20)
    pdf.set_fill_color(235, 245, 235)
    points = [(x, y), (x + w, y), (x + w, y + h * 0.55), (x + w / 2, y + h), (x, y + h * 0.55)]
    pdf.polygon(points, style="DF")
    pdf.set_fill_color(200, 160, 40)
    pdf.star(x + w / 2, y + h * 0.38, size * 0.1, size * 0.22, 5, style="F")
    pdf.set_draw_color(0, 0, 0)


def render_letter(letter: LetterContent) -> bytes:
    """The unsigned PDF bytes of one A4 letter."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(PAGE_MARGIN_LEFT, PAGE_MARGIN_TOP, PAGE_MARGIN_RIGHT)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creator("Warga")
    pdf.set_title(_latin(f"{letter.title} {letter.number}"))
    pdf.set_subject(_latin(letter.subject))
    for key, value in letter.metadata.items():
        pdf.set_keywords(_latin(f"{key}={value}"))
    pdf.add_page()
    width = pdf.w - PAGE_MARGIN_LEFT - PAGE_MARGIN_RIGHT

    # --- kop surat ----------------------------------------------------------------------------------
    top = pdf.get_y()
    logo_size = 26.0
    if letter.logo is not None:
        pdf.image(str(letter.logo), x=PAGE_MARGIN_LEFT, y=top, h=logo_size)
    else:
        _emblem(pdf, PAGE_MARGIN_LEFT + 2, top, logo_size - 2)
    sizes = [14, 13, 17]
    for index, line in enumerate(letter.heading):
        size = sizes[index] if index < len(sizes) else 13
        pdf.set_font(FONT, "B", size)
        pdf.set_x(PAGE_MARGIN_LEFT + logo_size)
        pdf.cell(width - logo_size, size * 0.45, _latin(line.upper()), align=Align.C,
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "I", 10)
    pdf.set_x(PAGE_MARGIN_LEFT + logo_size)
    pdf.multi_cell(width - logo_size, 4.5, _latin(letter.address), align=Align.C, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    line_y = max(pdf.get_y(), top + logo_size) + 2
    pdf.set_line_width(1.0)
    pdf.line(PAGE_MARGIN_LEFT, line_y, pdf.w - PAGE_MARGIN_RIGHT, line_y)
    pdf.set_line_width(0.3)
    pdf.line(PAGE_MARGIN_LEFT, line_y + 1.3, pdf.w - PAGE_MARGIN_RIGHT, line_y + 1.3)
    pdf.set_y(line_y + 7)

    # --- title, number, subject ---------------------------------------------------------------------
    pdf.set_font(FONT, "BU", 13)
    pdf.cell(width, 6, _latin(letter.title), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 11)
    pdf.cell(width, 5.5, _latin(f"Nomor: {letter.number}"), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.cell(22, 5.5, "Perihal")
    pdf.cell(4, 5.5, ":")
    pdf.multi_cell(width - 26, 5.5, _latin(letter.subject), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    # --- the resident -------------------------------------------------------------------------------
    pdf.multi_cell(width, 5.5, _latin(letter.intro), align=Align.J, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
    # The label column fits the longest label (within limits), so no label runs into its value.
    label_w = min(80.0, max([48.0, *(pdf.get_string_width(_latin(label)) + 3 for label, _ in letter.details)]))
    for label, value in letter.details:
        pdf.set_x(PAGE_MARGIN_LEFT + 8)
        pdf.cell(label_w, 5.5, _latin(label))
        pdf.cell(4, 5.5, ":")
        pdf.multi_cell(width - label_w - 12, 5.5, _latin(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    for paragraph in letter.body:
        pdf.multi_cell(width, 5.5, _latin(paragraph), align=Align.J, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    pdf.multi_cell(width, 5.5, _latin(letter.closing), align=Align.J, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(5)

    # --- signatures ---------------------------------------------------------------------------------
    if pdf.get_y() > pdf.h - 95:
        pdf.add_page()
    block_w = 75.0
    right_x = pdf.w - PAGE_MARGIN_RIGHT - block_w
    start = pdf.get_y()
    pdf.set_xy(right_x, start)
    pdf.multi_cell(block_w, 5.5, _latin(f"{letter.place_date}\n{letter.head.caption}"), align=Align.C,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _signature_space(pdf, right_x, block_w, letter.signed_note)
    _name_lines(pdf, right_x, block_w, letter.head)
    bottom = pdf.get_y()
    if letter.camat is not None:
        pdf.set_xy(PAGE_MARGIN_LEFT, start)
        pdf.multi_cell(block_w, 5.5, _latin(letter.camat.caption), align=Align.C, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        _signature_space(pdf, PAGE_MARGIN_LEFT, block_w, letter.signed_note)
        _name_lines(pdf, PAGE_MARGIN_LEFT, block_w, letter.camat)
        bottom = max(bottom, pdf.get_y())

    # --- QR code and how to verify ---------------------------------------------------------------------
    qr_size = 30.0
    qr_y = max(bottom + 8, pdf.h - 15 - qr_size - 2)
    if qr_y + qr_size > pdf.h - 10:
        pdf.add_page()
        qr_y = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(letter.verify_url)), x=PAGE_MARGIN_LEFT, y=qr_y, w=qr_size, h=qr_size)
    pdf.set_font(FONT, "I", 8.5)
    pdf.set_xy(PAGE_MARGIN_LEFT + qr_size + 4, qr_y + 4)
    pdf.multi_cell(width - qr_size - 4, 4.2, _latin(letter.verify_note), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(PAGE_MARGIN_LEFT + qr_size + 4)
    pdf.set_font("Courier", "", 8)
    pdf.multi_cell(width - qr_size - 4, 4.2, _latin(letter.verify_url), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _signature_space(pdf: FPDF, x: float, w: float, note: str) -> None:
    pdf.set_font(FONT, "I", 8.5)
    pdf.set_text_color(40, 90, 40)
    pdf.set_xy(x, pdf.get_y() + 5)
    pdf.multi_cell(w, 4, _latin(note), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(pdf.get_y() + 5)


def _name_lines(pdf: FPDF, x: float, w: float, block: SignatureBlock) -> None:
    pdf.set_font(FONT, "BU", 11)
    pdf.set_x(x)
    pdf.cell(w, 5.5, _latin(block.name), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if block.below_name:
        pdf.set_font(FONT, "", 11)
        pdf.set_x(x)
        pdf.cell(w, 5.5, _latin(block.below_name), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 11)
