"""The audit trail through the CLI: a change is found by account, by user and by day; it is never
updated or deleted by any code path."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from sbyt.console.cli.main import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def test_audit_by_account_user_and_day(demo_db):
    number = runner.invoke(app, ["--db", str(demo_db), "sql", "SELECT min(number) FROM account", "-f", "csv"]
                           ).stdout.split()[-1]
    res = runner.invoke(app, ["--db", str(demo_db), "pay", "add", number, "12.34"])
    assert res.exit_code == 0, res.output
    rows = runner.invoke(app, ["--db", str(demo_db), "audit", "--account", number, "-f", "csv"]).stdout.splitlines()
    assert rows[0] == "№;Когда;Пользователь;Команда;Действие;Объект;Ключ;Было;Стало"
    assert len(rows) == 2 and ";insert;payment;" in rows[1] and f'"{number}"' in rows[1].replace('""', '"')
    assert len(runner.invoke(app, ["--db", str(demo_db), "audit", "--user", "nobody", "-f", "csv"]).stdout
               .splitlines()) == 1
    assert len(runner.invoke(app, ["--db", str(demo_db), "audit", "--since", "2099-01-01", "-f", "csv"]).stdout
               .splitlines()) == 1


def test_no_code_path_updates_or_deletes_the_logs():
    sources = [p for folder in ("core", "calc", "io", "reports", "console", "server", "sql")
               for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".sql")]
    pattern = re.compile(r"(UPDATE|DELETE\s+FROM|TRUNCATE)\s+(audit_log|access_log)\b", re.I)
    assert [str(p) for p in sources if pattern.search(p.read_text(encoding="utf-8"))] == []


def test_the_cli_tests_run_through_a_server_in_its_mode(demo_db, cli_mode):
    """In the «server» mode of the CLI tests a command really runs in a server: as its job."""
    from sbyt.core.store import open_store

    res = runner.invoke(app, ["--db", str(demo_db), "pay", "add", "3100000001", "12.34"])
    assert res.exit_code == 0, res.output
    with open_store(demo_db, read_only=True) as st:
        job = st.scalar("SELECT job_id FROM audit_log WHERE entity = 'payment'")
    assert (job is not None) == (cli_mode == "server")
