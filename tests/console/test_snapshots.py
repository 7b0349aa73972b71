"""Snapshot tests (pytest-textual-snapshot) at 80×24: what the operator sees. The semantic tests in
test_console.py say what broke; these say that something moved."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from sbyt.console.app import SbytConsole

TODAY = date(2026, 11, 27)
SIZE = (80, 24)


def _app(db) -> SbytConsole:  # noqa: ANN001
    app = SbytConsole(db, strict=True, today=TODAY)
    app.animation_level = "none"       # no tab underline caught mid-slide
    return app


async def _settle(pilot) -> None:  # noqa: ANN001
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False    # a blinking cursor makes snapshots differ by timing
    await pilot.pause()


def test_search_results(console_db, snap_compare):
    async def run_before(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        await pilot.press(*"волков", "enter")      # Enter searches at once (no debounce timing)
        await _settle(pilot)

    assert snap_compare(_app(console_db), run_before=run_before, terminal_size=SIZE)


def test_search_columns_fit_the_shown_hits_not_an_earlier_query(console_db):
    import asyncio

    from textual.widgets import DataTable

    async def widths(*steps: str) -> list[int]:
        app = _app(console_db)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(pilot)
            for text in steps:                       # each step searched and shown before the next
                field = pilot.app.screen.query_one("#search-input", Input)
                field.focus()
                field.value = text
                await pilot.press("enter")
                await _settle(pilot)
            return [c.get_render_width(t) for t in [pilot.app.screen.query_one("#search-results", DataTable)]
                    for c in t.columns.values()]

    assert asyncio.run(widths("в", "волков")) == asyncio.run(widths("волков"))


def test_account_card(console_db, snap_compare):
    async def run_before(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        pilot.app.screen.open_account(1)
        await _settle(pilot)
        await pilot.pause(0.3)

    assert snap_compare(_app(console_db), run_before=run_before, terminal_size=SIZE)


def test_debtors_expanded(console_db, snap_compare):
    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.press("f5")
        await _settle(pilot)
        pilot.app.screen.query_one("#f-periods").value = "4"
        await pilot.press("ctrl+r")
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)

    assert snap_compare(_app(console_db), run_before=run_before, terminal_size=SIZE)


def test_help(console_db, snap_compare):
    async def run_before(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        await pilot.press("f1")
        await _settle(pilot)

    assert snap_compare(_app(console_db), run_before=run_before, terminal_size=SIZE)


def _legal_db(console_db):  # noqa: ANN001, ANN202
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("legal_console_data", Path(__file__).parent / "test_legal_console.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build_legal(console_db)
    return console_db


def _legal_app(db) -> SbytConsole:  # noqa: ANN001
    app = SbytConsole(db, strict=True, today=LEGAL_TODAY)
    app.animation_level = "none"
    return app


LEGAL_TODAY = date(2026, 12, 5)


def test_counterparty_card(console_db, snap_compare):
    async def run_before(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        await pilot.press("f8")
        await _settle(pilot)
        await pilot.press(*"7736", "enter")        # one counterparty: Enter opens its card
        await _settle(pilot)
        await pilot.press("4")                      # the measuring complexes
        await _settle(pilot)

    assert snap_compare(_legal_app(_legal_db(console_db)), run_before=run_before, terminal_size=SIZE)


def test_contract_card(console_db, snap_compare):
    async def run_before(pilot) -> None:  # noqa: ANN001
        from sbyt.console.screens.legal_card import ContractCardScreen

        await _settle(pilot)
        await pilot.press("f8")
        await _settle(pilot)
        pilot.app.push_screen(ContractCardScreen("77-002"))
        await _settle(pilot)
        await pilot.press("3")                      # the tasks: the notice overdue
        await _settle(pilot)

    assert snap_compare(_legal_app(_legal_db(console_db)), run_before=run_before, terminal_size=SIZE)
