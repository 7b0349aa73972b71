"""F6 — reports: the catalog, a parameter form, the result a page at a time, export."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.widgets.dialogs import PromptDialog
from sbyt.console.widgets.nav_bar import NavBar
from sbyt.console.widgets.paged_table import PagedTable


class ReportsScreen(ConsoleScreen):
    TITLE = "Отчёты"
    HELP = """
Слева каталог отчётов: Enter — выбрать. Справа — параметры (пустое поле = значение
по умолчанию, например текущий период). Ctrl+R — построить; результат листается
страницами ([ и ]). X — выгрузить результат в файл: формат по расширению
(.xlsx, .csv, .pdf, .json).
"""
    BINDINGS = [
        Binding("ctrl+r", "run", "Построить", id="reports.run"),
        Binding("x,ч", "export", "Выгрузить", id="reports.export"),
        Binding("ctrl+l", "focus_catalog", "Каталог", id="reports.catalog"),
    ]

    class ReportRan(Message):
        def __init__(self, table) -> None:  # noqa: ANN001 - sbyt.reports.table.Table
            super().__init__()
            self.table = table

    def __init__(self) -> None:
        super().__init__()
        self.report = None
        self.result = None

    def compose(self) -> ComposeResult:
        yield NavBar("reports", id="nav")
        with Horizontal():
            yield OptionList(id="report-list")
            with Vertical(id="report-main"):
                yield Static("Выберите отчёт", id="report-title", markup=False)
                yield VerticalScroll(id="report-params")
                yield PagedTable(id="report-table", page_size=200)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        from sbyt.reports.catalog import catalog

        ol = self.query_one(OptionList)
        for r in sorted(catalog().reports.values(), key=lambda r: r.title):
            ol.add_option(Option(r.title, id=r.name))
        if ol.option_count:
            ol.highlighted = 0
        ol.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from sbyt.reports.catalog import catalog

        self.report = catalog().get(str(event.option.id))
        self.query_one("#report-title", Static).update(f"{self.report.title}\n{self.report.description}")
        box = self.query_one("#report-params", VerticalScroll)
        box.remove_children()
        widgets = []
        for p in self.report.params:
            widgets.append(Label(p.title + ("" if p.required else f" (по умолчанию {p.default})")))
            widgets.append(Input(placeholder=p.type, id=f"param-{p.name}", compact=True))
        box.mount_all(widgets)
        if widgets:
            self.call_after_refresh(widgets[1].focus)

    def on_input_submitted(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        if self.report is None:
            self.app.show_error("Выберите отчёт в каталоге (Enter).")
            return
        given = {p.name: self.query_one(f"#param-{p.name}", Input).value for p in self.report.params
                 if self.query_one(f"#param-{p.name}", Input).value.strip()}
        self.query_one("#report-title", Static).update(f"{self.report.title}: построение…")
        self.run_report(self.report, given)

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def run_report(self, report, given: dict[str, str]) -> None:  # noqa: ANN001 - Report
        from sbyt.console.services import report_table

        table = self.app.call(report_table, report.name, given)
        self.post_message(self.ReportRan(table))

    def on_reports_screen_report_ran(self, event: ReportRan) -> None:
        from sbyt.reports.render.numbers import display

        t = self.result = event.table
        fmts = [c.format for c in t.columns]
        self.query_one(PagedTable).show([c.title for c in t.columns], t.rows,
                                        fmt=lambda r: [display(v, f) for v, f in zip(r, fmts)])
        params = ", ".join(f"{k}: {v}" for k, v in t.params)
        self.query_one("#report-title", Static).update(f"{t.title or ''} ({params}) — строк: {len(t.rows)}")
        self.query_one(PagedTable).focus()

    def action_export(self) -> None:
        if self.result is None:
            self.app.show_error("Сначала постройте отчёт (Ctrl+R).")
            return
        self.app.push_screen(PromptDialog("Выгрузить в файл (.xlsx, .csv, .pdf, .json)",
                                          value=str(Path.cwd() / f"{self.result.name}.xlsx")),
                             lambda p: p and self.export(Path(p)))

    @work(thread=True, exclusive=True, group="report-export", exit_on_error=False)
    def export(self, path: Path) -> None:
        from sbyt.core.errors import SbytError
        from sbyt.reports.render import write

        fmt = path.suffix.lstrip(".").lower()
        if fmt not in ("xlsx", "csv", "pdf", "json"):
            raise SbytError(f"Неизвестный формат файла «{path.suffix}»: .xlsx, .csv, .pdf или .json.")
        write(self.result, fmt, path)
        self.app.call_from_thread(self.notify, f"Отчёт выгружен: {path}")

    def action_focus_catalog(self) -> None:
        self.query_one(OptionList).focus()
