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
