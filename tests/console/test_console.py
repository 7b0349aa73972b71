"""The console driven through Textual's Pilot: semantic assertions on state and posted results."""

from __future__ import annotations

import asyncio
import functools
from datetime import date

import openpyxl
import pytest
from textual.widgets import DataTable, Input, Static, TabbedContent

from sbyt.console.app import SbytConsole
from sbyt.console.screens.card import CardScreen
from sbyt.console.screens.debtors import DebtorsScreen
from sbyt.console.screens.payments import PaymentsScreen
from sbyt.console.screens.period import PeriodScreen
from sbyt.console.screens.reports import ReportsScreen
from sbyt.console.screens.round import RoundScreen
from sbyt.console.widgets.dialogs import ConfirmDialog, ErrorDialog, PromptDialog
from sbyt.console.widgets.file_picker import FilePickerDialog
from sbyt.console.widgets.help_screen import HelpScreen, bindings_of
from sbyt.console.widgets.paged_table import PagedTable
from sbyt.console.widgets.reading_dialog import ReadingDialog
from sbyt.core.store import open_store

TODAY = date(2026, 11, 27)
SIZE = (80, 24)


def sync(fn):  # noqa: ANN001, ANN201 - no async pytest plugin in the stack: run the coroutine here
    @functools.wraps(fn)
    def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return asyncio.run(fn(*args, **kwargs))
    return run


def make_app(db) -> SbytConsole:  # noqa: ANN001
    return SbytConsole(db, strict=True, today=TODAY)


