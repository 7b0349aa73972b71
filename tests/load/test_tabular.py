"""io.tabular: encodings, separators, row numbers as the operator sees them, XLSX cells as text."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sbyt.io.tabular import csv_bytes, parse_bytes, parse_csv


def test_bom_semicolon_and_row_numbers() -> None:
    t = parse_csv("\ufeffCode; Name \r\nR01;Центр\r\n\r\n;\r\nR02;\"Север;\nзапад\"\r\n".encode(), "d.csv")
    assert t.columns == ["code", "name"]
    assert t.rows == [["R01", "Центр"], ["R02", "Север;\nзапад"]]
    assert t.row_numbers == [2, 5]


def test_cp1251_and_comma() -> None:
    t = parse_csv("code,name\nR01,Центр\n".encode("cp1251"), "d.csv")
    assert t.rows == [["R01", "Центр"]]


def test_extra_cells_are_an_error_and_missing_cells_are_empty() -> None:
    t = parse_csv(b"a;b\n1;2;3\n4\n", "x.csv")
    assert [str(e) for e in t.errors] == ["x.csv:2: лишние значения: в строке 3 полей, в заголовке 2"]
    assert t.rows == [["4", None]]


def test_xlsx_cells_become_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["date", "n", "x", "flag"])
    ws.append([date(2026, 1, 31), 12.0, 0.5, True])
    ws.append([datetime(2026, 2, 1, 0, 0), 7, "  текст ", None])
    wb.save(tmp_path / "a.xlsx")
    t = parse_bytes((tmp_path / "a.xlsx").read_bytes(), "a.xlsx")
    assert t.rows == [["2026-01-31", "12", "0.5", "1"], ["2026-02-01", "7", "текст", None]]
    assert t.row_numbers == [2, 3]
    assert len(t.sha256) == 64


def test_csv_bytes_round_trip() -> None:
    data = csv_bytes(["a", "b"], [["1", None]])
    assert data == b"\xef\xbb\xbfa;b\r\n1;\r\n"
    assert parse_bytes(data, "t.csv").rows == [["1", None]]


def test_fast_reader_gives_the_same_rows(monkeypatch) -> None:
    import sbyt.io.tabular as tabular

    text = "\ufeffaccount;value\r\n1000000001;5\r\n;\r\n1000000002; 7 \r\n".encode()
    slow = tabular.parse_csv(text, "r.csv")
    monkeypatch.setattr(tabular, "FAST_CHARS", 0)
    fast = tabular.parse_csv(text, "r.csv")
    assert fast.data is not None and slow.data is None
    assert fast.row_numbers == slow.row_numbers == [2, 4]
    assert fast.to_arrow(["value", "zone"]).column("zone").null_count == 2
    assert [[c.strip() if c else c for c in r] for r in fast.rows] == slow.rows
    # quotes or blank lines inside: the careful reader
    assert tabular.parse_csv(b'a;b\n"1";2\n', "q.csv").data is None
