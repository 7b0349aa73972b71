"""`sbyt console` as a command: help and the refusal of a missing store (before any screen starts)."""

from __future__ import annotations

from typer.testing import CliRunner

from sbyt.console.cli.main import app


def test_console_help():
    result = CliRunner().invoke(app, ["console", "--help"])
    assert result.exit_code == 0
    assert "Консоль оператора" in result.output and "--db" in result.output


def test_console_refuses_a_missing_store(tmp_path):
    missing = tmp_path / "nope.duckdb"
    result = CliRunner().invoke(app, ["console", "--db", str(missing)])
    assert result.exit_code == 5
    assert f"Ошибка: Файл базы не найден: {missing}" in result.output
    assert not missing.exists()
