"""The commands behave alike (issue 11, point 6): closing the open month with a confirmation, --format
on every tabular command, one CSV notation for money and dates, the reason of a method in `explain`,
warnings of `sbyt load`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from sbyt.calc.close import draft_totals
from sbyt.console.cli.main import app
from sbyt.core.money import format_rub
from sbyt.core.store import open_store

runner = CliRunner()


def _status(db) -> list[tuple[int, str]]:
    with open_store(db, read_only=True) as st:
        return st.all("SELECT period, status FROM billing_period ORDER BY period")


# ------------------------------------------------------------------ a. `sbyt period close` without a period
def _question(db) -> str:
    with open_store(db, read_only=True) as st:
        total, lines = draft_totals(st, 202611)
    return (f"Закрыть период 11.2026 (строк {lines}, начислено {format_rub(total, currency=True)})? "
            "Начисления будут проведены, месяц станет неизменяемым, откроется следующий. [д/Н]: ")


@pytest.mark.parametrize("answer", ["н\n", "\n", ""])
def test_close_without_period_asks_and_a_no_changes_nothing(demo_db, answer):
    before = _status(demo_db)
    res = runner.invoke(app, ["--db", str(demo_db), "period", "close"], input=answer)
    assert res.exit_code == 1
    assert res.stderr == _question(demo_db) + "Период 11.2026 не закрыт.\n"
    assert res.stdout == ""
    assert _status(demo_db) == before


@pytest.mark.parametrize("answer", ["д\n", "Да\n", "y\n"])
def test_close_without_period_closes_the_open_month_after_yes(demo_db, answer):
    question = _question(demo_db)
    res = runner.invoke(app, ["--db", str(demo_db), "period", "close"], input=answer)
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith(question + "Период 11.2026 закрыт: строк ")
    assert res.stderr.endswith(" Открыт период 12.2026.\n")
    assert _status(demo_db)[-2:] == [(202611, "closed"), (202612, "open")]


def test_close_yes_skips_the_question_and_an_uncalculated_month_is_refused_before_asking(demo_db):
    res = runner.invoke(app, ["--db", str(demo_db), "period", "close", "--yes"])
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith("Период 11.2026 закрыт: строк ")
    res = runner.invoke(app, ["--db", str(demo_db), "period", "close"], input="д\n")
    assert res.exit_code == 1
    assert res.stderr == "Ошибка: Период 12.2026 не рассчитан: выполните «sbyt calc».\n"
    assert _status(demo_db)[-1] == (202612, "open")
