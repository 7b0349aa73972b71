"""Add a reading from the card: meter, zone, value, date; «Проверить» shows the control result
(consumption, anomaly) from the readings service before «Сохранить» writes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from sbyt.core.console_reads import MeterRow
from sbyt.core.periods import parse_date


@dataclass(frozen=True)
class ReadingEntry:
    meter_id: int
    zone: int
    value: int
    read_on: date


def parse_entry(meter_id: int | None, zone_text: str, value_text: str, date_text: str,
                today: date | None = None) -> ReadingEntry:
    """Operator text -> entry, or ValueError with a Russian message."""
    if meter_id is None:
        raise ValueError("выберите прибор учёта")
    value_text = value_text.strip().replace(" ", "").replace("\u00a0", "")
    if not value_text.isdigit():
        raise ValueError("показание — целое неотрицательное число кВт·ч")
    zone_text = zone_text.strip() or "1"
    if zone_text not in {"1", "2", "3"}:
        raise ValueError("зона — 1, 2 или 3")
    d = date_text.strip()
    read_on = (today or date.today()) if not d else parse_date(d)
    return ReadingEntry(meter_id, int(zone_text), int(value_text), read_on)


class ReadingDialog(ModalScreen[ReadingEntry | None]):
    """Dismisses with the entry to save (after a passed or acknowledged check), or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Отмена", id="reading.cancel"),
        Binding("ctrl+s", "save", "Сохранить", id="reading.save"),
    ]

    def __init__(self, meters: list[MeterRow], today: date | None = None) -> None:
        super().__init__()
        self.today = today or date.today()
        self.meters = [m for m in meters if m.meter_id is not None and m.removed is None]
        self.checked: ReadingEntry | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Новое показание", classes="dialog-title")
            options = [(f"{m.serial} {m.model} ({m.zones} зон.)", m.meter_id) for m in self.meters]
            yield Select(options, value=options[0][1] if options else Select.NULL, allow_blank=not options,
                         id="reading-meter", prompt="Прибор учёта")
            with Horizontal(classes="form-row"):
                yield Input("1", placeholder="Зона", id="reading-zone", classes="short", compact=True)
                yield Input("", placeholder="Показание, кВт·ч", id="reading-value", compact=True)
                yield Input(self.today.strftime("%d.%m.%Y"), placeholder="Дата", id="reading-date", compact=True)
            yield Static("Enter — проверить; Ctrl+S — сохранить", id="reading-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Проверить", id="reading-check", variant="primary", compact=True)
                yield Button("Сохранить", id="reading-save", variant="success", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reading-value", Input).focus()

    def entry(self) -> ReadingEntry:
        meter = self.query_one("#reading-meter", Select).value
        return parse_entry(None if meter is Select.NULL else int(meter),
                           self.query_one("#reading-zone", Input).value,
                           self.query_one("#reading-value", Input).value,
                           self.query_one("#reading-date", Input).value, self.today)

    def on_input_submitted(self) -> None:
        self.run_check()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "reading-check":
            self.run_check()
        else:
            self.action_save()

    def run_check(self) -> None:
        try:
            entry = self.entry()
        except ValueError as exc:
            self.query_one("#reading-result", Static).update(f"Ошибка: {exc}")
            return
        self.check(entry)

    def check(self, entry: ReadingEntry) -> None:
        def job() -> str:
            from sbyt.console.screens.readings_service import check_one

            return self.app.call(check_one, entry)

        worker = self.run_worker(job, thread=True, exclusive=True, group="reading-check", exit_on_error=False)
        worker.entry = entry  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event) -> None:  # noqa: ANN001
        from textual.worker import WorkerState

        self.app.worker_failed(event)
        if event.worker.group == "reading-check" and event.state == WorkerState.SUCCESS:
            self.checked = event.worker.entry
            self.query_one("#reading-result", Static).update(event.worker.result)

    def action_save(self) -> None:
        try:
            entry = self.entry()
        except ValueError as exc:
            self.query_one("#reading-result", Static).update(f"Ошибка: {exc}")
            return
        if entry != self.checked:
            self.query_one("#reading-result", Static).update("Сначала проверьте показание (Enter).")
            self.run_check()
            return
        self.dismiss(entry)

    def action_cancel(self) -> None:
        self.dismiss(None)
