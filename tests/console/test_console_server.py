"""The console as a client of a server: its user's role decides what it may do and see, and the
server runs nothing but the console's services with plain arguments."""

from __future__ import annotations

import asyncio
import importlib.util
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static
from typer.testing import CliRunner

from sbyt.console.cli.main import app as cli
from sbyt.server.address import Target
from sbyt.server.client import connect

TODAY = date(2026, 11, 27)
SIZE = (80, 24)
HERE = Path(__file__).parent
pytestmark = pytest.mark.file_only         # starts servers of its own


def _server_mode():
    spec = importlib.util.spec_from_file_location("sbyt_tests_server_mode", HERE.parent / "server_mode.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _token(db: Path, login: str, role: str) -> str:
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "user", "add", login, "--role", role]).exit_code == 0
    res = runner.invoke(cli, ["--db", str(db), "user", "token", login])
    assert res.exit_code == 0
    return res.stdout.strip()


async def _settle(app, pilot) -> None:  # noqa: ANN001
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def test_an_analysts_console_sees_masked_names_and_cannot_calculate(console_db):
    from sbyt.console.app import SbytConsole
    from sbyt.server.remote import RemoteBackend

    token = _token(console_db, "anna", "analyst")

    async def drive() -> SbytConsole:
        with _server_mode().in_process_server(console_db) as target:
            backend = RemoteBackend(Target(sock=target.sock, token=token))
            app = SbytConsole(backend=backend, today=TODAY)
            async with app.run_test(size=SIZE) as pilot:
                await _settle(app, pilot)
                assert app.sub_title == f"{console_db} (сервер)"
                app.screen.open_account(1)
                await _settle(app, pilot)
                header = str(app.screen.query_one("#card-header", Static).content)
                assert "И*** И. П." in header and "Иванов Иван" not in header
                await pilot.press("escape", "f7")
                await _settle(app, pilot)
                await pilot.press("c")
                await _settle(app, pilot)
            return app

    app = asyncio.run(drive())
    assert app.errors == ["Недостаточно прав: у пользователя «anna» (роль «аналитик (только чтение)») нет права "
                          "«calc.run» (расчёт месяца и перерасчёты)."]
    from sbyt.core.store import open_store

    with open_store(console_db) as st:
        assert st.all("SELECT login, event, permission, command FROM access_log WHERE event = 'refused'") == \
            [("anna", "refused", "calc.run", "console calculate_month")]
        assert st.scalar("SELECT count(*) FROM access_log WHERE event = 'pd_view'") == 0


def test_the_server_runs_only_the_consoles_services(console_db):
    with _server_mode().in_process_server(console_db) as target, connect(target) as http:
        def call(body: dict) -> list[str]:
            return [line for line in http.post("/call", json=body).text.splitlines() if line]

        assert call({"service": "os.system", "args": ["touch /tmp/x"]}) == \
            ['{"error": {"kind": "RefusedError", "message": "Консоль запросила неизвестную службу «os.system»", '
             '"exit_code": 3}}']
        search = "sbyt.core.search.search"
        forged = call({"service": search, "args": [{"$dc": "subprocess.Popen", "fields": {"args": "ls"}}]})
        assert forged == ['{"error": {"kind": "SbytError", "message": "Неверный запрос консоли: тип '
                          '«subprocess.Popen» не принимается", "exit_code": 1}}']
        found = call({"service": search, "args": ["1500000001"]})
        assert len(found) == 1 and found[0].startswith('{"result": ')
        assert call({"service": search, "args": [{"$pickle": "gASV"}]}) == \
            ['{"error": {"kind": "SbytError", "message": "Неверный запрос консоли: неизвестное значение", '
             '"exit_code": 1}}']
