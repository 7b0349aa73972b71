"""JSON: a list of objects keyed by column name; exact decimals as strings, ISO dates."""

from __future__ import annotations

import json
from typing import TextIO

from sbyt.reports.render.numbers import json_cell
from sbyt.reports.table import Table


def write(table: Table, out: TextIO) -> None:
    names = [c.name for c in table.columns]
    cols = table.columns
    data = [{n: json_cell(v, c) for n, v, c in zip(names, row, cols)} for row in table.rows]
    out.write(json.dumps(data, ensure_ascii=False, indent=1))
    out.write("\n")
