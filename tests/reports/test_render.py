"""Renderers: Russian numbers, CSV for Excel, JSON, XLSX and PDF; golden files for one report.

Golden files live in tests/reports/golden/; regenerate them after a deliberate change with
`SBYT_UPDATE_GOLDEN=1 pytest tests/reports/test_render.py` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sbyt.reports import render
from sbyt.reports.catalog import catalog
from sbyt.reports.query import open_read_only, run_report
from sbyt.reports.render.numbers import csv_text, display, number
from sbyt.reports.table import Column, Table

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SBYT_UPDATE_GOLDEN") == "1"
NB = "\u00a0"
PARAMS = {"period_from": "2026-10", "period_to": "11.2026"}


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(actual.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == actual, f"differs from {path} (SBYT_UPDATE_GOLDEN=1 to accept)"


@pytest.fixture
def osv(mini_db) -> Table:
    con = open_read_only(mini_db)
    try:
        return run_report(con, catalog().get("turnover_by_account"), PARAMS)
    finally:
        con.close()


def test_russian_number_formats():
    assert number(Decimal("1234567.89"), 2) == f"1{NB}234{NB}567,89"
    assert number(Decimal("-0.5"), 2) == "-0,50"
    assert number(1234567, None) == f"1{NB}234{NB}567"
    assert display(Decimal("1234.5"), "kwh") == f"1{NB}234,500"
    assert display(Decimal("12.5"), "percent") == f"12,50{NB}%"
    assert display(date(2026, 11, 5), "date") == "05.11.2026"
    assert display(202611, "period") == "11.2026"
    assert display(202611, "auto") == "202611"          # plain ints (ids, periods) are not grouped
    assert display(None, "money") == ""
    assert csv_text(Decimal("1234567.89"), "money") == "1234567,89"
    assert csv_text(Decimal("1234567.5"), "auto") == "1234567,5"
    assert csv_text(date(2026, 11, 5), "date") == "2026-11-05"


def test_totals_are_exact_sums(osv):
    totals = osv.totals()
    assert totals[0] is None
    idx = [c.name for c in osv.columns].index("closing_rub")
    assert totals[idx] == sum(r["closing_rub"] for r in osv.records()) == Decimal("1235026.34")


def test_csv_golden_file_for_excel(osv, tmp_path):
    path = render.write(osv, "csv", tmp_path / "osv.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")                       # UTF-8 BOM for Excel
    assert b"\r\n" in data
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].split(";")[0] == "Лицевой счёт"
    assert text.splitlines()[-1].startswith("Итого;;;1050,55;")
    _golden("turnover_by_account.csv", data.decode("utf-8"))


def _xlsx_snapshot(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    cells = []
    for row in ws.iter_rows():
        for c in row:
            if c.value is None and not c.font.b:
                continue
            value = c.value
            if isinstance(value, float):
                value = repr(value)
            cells.append([c.coordinate, value, c.number_format, bool(c.font.b)])
    snap = {
        "sheet": ws.title,
        "freeze_panes": ws.freeze_panes,
        "auto_filter": ws.auto_filter.ref,
        "widths": {k: v.width for k, v in sorted(ws.column_dimensions.items())},
        "cells": cells,
    }
    head = json.dumps({k: v for k, v in snap.items() if k != "cells"}, ensure_ascii=False, indent=1)
    lines = [json.dumps(c, ensure_ascii=False) for c in cells]
    return head + "\n" + "\n".join(lines) + "\n"


def test_xlsx_golden_values_and_styles(osv, tmp_path):
    path = render.write(osv, "xlsx", tmp_path / "osv.xlsx")
    snap = _xlsx_snapshot(path)
    ws = openpyxl.load_workbook(path).active
    assert ws.freeze_panes == "A5"
    assert ws["A4"].value == "Лицевой счёт" and ws["A4"].font.b
    assert ws["D5"].number_format == "#,##0.00"
    assert ws["A9"].value == "Итого" and ws["J9"].font.b
    assert Decimal(str(ws["J9"].value)) == Decimal("1235026.34")
    _golden("turnover_by_account.xlsx.json", snap)


def test_json_output(osv):
    data = json.loads(render.to_text(osv, "json"))
    assert data[0]["account_number"] == "1000000001"
    assert data[0]["closing_rub"] == "479.01"
    assert len(data) == 4


def test_terminal_output_has_russian_numbers_and_totals(osv):
    text = render.to_text(osv, "table")
    assert "Оборотно-сальдовая ведомость по лицевым счетам" in text
    assert f"1{NB}234{NB}567,90" in text
    total_line = next(line for line in text.splitlines() if "Итого" in line)
    assert f"1{NB}235{NB}026,34" in total_line
    assert "Константинопольская-Щербатова Александра Вячеславовна" in text   # nothing cut off in a pipe
    assert "Период с: 10.2026; Период по: 11.2026" in text


def test_pdf_is_landscape_with_embedded_cyrillic_font(osv, tmp_path):
    path = render.write(osv, "pdf", tmp_path / "osv.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"DejaVu" in data and b"FontFile2" in data          # embedded TrueType
    assert b"/MediaBox [0 0 841.89 595.28]" in data      # A4 landscape


def test_pdf_repeats_header_on_many_pages(tmp_path):
    rows = [(f"{i:010d}", "Потребитель " * (1 + i % 4), Decimal(i) / 7) for i in range(300)]
    table = Table("Длинный отчёт", [Column("a", "Лицевой счёт", "text"), Column("b", "Имя", "text"),
                                    Column("c", "Сумма", "money", True)],
                  [(a, b, c.quantize(Decimal("0.01"))) for a, b, c in rows], [("Период", "11.2026")], "long")
    data = render.write(table, "pdf", tmp_path / "long.pdf").read_bytes()
    assert data.count(b"/Type /Page\n") > 3 or data.count(b"/Type /Page ") > 3 or data.count(b"/Type /Page") > 4


def test_binary_formats_default_to_a_file_named_after_the_report(osv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert render.write(osv, "xlsx") == Path("turnover_by_account.xlsx")
    assert (tmp_path / "turnover_by_account.xlsx").exists()


def test_emit_uses_the_same_renderers(capsys):
    from sbyt.console.cli.common import Fmt, emit

    emit(["a", "b", "c"], [(1, Decimal("1234.5"), date(2026, 1, 2)), (None, "x", None)], Fmt.csv)
    assert capsys.readouterr().out == "a;b;c\n1;1234,5;2026-01-02\n;x;\n"
    emit(["a", "b"], [(1, Decimal("1234.5"))], Fmt.json)
    assert json.loads(capsys.readouterr().out) == [{"a": 1, "b": "1234.5"}]
    emit(["Лицевой счёт", "b"], [(202611, Decimal("1234.5"))], Fmt.table, title="Заголовок")
    out = capsys.readouterr().out
    assert "Заголовок" in out and "202611" in out and f"1{NB}234,5" in out


def test_unknown_format_is_refused(osv):
    from sbyt.core.errors import SbytError

    with pytest.raises(SbytError, match="Неизвестный формат «docx»"):
        render.write(osv, "docx", io.StringIO())  # type: ignore[arg-type]


def test_pdf_columns_never_split_a_word_or_an_account_number(tmp_path):
    """Many numeric columns and long texts (the ОДН detail's shape): every text column is at least as
    wide as its longest word, so «3100000001» or «Серафимовича» is never broken across lines; the
    table fills the page exactly (a width a hair over the page used to raise in fpdf)."""
    from fpdf import FPDF

    from sbyt.reports import fonts
    from sbyt.reports.render.pdf import PADDING, _layout
    from sbyt.reports.render.numbers import display_cell

    cols = [Column("sec", "Раздел", "text"), Column("what", "Помещение / прибор учёта", "text"),
            Column("acc", "Лицевой счёт / заводской номер", "text"), Column("who", "ФИО / зона", "text"),
            *(Column(f"n{i}", f"Показатель {i}, кВт·ч", "kwh") for i in range(9))]
    rows = [("ЛС", f"г. Хатанга, ул. Серафимовича, д. 1, кв. {k}", f"31000000{k:02d}/1",
             "Константинопольский Вольдемар Аристархович", *(Decimal(123456789 + k) / 1000 for _ in range(9)))
            for k in range(40)]
    table = Table("Детализация ОДН по МКД", cols, rows)
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    family = fonts.add_to(pdf)
    pdf.set_margins(10, 10, 10)
    texts = [[display_cell(v, c) for v, c in zip(r, cols)] for r in rows]
    widths, _ = _layout(pdf, family, table, texts, None)
    assert sum(widths) <= pdf.epw + 1e-9
    for i in range(4):
        longest = max(pdf.get_string_width(w) for r in texts for w in r[i].split())
        assert widths[i] >= longest + PADDING - 1e-9, (cols[i].title, widths[i], longest)
    render.write(table, "pdf", tmp_path / "odn.pdf")