async def settle(app: SbytConsole, pilot) -> None:  # noqa: ANN001
    """Let the workers finish and their messages be handled."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


@sync
async def test_search_card_add_reading(console_db):
    app = make_app(console_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.search_index_ready
        await pilot.press(*"иванов ленина")
        await pilot.pause(0.4)
        await settle(app, pilot)
        results = app.screen.query_one("#search-results", DataTable)
        assert cells(results)[0][:2] == ["1500000001", "Иванов Иван Петрович"]
        await pilot.press("down", "enter")
        await settle(app, pilot)
        card = app.screen
        assert isinstance(card, CardScreen) and card.data.header.number == "1500000001"
        assert "долг 2\u00a0480,34 ₽" in str(card.query_one("#card-header", Static).content)

        await pilot.press("a")
        assert isinstance(app.screen, ReadingDialog)
        value = app.screen.query_one("#reading-value", Input)
        value.value = "2350"
        app.screen.query_one("#reading-date", Input).value = "24.11.2026"
        await pilot.press("enter")                    # the control result comes first
        await settle(app, pilot)
        result = str(app.screen.query_one("#reading-result", Static).content)
        assert result == "Принято: расход 150 кВт·ч (было 2200 на 22.10.2026); учитывается в расчёте за ноябрь 2026"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is card
        readings = card.query_one("#readings", DataTable)
        assert cells(readings)[0][:5] == ["24.11.2026", "SN100000", "1", "2350", "принято"]
        await pilot.press("7")
        assert card.query_one(TabbedContent).active == "tab-history"
        entry = cells(card.query_one("#history", DataTable))[0]
        assert entry[3:5] == ["добавление", "reading"] and '"value": 2350' in entry[6]
    with open_store(console_db) as st:
        assert st.one("SELECT value, status, source FROM reading WHERE meter_id = 1 ORDER BY read_on DESC LIMIT 1") \
            == (2350, "accepted", "operator")
    assert app.errors == []


@sync
async def test_rejected_reading_is_explained_before_saving(console_db):
    app = make_app(console_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.open_account(1)
        await settle(app, pilot)
        await pilot.press("ф")                        # Russian layout works too
        dialog = app.screen
        dialog.query_one("#reading-value", Input).value = "900"
        dialog.query_one("#reading-date", Input).value = "24.11.2026"
        await pilot.press("enter")
        await settle(app, pilot)
        assert str(dialog.query_one("#reading-result", Static).content) == \
            "Отклонено: показание 900 меньше предыдущего 2200 от 22.10.2026"


@sync
async def test_card_tabs_and_explanation(console_db):
    app = make_app(console_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.open_account(8)
        await settle(app, pilot)
        card = app.screen
        await pilot.press("3")
        assert card.query_one(TabbedContent).active == "tab-accruals"
        card.query_one("#accruals", DataTable).focus()
        await pilot.press("down", "up")
        await settle(app, pilot)
        explain = str(card.query_one("#explain", Static).content)
        assert explain.startswith("Лицевой счёт 1500000008") and "10.2026" in explain
        assert len(cells(card.query_one("#payments", DataTable))) == 8
        assert cells(card.query_one("#penalties", DataTable))[0][3] == "12,34"
        await pilot.press("escape")
        assert not isinstance(app.screen, CardScreen)


@sync
async def test_payments_import_then_match(console_db, registry_file):
    app = make_app(console_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        assert isinstance(app.screen, PaymentsScreen)
        await pilot.press("o")
        picker = app.screen
        assert isinstance(picker, FilePickerDialog)
        picker.query_one("#picker-path", Input).value = str(registry_file)
        picker.query_one("#picker-path", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PaymentsScreen)
        summary = str(screen.query_one("#import-result", Static).content)
        assert summary.startswith("Загружено платежей: 2 на 717,00 ₽ из «reestr_15.txt»")
        assert "Разнесено: 1, неопознано: 1" in summary
        batch = cells(screen.query_one("#batches", DataTable))[0]
        assert batch[2:5] == ["reestr_15.txt", "2", "717,00"]
        assert [r[6] for r in cells(screen.query_one("#queue", DataTable))] == ["9999999999"]

        await pilot.press("m")
        prompt = app.screen
        assert isinstance(prompt, PromptDialog)
        prompt.query_one(Input).value = "1500000003"
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.queue == []
        # the same file again is refused, in a dialog
        screen.import_path(registry_file)
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "уже загружен" in app.errors[-1]
    with open_store(console_db) as st:
        assert st.scalar("SELECT -sum(amount_kop) FROM posting WHERE kind = 'payment' AND account_id = 3"
                         " AND period = 202611") == 100_00


@sync
async def test_debtors_filter_expand_mark_export(console_db, tmp_path):
    app = make_app(console_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DebtorsScreen)
        screen.query_one("#f-periods", Input).value = "4"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        table = screen.query_one(PagedTable)
        rows = cells(table)
        expected = sorted((i + 1 for i in range(200) if i % 7 == 0), reverse=True)
        assert [int(r[1][2:]) for r in rows] == [1_500_000_000 + i for i in expected]
        assert rows[0][3:6] == ["7\u00a0305,28", "12,34", "104"]
        await pilot.press("enter")                    # expand the first account into its months
        await settle(app, pilot)
        months = [r[6] for r in cells(table)[1:5]]
        assert months == ["07.2026", "08.2026", "09.2026", "10.2026"]
        await pilot.press("enter")                    # and collapse it
        await pilot.press("space", "space")
        assert [d.number for d in screen.marked()] == rows_numbers(rows[:2])
        screen.export([it.debtor for it in screen.items], tmp_path / "d.xlsx")
        await settle(app, pilot)
        ws = openpyxl.load_workbook(tmp_path / "d.xlsx").active
        assert ws.max_row == len(expected) + 1
        # exclude disconnected: account 50 goes
        screen.query_one("#f-disconnected").value = True
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert "1500000050" not in {it.debtor.number for it in screen.items}
        assert len(screen.items) == len(expected) - 1
        # a bad filter value is a message, not a crash
        screen.query_one("#f-periods", Input).value = "два"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog)


def rows_numbers(rows: list[list[str]]) -> list[str]:
    return [r[1][2:] for r in rows]


@sync
async def test_round_checks_each_reading_then_saves_the_batch(console_db):
    app = make_app(console_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RoundScreen)
        screen.load_meters(None, 1)
        await settle(app, pilot)
        assert len(screen.rows) == 40 and screen.rows[0].flat == "1"
        screen.query_one("#round-date", Input).value = "24.11.2026"
        screen.query_one("#round-value", Input).focus()
        for value in ("2300", "100"):
            await pilot.press(*value, "enter")
            await settle(app, pilot)
        table = screen.query_one("#round-table", DataTable)
        assert cells(table)[0][5:7] == ["2300", "Принято: расход 100 кВт·ч (было 2200 на 22.10.2026); учитывается в расчёте за ноябрь 2026"]
        assert cells(table)[1][6].startswith("Отклонено: показание 100 меньше предыдущего")
        assert table.cursor_row == 2
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    with open_store(console_db) as st:
        assert st.all("SELECT meter_id, value, status, source FROM reading WHERE read_on = DATE '2026-11-24'"
                      " ORDER BY meter_id") == [(1, 2300, "accepted", "controller"), (2, 100, "rejected", "controller")]


@sync
async def test_reports_catalog_run_and_page(console_db):
    app = make_app(console_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        from sbyt.reports.catalog import catalog

        report = catalog().get("turnover_by_account")
        screen.query_one("#report-list").highlighted = [o.id for o in screen.query_one("#report-list").options].index(report.name)
        await pilot.press("enter")
        await settle(app, pilot)
        for p in report.params:
            if p.type == "period":
                screen.query_one(f"#param-{p.name}", Input).value = "10.2026"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        table = screen.query_one(PagedTable)
        assert table.total >= 200 and table.row_count == min(table.total, table.page_size)
        await pilot.press("right_square_bracket")
        assert table.page == (1 if table.total > table.page_size else 0)


@sync
async def test_period_close_needs_confirmation_and_reports_refusal(console_db):
    app = make_app(console_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PeriodScreen)
        assert "ноябрь 2026" in str(screen.query_one("#period-status", Static).content)
        await pilot.press("z")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert app.screen is screen
        await pilot.press("z", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog)           # 11.2026 was never calculated
        assert "не рассчитан" in app.errors[-1]


@sync
async def test_help_lists_every_binding_with_an_id(console_db):
    app = make_app(console_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.open_account(1)
        await settle(app, pilot)
        card = app.screen
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys", Static).content)
        for k, desc in bindings_of(card):
            assert desc in keys
        assert "Показание" in keys and "Справка" in keys and "Должники" in keys
        await pilot.press("escape")
        assert app.screen is card


@pytest.mark.parametrize("screen", ["search", "round", "payments", "debtors", "reports", "period"])
def test_every_binding_has_an_id(screen):
    from sbyt.console.widgets.help_screen import _key_label  # noqa: F401 - imported for coverage of labels

    classes = {"search": "SearchScreen", "round": "RoundScreen", "payments": "PaymentsScreen",
               "debtors": "DebtorsScreen", "reports": "ReportsScreen", "period": "PeriodScreen"}
    mod = __import__(f"sbyt.console.screens.{screen}", fromlist=[classes[screen]])
    cls = getattr(mod, classes[screen])
    assert all(b.id for b in cls.BINDINGS)
    assert all(b.id for b in SbytConsole.BINDINGS) and all(b.id for b in CardScreen.BINDINGS)


@sync
async def test_card_prints_the_epd(console_db, tmp_path):
    app = make_app(console_db)
    out = tmp_path / "epd.pdf"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.open_account(1)
        await settle(app, pilot)
        await pilot.press("p")
        prompt = app.screen
        assert isinstance(prompt, PromptDialog)
        prompt.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(app, pilot)
    assert app.errors == []
    assert out.read_bytes().startswith(b"%PDF")


@sync
async def test_debtors_print_marked_epd(console_db, tmp_path):
    app = make_app(console_db)
    out = tmp_path / "debtors.pdf"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#f-periods", Input).value = "4"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await pilot.press("space", "space", "space")
        screen.print_epd([d.account_id for d in screen.marked()], out)
        await settle(app, pilot)
    assert app.errors == []
    assert out.read_bytes().count(b"/Type /Page\n") + out.read_bytes().count(b"/Type /Page ") >= 1


@sync
async def test_card_manual_recalculation(console_db):
    app = make_app(console_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.open_account(2)
        await settle(app, pilot)
        card = app.screen
        await pilot.press("r")
        app.screen.query_one(Input).value = "-150,00; ошибка в показании"
        await pilot.press("enter")
        await settle(app, pilot)
        first = card.data.accruals[0]
        assert (first.period, first.method, first.amount_kop, first.reason) == \
            (202611, "manual", -150_00, "ошибка в показании")
        await pilot.press("r")
        app.screen.query_one(Input).value = "сто рублей"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog) and app.errors[-1].startswith("Сумма перерасчёта")


@sync
async def test_period_calculation_with_progress(demo_db):
    app = SbytConsole(demo_db, strict=True, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")
        await settle(app, pilot)
        screen = app.screen
        stages: list[str] = []
        original = screen._progress
        screen._progress = lambda stage, frac: (stages.append(stage), original(stage, frac))
        await pilot.press("c")
        await settle(app, pilot)
        assert app.errors == []
        assert stages and screen.query_one("#period-progress").progress == 100
        with_calc = [r for r in screen._rows if r[1] == "open"][0]
        assert with_calc[3] is not None                      # calc_at set
