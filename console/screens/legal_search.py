"""F8 — legal entities: search a counterparty by INN, name or contract number while typing; Enter
opens its card (`legal_card.CounterpartyCardScreen`)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.widgets.nav_bar import NavBar
from sbyt.core.labels import label
from sbyt.core.legal_cards import SEARCH_LIMIT, CounterpartyHit, find_counterparties

DEBOUNCE_S = 0.25


class LegalSearchScreen(ConsoleScreen):
    TITLE = "Юридические лица: поиск контрагента"
    HELP = """
Введите начало ИНН, часть наименования (регистр не важен) или начало номера договора.
Результаты появляются по мере ввода; точное совпадение ИНН или номера договора — первым.
Стрелка вниз — к списку, Enter — карточка контрагента (договоры, объекты, точки поставки,
приборы учёта, почасовые данные, документы, поступления).
"""
    BINDINGS = [
        Binding("ctrl+f", "focus_query", "Строка поиска", id="legal.focus"),
        Binding("enter", "open", "Карточка", id="legal.open", show=False),
    ]

    class CounterpartiesFound(Message):
        def __init__(self, query: str, hits: list[CounterpartyHit]) -> None:
            super().__init__()
            self.query = query
            self.hits = hits

    def __init__(self) -> None:
        super().__init__()
        self._timer: Timer | None = None
        self.hits: list[CounterpartyHit] = []
        self._shown_query: str | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("legal", id="nav")
        with Vertical(id="legal-body"):
            yield Input(placeholder="ИНН, наименование или номер договора", id="legal-input", compact=True)
            yield Static("", id="legal-status")
            table = DataTable(id="legal-results", cursor_type="row", zebra_stripes=True)
            table.add_columns("ИНН", "КПП", "Наименование", "Вид", "Договоры")
            yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#legal-input", Input).focus()

    def _status(self, text: str) -> None:
        self.query_one("#legal-status", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "legal-input":
            return
        if self._timer is not None:
            self._timer.stop()
        text = event.value
        self._timer = self.set_timer(DEBOUNCE_S, lambda: self.run_search(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        if event.value == self._shown_query and len(self.hits) == 1:
            self.open_counterparty(self.hits[0].counterparty_id)
            return
        self.run_search(event.value, open_single=True)

    @work(thread=True, exclusive=True, group="legal-search", exit_on_error=False)
    def run_search(self, text: str, open_single: bool = False) -> None:
        hits = self.app.call(find_counterparties, text, self.app.today)
        self.post_message(self.CounterpartiesFound(text, hits))
        if open_single and len(hits) == 1:
            self.app.call_from_thread(self.open_counterparty, hits[0].counterparty_id)
        elif open_single and hits:
            self.app.call_from_thread(self.query_one("#legal-results", DataTable).focus)

    def on_legal_search_screen_counterparties_found(self, event: CounterpartiesFound) -> None:
        if event.query != self.query_one("#legal-input", Input).value:
            return  # a newer query is on its way
        self.hits = event.hits
        self._shown_query = event.query
        table = self.query_one("#legal-results", DataTable)
        table.clear()
        for h in event.hits:
            table.add_row(h.inn, h.kpp or "", h.name, label("counterparty_kind", h.kind), h.contracts,
                          key=str(h.counterparty_id))
        if not event.query.strip():
            self._status("")
        elif not event.hits:
            self._status("Ничего не найдено")
        else:
            more = " (показаны первые)" if len(event.hits) >= SEARCH_LIMIT else ""
            self._status(f"Найдено: {len(event.hits)}{more}")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_counterparty(int(event.row_key.value))

    def on_key(self, event) -> None:  # noqa: ANN001 - textual.events.Key
        if event.key == "down" and self.focused is self.query_one("#legal-input", Input):
            self.query_one("#legal-results", DataTable).focus()
            event.stop()

    def action_focus_query(self) -> None:
        self.query_one("#legal-input", Input).focus()

    def action_open(self) -> None:
        table = self.query_one("#legal-results", DataTable)
        if self.hits and table.cursor_row >= 0:
            self.open_counterparty(self.hits[table.cursor_row].counterparty_id)

    def open_counterparty(self, counterparty_id: int) -> None:
        from sbyt.console.screens.legal_card import CounterpartyCardScreen

        self.app.push_screen(CounterpartyCardScreen(counterparty_id))
