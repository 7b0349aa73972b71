"""F3 — a controller's round: the meters of a street or a building in route order; readings typed
in sequence, each checked (consumption, anomaly) before the whole round is saved as one batch."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Select, Static

from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.widgets.format import day
from sbyt.console.widgets.nav_bar import NavBar
from sbyt.console.widgets.reading_dialog import ReadingEntry, parse_entry
from sbyt.core import console_reads as view


class RoundScreen(ConsoleScreen):
    TITLE = "Обход контролёра"
    HELP = """
Выберите улицу (и при необходимости дом): счётчики появятся в порядке обхода.
Вводите показания по очереди в строке внизу: Enter проверяет показание текущей
строки (расход или причина отклонения) и переходит к следующей. Ctrl+S сохраняет
все введённые показания одной пачкой. Дата показаний — в поле «Дата».
"""
    BINDINGS = [
        Binding("ctrl+s", "save", "Сохранить обход", id="round.save"),
        Binding("ctrl+l", "focus_street", "Улица", id="round.street"),
    ]

    class MetersLoaded(Message):
        def __init__(self, rows: list[view.RoundRow]) -> None:
            super().__init__()
            self.rows = rows

    class ReadingChecked(Message):
        def __init__(self, index: int, entry: ReadingEntry, result: str) -> None:
            super().__init__()
            self.index = index
            self.entry = entry
            self.result = result

    class RoundSaved(Message):
        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class PickersLoaded(Message):
        def __init__(self, kind: str, options: list[tuple[int, str]]) -> None:
            super().__init__()
            self.kind = kind
            self.options = options

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[view.RoundRow] = []
        self.entries: dict[int, ReadingEntry] = {}

    def compose(self) -> ComposeResult:
        yield NavBar("round", id="nav")
        with Vertical():
            with Horizontal(classes="form-row"):
                yield Select([], prompt="Улица", id="round-street", compact=True)
                yield Select([], prompt="Все дома", id="round-building", compact=True)
            yield DataTable(id="round-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="form-row"):
                yield Input(placeholder="Показание", id="round-value", compact=True)
                yield Input(placeholder="Дата ДД.ММ.ГГГГ (сегодня)", id="round-date", compact=True)
            yield Static("", id="round-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#round-table", DataTable).add_columns(
            "Дом", "Кв.", "ПУ", "Зона", "Последнее", "Новое", "Контроль", "Лицевой счёт", "Абонент", "Дата")
        self.load_pickers("street", None)

    @work(thread=True, group="round-pickers", exit_on_error=False)
    def load_pickers(self, kind: str, street_id: int | None) -> None:
        opts = self.app.call(view.streets) if kind == "street" else self.app.call(view.buildings, street_id)
        self.post_message(self.PickersLoaded(kind, opts))

    def on_round_screen_pickers_loaded(self, event: PickersLoaded) -> None:
        sel = self.query_one("#round-street" if event.kind == "street" else "#round-building", Select)
        sel.set_options([(label, i) for i, label in event.options])

    def on_select_changed(self, event: Select.Changed) -> None:
        street = self.query_one("#round-street", Select).value
        building = self.query_one("#round-building", Select).value
        if event.select.id == "round-street":
            if street is Select.NULL:
                return
            self.load_pickers("building", int(street))
            building = Select.NULL
        self.load_meters(None if street is Select.NULL else int(street),
                         None if building is Select.NULL else int(building))

    @work(thread=True, exclusive=True, group="round-load", exit_on_error=False)
    def load_meters(self, street_id: int | None, building_id: int | None) -> None:
        rows = self.app.call(view.round_meters, street_id, building_id)
        self.post_message(self.MetersLoaded(rows))

    def on_round_screen_meters_loaded(self, event: MetersLoaded) -> None:
        self.rows = event.rows
        self.entries.clear()
        table = self.query_one("#round-table", DataTable)
        table.clear()
        for i, r in enumerate(event.rows):
            table.add_row(r.house_no, r.flat, r.serial, str(r.zone), "" if r.last_value is None else str(r.last_value),
                          "", "", r.number, r.holder_name, day(r.last_read_on), key=str(i))
        self.query_one("#round-status", Static).update(f"Приборов учёта: {len(event.rows)}")
        if event.rows:
            self.query_one("#round-value", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id not in ("round-value", "round-date") or not self.rows:
            return
        table = self.query_one("#round-table", DataTable)
        index = table.cursor_row
        value = self.query_one("#round-value", Input).value
        if not value.strip():
            table.move_cursor(row=min(index + 1, len(self.rows) - 1))
            return
        row = self.rows[index]
        try:
            entry = parse_entry(row.meter_id, str(row.zone), value, self.query_one("#round-date", Input).value,
                                self.app.today)
        except ValueError as exc:
            self.query_one("#round-status", Static).update(f"Ошибка: {exc}")
            return
        self.check(index, entry)

    @work(thread=True, group="round-check", exit_on_error=False)
    def check(self, index: int, entry: ReadingEntry) -> None:
        from sbyt.console.screens.readings_service import check_one

        result = self.app.call(check_one, entry)
        self.post_message(self.ReadingChecked(index, entry, result))

    def on_round_screen_reading_checked(self, event: ReadingChecked) -> None:
        table = self.query_one("#round-table", DataTable)
        self.entries[event.index] = event.entry
        table.update_cell(str(event.index), table.ordered_columns[5].key, str(event.entry.value))
        table.update_cell(str(event.index), table.ordered_columns[6].key, event.result, update_width=True)
        self.query_one("#round-status", Static).update(f"{self.rows[event.index].number}: {event.result}")
        value = self.query_one("#round-value", Input)
        value.value = ""
        if table.cursor_row == event.index and event.index + 1 < len(self.rows):
            table.move_cursor(row=event.index + 1)

    def action_save(self) -> None:
        if not self.entries:
            self.app.show_error("Нет введённых показаний.")
            return
        self.save([self.entries[i] for i in sorted(self.entries)])

    @work(thread=True, exclusive=True, group="round-save", exit_on_error=False)
    def save(self, entries: list[ReadingEntry]) -> None:
        from sbyt.console.screens.readings_service import save

        self.app.call(save, entries, source="controller")
        self.post_message(self.RoundSaved(len(entries)))

    def on_round_screen_round_saved(self, event: RoundSaved) -> None:
        self.notify(f"Обход сохранён: показаний {event.count}")
        self.entries.clear()
        street = self.query_one("#round-street", Select).value
        building = self.query_one("#round-building", Select).value
        self.load_meters(None if street is Select.NULL else int(street),
                         None if building is Select.NULL else int(building))

    def action_focus_street(self) -> None:
        self.query_one("#round-street", Select).focus()
