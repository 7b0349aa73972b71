"""PDF via fpdf2: landscape A4, embedded DejaVu Sans (Cyrillic), title and parameters on the first
page, the column header repeated on every page, a bold totals row, «Страница N из M» in the footer.
"""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from sbyt.core.errors import RefusedError
from sbyt.reports import fonts
from sbyt.reports.render.numbers import display
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

    texts = [[display(v, c.format) for v, c in zip(row, table.columns)] for row in table.rows]
    sums = table.totals()
    total_cells: list[str] | None = None
    if sums is not None:
        total_cells = [display(v, c.format) for v, c in zip(sums, table.columns)]
        label = table.totals_label_index()
        if label >= 0:
            total_cells[label] = TOTAL_LABEL

    pdf.set_font(family, "", FONT_SIZE)
    widths = []
    for i, col in enumerate(table.columns):
        sample = [r[i] for r in texts[:500]] + ([total_cells[i]] if total_cells else [])
        longest = max([pdf.get_string_width(s) for s in sample] + [pdf.get_string_width(col.title) * 0.6, 8])
        widths.append(min(longest + 3, 80))
    aligns = ["RIGHT" if c.numeric or (c.format == "auto" and _looks_numeric(texts, i)) else "LEFT"
              for i, c in enumerate(table.columns)]
    with pdf.table(
        col_widths=tuple(widths), width=min(sum(widths), pdf.epw), text_align=tuple(aligns),
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
        repeat_headings=1, line_height=FONT_SIZE * 0.5, first_row_as_headings=True,
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


def _looks_numeric(texts: list[list[str]], i: int) -> bool:
    for row in texts[:50]:
        if row[i]:
            return row[i].replace("\u00a0", "").replace(",", "").replace("-", "").isdigit()
    return False
