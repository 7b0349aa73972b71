"""Filling a DataTable with columns that fit their content at once.

A DataTable measures auto-width columns only when it next goes idle; a screenshot or a test that
looks before then (a busy machine) sees the columns at their titles' widths. `fill` gives every
column its width with the rows, so what is shown never depends on when the table went idle."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable


def fill(table: DataTable, columns: Sequence[str], rows: Sequence[Sequence[Any]],
         keys: Sequence[str] | None = None) -> None:
    """Replace the table's columns and rows. Cells other than Text are shown as plain text (never
    read as markup); a row's key is its place unless `keys` are given; the cursor keeps its row
    number where the rows allow."""
    cursor = table.cursor_row
    cells = [[c if isinstance(c, Text) else Text("" if c is None else str(c)) for c in r] for r in rows]
    table.clear(columns=True)
    for i, title in enumerate(columns):
        width = max([Text(title).cell_len] + [r[i].cell_len for r in cells if i < len(r)])
        table.add_column(title, width=width)
    for i, r in enumerate(cells):
        table.add_row(*r, key=keys[i] if keys is not None else str(i))
    if cells:
        table.move_cursor(row=min(cursor, len(cells) - 1))
