"""CSV for Russian Excel: UTF-8 with BOM, ';' separator, decimal comma, CRLF line ends.

Russian Excel (Windows locale ru-RU) opens a double-clicked .csv with the list separator ';' and
the decimal separator ','; the BOM makes it read UTF-8 instead of Windows-1251. Files written
with --out carry the BOM; CSV on stdout has none, so pipes and scripts get clean first fields.
Numbers are not grouped (a grouped number would be read as text); dates are ISO (YYYY-MM-DD),
which Excel recognises in every locale. A totals row is appended when the report declares totals.
"""

from __future__ import annotations

import csv
from typing import TextIO

from sbyt.reports.render.numbers import csv_cell, csv_text
from sbyt.reports.render.terminal import TOTAL_LABEL
from sbyt.reports.table import Table

BOM = "\ufeff"
DELIMITER = ";"


def write(table: Table, out: TextIO, *, bom: bool = False, totals: bool = True) -> None:
    if bom:
        out.write(BOM)
    w = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n" if bom else "\n")
    w.writerow([c.title for c in table.columns])
    fmts = [c.format for c in table.columns]
    cols = table.columns
    w.writerows([csv_cell(v, c) for v, c in zip(row, cols)] for row in table.rows)
    sums = table.totals() if totals else None
    if sums is not None:
        cells = [csv_text(v, f) for v, f in zip(sums, fmts)]
        label = table.totals_label_index()
        if label >= 0:
            cells[label] = TOTAL_LABEL
        w.writerow(cells)
