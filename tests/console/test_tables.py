"""console.widgets.tables.fill: the columns fit their content as soon as the rows are in, before
the table next goes idle (a screenshot taken on a busy machine saw the titles' widths)."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from sbyt.console.widgets.tables import fill


class _One(App):
    def compose(self) -> ComposeResult:
        yield DataTable()


def test_widths_are_set_with_the_rows_and_cells_are_not_markup():
    async def run() -> tuple[list[int], list[int], list[str], int]:
        app = _One()
        async with app.run_test(size=(100, 10)) as pilot:
            table = app.query_one(DataTable)
            fill(table, ("Срок", "Дело"), [("17.12.2026", "ПИР-2026-000001"), ("[bold]x[/bold]", Text("коротко"))])
            first = [c.width for c in table.columns.values()]          # no pause: the table has not been idle
            table.move_cursor(row=1)
            fill(table, ("Срок", "Дело"), [("1", "2")], keys=["k"])
            second = [c.width for c in table.columns.values()]
            await pilot.pause()
            return first, second, [str(c) for c in table.get_row("k")], table.cursor_row

    first, second, row, cursor = asyncio.run(run())
    assert first == [14, 15]                  # «[bold]x[/bold]» is text, not markup
    assert second == [4, 4]                     # an earlier, wider fill leaves no trace
    assert row == ["1", "2"] and cursor == 0
