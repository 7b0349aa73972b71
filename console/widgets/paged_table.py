"""A DataTable that shows one page of a long result at a time ("[" and "]" turn pages).

Textual's DataTable builds every row it is given up front; a report or a debtor list of 100 000
rows would freeze the screen, so this widget keeps the rows (or a page source) aside and puts only
`page_size` of them into the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable


PageSource = Callable[[int, int], Sequence[Sequence[Any]]]   # (offset, limit) -> rows


class PagedTable(DataTable):
    BINDINGS = [
        Binding("right_square_bracket", "page(1)", "Стр.→", id="table.next_page"),
        Binding("left_square_bracket", "page(-1)", "←Стр.", id="table.prev_page"),
    ]

    class PageShown(Message):
        def __init__(self, table: PagedTable, page: int, pages: int) -> None:
            super().__init__()
            self.table = table
            self.page = page
            self.pages = pages

    def __init__(self, *args: Any, page_size: int = 200, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)
        self.page_size = page_size
        self.total = 0
        self.page = 0
        self._source: PageSource | None = None
        self._format: Callable[[Sequence[Any]], Sequence[Any]] = lambda r: r
        self._keys: Callable[[Sequence[Any]], str | None] = lambda r: None
        self.page_rows: list[Sequence[Any]] = []

    def show(self, columns: Sequence[str], rows: Sequence[Sequence[Any]] | None = None, *,
             source: PageSource | None = None, total: int | None = None,
             fmt: Callable[[Sequence[Any]], Sequence[Any]] | None = None,
             key: Callable[[Sequence[Any]], str | None] | None = None) -> None:
        """Rows in memory (`rows`) or fetched page by page (`source` + `total`)."""
        if rows is not None:
            data = rows
            self._source = lambda off, lim: data[off:off + lim]
            self.total = len(rows)
        else:
            self._source = source
            self.total = int(total or 0)
        self._format = fmt or (lambda r: r)
        self._keys = key or (lambda r: None)
        self.clear(columns=True)
        self.add_columns(*columns)
        self.page = 0
        self._fill()

    @property
    def pages(self) -> int:
        return max(1, (self.total + self.page_size - 1) // self.page_size)

    def _fill(self) -> None:
        self.clear()
        if self._source is None:
            return
        self.page_rows = list(self._source(self.page * self.page_size, self.page_size))
        for r in self.page_rows:
            self.add_row(*self._format(r), key=self._keys(r))
        self.border_subtitle = f"стр. {self.page + 1} из {self.pages} · строк {self.total}"
        self.post_message(self.PageShown(self, self.page, self.pages))

    def refill(self, rows: Sequence[Sequence[Any]]) -> None:
        """Replace the in-memory rows, keep the page and the cursor (expanding a row in place)."""
        row, page = self.cursor_row, self.page
        data = rows
        self._source = lambda off, lim: data[off:off + lim]
        self.total = len(rows)
        self.page = min(page, self.pages - 1)
        self._fill()
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1))

    def action_page(self, delta: int) -> None:
        new = min(max(self.page + delta, 0), self.pages - 1)
        if new != self.page:
            self.page = new
            self._fill()

    def current_row(self) -> Sequence[Any] | None:
        if not self.page_rows or self.cursor_row < 0 or self.cursor_row >= len(self.page_rows):
            return None
        return self.page_rows[self.cursor_row]
