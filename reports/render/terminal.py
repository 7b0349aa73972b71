"""Terminal output: a Rich table with Russian number formats and a bold totals row.

Numbers are never cut or wrapped: numeric columns get the width of their longest value, text
columns fold. Into a pipe or a file the table is as wide as it needs to be (nothing is lost);
on a terminal it takes the terminal's width.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TextIO

from sbyt.reports.render.numbers import display, display_cell
from sbyt.reports.table import Table

TOTAL_LABEL = "Итого"


def write(table: Table, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    texts = [[display_cell(v, c) for v, c in zip(row, table.columns)] for row in table.rows]
    totals = table.totals()
    total_cells: list[str] | None = None
    if totals is not None:
        total_cells = [display(v, c.format) for v, c in zip(totals, table.columns)]
        label = table.totals_label_index()
        if label >= 0:
            total_cells[label] = TOTAL_LABEL
    every = texts + ([total_cells] if total_cells else [])
    natural = [max([len(c.title)] + [len(r[i]) for r in every]) for i, c in enumerate(table.columns)]

    caption = "; ".join(f"{title}: {value}" for title, value in table.params) or None
    rt = RichTable(title=table.title, caption=caption, show_lines=False)
    for i, col in enumerate(table.columns):
        numeric = col.numeric or (col.format == "auto" and _numeric_auto(table, i))
        if numeric:
            widest = max([len(r[i]) for r in every] + [1])
            rt.add_column(col.title, justify="right", no_wrap=True, min_width=widest)
        else:
            rt.add_column(col.title, justify="left", overflow="fold")
    for row in texts:
        rt.add_row(*row)
    if total_cells is not None:
        rt.add_section()
        rt.add_row(*total_cells, style="bold")
    console = Console(file=out, soft_wrap=False)
    if not console.is_terminal:
        console.width = max(80, sum(natural) + 3 * len(natural) + 1)
    console.print(rt)


def _numeric_auto(table: Table, i: int) -> bool:
    for row in table.rows[:50]:
        v = row[i]
        if v is not None:
            return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
    return False
