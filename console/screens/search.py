"""F2 — search by account number, holder or address while typing; Enter opens the card."""

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
from sbyt.console.widgets.tables import fill
from sbyt.core import console_reads
from sbyt.core.search import SearchHit, search


DEBOUNCE_S = 0.25


RESULT_COLUMNS = ("Лицевой счёт", "Абонент", "Адрес")


class SearchScreen(ConsoleScreen):
    TITLE = "Поиск лицевого счёта"
    HELP = """
Введите начало номера лицевого счёта, фамилию абонента или часть адреса
(несколько слов — все должны встретиться: «ленина 5 иванов»). Результаты
появляются по мере ввода. Стрелка вниз — к списку, Enter — карточка счёта.
"""
    BINDINGS = [
        Binding("ctrl+f", "focus_query", "Строка поиска", id="search.focus"),
        Binding("enter", "open", "Карточка", id="search.open", show=False),
    ]

    class AccountsFound(Message):
        def __init__(self, query: str, hits: list[SearchHit]) -> None:
            super().__init__()
            self.query = query
            self.hits = hits

    class IndexRefreshed(Message):
        pass

    def __init__(self) -> None:
        super().__init__()
        self._timer: Timer | None = None
        self.hits: list[SearchHit] = []
        self._shown_query: str | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("search", id="nav")
        with Vertical(id="search-body"):
            yield Input(placeholder="Номер ЛС, ФИО или адрес", id="search-input", compact=True)
            yield Static("", id="search-status")
            table = DataTable(id="search-results", cursor_type="row", zebra_stripes=True)
            table.add_columns(*RESULT_COLUMNS)
            yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()
        self.check_index()

    @work(thread=True, exclusive=True, group="search-index", exit_on_error=False)
    def check_index(self) -> None:
        from sbyt.console.services import prepare_search

        self.app.call(prepare_search, lambda text: self.app.call_from_thread(self._status, text))
        self.app.search_index_ready = True
        self.post_message(self.IndexRefreshed())
        self.app.call(console_reads.warm_up)   # while the operator types: the first card opens fast too

    def on_search_screen_index_refreshed(self, _: IndexRefreshed) -> None:
        if self.query_one("#search-status", Static).content == "Обновляется поисковый индекс…":
            self._status("")

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search-input":
            return
        if self._timer is not None:
            self._timer.stop()
        text = event.value
        self._timer = self.set_timer(DEBOUNCE_S, lambda: self.run_search(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        if event.value == self._shown_query and len(self.hits) == 1:
            self.open_account(self.hits[0].account_id)   # the list on screen is current: no new search
            return
        self.run_search(event.value, open_single=True)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, text: str, open_single: bool = False) -> None:
        hits = self.app.call(search, text, use_index=self.app.search_index_ready)
        self.post_message(self.AccountsFound(text, hits))
        if open_single and len(hits) == 1:
            self.app.call_from_thread(self.open_account, hits[0].account_id)
        elif open_single and hits:
            self.app.call_from_thread(self.query_one("#search-results", DataTable).focus)

    def on_search_screen_accounts_found(self, event: AccountsFound) -> None:
        if event.query != self.query_one("#search-input", Input).value:
            return  # a newer query is on its way
        self.hits = event.hits
        self._shown_query = event.query
        table = self.query_one("#search-results", DataTable)
        fill(table, RESULT_COLUMNS, [(h.number, h.holder_name, h.address) for h in event.hits],
             keys=[str(h.account_id) for h in event.hits])      # the columns fit these hits, not an earlier query's
        table.move_cursor(row=0)                                # a new result starts at its first hit
        if not event.query.strip():
            self._status("")
        elif not event.hits:
            self._status("Ничего не найдено")
        else:
            more = " (показаны первые)" if len(event.hits) >= 50 else ""
            self._status(f"Найдено: {len(event.hits)}{more}")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_account(int(event.row_key.value))

    def on_key(self, event) -> None:  # noqa: ANN001 - textual.events.Key
        if event.key == "down" and self.focused is self.query_one("#search-input", Input):
            self.query_one("#search-results", DataTable).focus()
            event.stop()

    def action_focus_query(self) -> None:
        self.query_one("#search-input", Input).focus()

    def action_open(self) -> None:
        table = self.query_one("#search-results", DataTable)
        if self.hits and table.cursor_row >= 0:
            self.open_account(self.hits[table.cursor_row].account_id)

    def open_account(self, account_id: int) -> None:
        from sbyt.console.screens.card import CardScreen

        if not self.app.is_screen_installed("card"):
            self.app.install_screen(CardScreen(), "card")
        card = self.app.get_screen("card")
        card.open(account_id)
        self.app.push_screen(card)
