"""PDF via fpdf2: landscape A4, embedded DejaVu Sans (Cyrillic), title and parameters on the first
page, the column header repeated on every page, a bold totals row, «Страница N из M» in the footer.
"""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from sbyt.core.errors import RefusedError
from sbyt.reports import fonts
from sbyt.reports.render.numbers import display, display_cell
from sbyt.reports.render.terminal import TOTAL_LABEL
from sbyt.reports.table import Table

MAX_ROWS = 20_000
FONT_SIZE = 8


def _document():  # noqa: ANN202 - fpdf.FPDF subclass built lazily (fpdf imports are slow)
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(fonts.FAMILY, "", 7)
            self.cell(0, 5, f"Страница {self.page_no()} из {{nb}}", align="R")

    return ReportPDF(orientation="L", unit="mm", format="A4")


def write(table: Table, out: BinaryIO) -> None:
    from fpdf.fonts import FontFace

    if len(table.rows) > MAX_ROWS:
        raise RefusedError(f"В отчёте {len(table.rows)} строк; PDF строится не более чем для {MAX_ROWS}. "
                           "Выгрузите отчёт в XLSX или CSV или сузьте параметры.")
    pdf = _document()
    family = fonts.add_to(pdf)
    pdf.set_title(table.title or table.name)
    pdf.set_creator("sbyt")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(10, 10, 10)
    pdf.add_page()
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(0, 6, table.title or table.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 8)
    lines = [f"{t}: {v}" for t, v in table.params]
    lines.append(f"Сформирован: {datetime.now():%d.%m.%Y %H:%M}")
    pdf.multi_cell(0, 4.5, "; ".join(lines), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    texts = [[display_cell(v, c) for v, c in zip(row, table.columns)] for row in table.rows]
    sums = table.totals()
    total_cells: list[str] | None = None
    if sums is not None:
        total_cells = [display(v, c.format) for v, c in zip(sums, table.columns)]
        label = table.totals_label_index()
        if label >= 0:
            total_cells[label] = TOTAL_LABEL

    widths, aligns = _layout(pdf, family, table, texts, total_cells)
    with pdf.table(
        col_widths=tuple(widths), width=min(sum(widths), pdf.epw), text_align=tuple(aligns),
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
        repeat_headings=1, line_height=pdf.font_size_pt * 0.5, first_row_as_headings=True,
    ) as pt:
        head = pt.row()
        for col in table.columns:
            head.cell(col.title, align="CENTER")
        for row in texts:
            r = pt.row()
            for cell in row:
                r.cell(cell)
        if total_cells is not None:
            r = pt.row(style=FontFace(emphasis="BOLD"))
            for cell in total_cells:
                r.cell(cell)
    pdf.output(out)


PADDING = 3.0      # mm of cell padding and border per column
MIN_TEXT = 15.0    # mm: narrowest text column before the font gets smaller


def _layout(pdf, family: str, table: Table, texts: list[list[str]],  # noqa: ANN001
            total_cells: list[str] | None) -> tuple[list[float], list[str]]:
    """Column widths (mm) and alignments: numbers never wrap, text columns share what is left."""
    size = FONT_SIZE
    while True:
        pdf.set_font(family, "", size)
        numeric, need, floor = [], [], []
        for i, col in enumerate(table.columns):
            is_num = col.numeric or (col.format == "auto" and _looks_numeric(texts, i))
            cells = [r[i] for r in texts[:2000]]
            widest = max([pdf.get_string_width(c) for c in cells] + [0])
            longest_word = max([pdf.get_string_width(w) for c in cells for w in c.split()] + [0])
            pdf.set_font(family, "B", size)
            word = max([pdf.get_string_width(w) for w in col.title.split()] + [0])
            bold_total = pdf.get_string_width(total_cells[i]) if total_cells else 0
            pdf.set_font(family, "", size)
            numeric.append(is_num)
            need.append(max(widest, word, bold_total) + PADDING)
            floor.append(max(word, bold_total, widest if is_num else longest_word) + PADDING)
        fixed = sum(n for n, num in zip(need, numeric) if num)
        text_idx = [i for i, num in enumerate(numeric) if not num]
        room = pdf.epw - fixed
        if fixed + sum(_text_floor(floor[i], need[i]) for i in text_idx) <= pdf.epw or size <= 5:
            break
        size -= 0.5
    widths = list(need)
    if text_idx:
        lo = {i: _text_floor(floor[i], need[i]) for i in text_idx}
        hi = {i: max(min(need[i], 90), lo[i]) for i in text_idx}
        if sum(hi.values()) <= room:      # spread the spare width over the text columns
            extra = (room - sum(hi.values())) / len(text_idx)
            for i in text_idx:
                widths[i] = hi[i] + extra
        else:                             # each its floor (its longest word), the rest by what it lacks
            spare = max(room - sum(lo.values()), 0)
            lack = sum(hi[i] - lo[i] for i in text_idx) or 1
            for i in text_idx:
                widths[i] = lo[i] + spare * (hi[i] - lo[i]) / lack
    total = sum(widths)
    if total > pdf.epw:
        widths = [w * pdf.epw / total for w in widths]
    pdf.set_font(family, "", size)
    aligns = ["RIGHT" if num else "LEFT" for num in numeric]
    return widths, aligns


def _text_floor(floor: float, need: float) -> float:
    """The narrowest a text column may get: its longest word (never split), and MIN_TEXT unless its
    whole content is narrower."""
    return max(floor, min(MIN_TEXT, need))


def _looks_numeric(texts: list[list[str]], i: int) -> bool:
    for row in texts[:50]:
        if row[i]:
            return row[i].replace("\u00a0", "").replace(",", "").replace("-", "").isdigit()
    return False
