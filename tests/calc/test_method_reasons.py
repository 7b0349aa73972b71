"""`sbyt explain` says why each household line has its method (issue 11, point 6d): the volume kernel
stores the reason where it chooses the method (`accrual_line.method_reason`), explain words it."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from typer.testing import CliRunner

from sbyt.calc.explain import explain
from sbyt.calc.pipeline import calculate
from sbyt.console.cli.main import app

D = date
runner = CliRunner()


@pytest.fixture
def accounts(store, scen):
    """One account per reason, 11.2026 open and calculated (average: min 3 months, at most 3 in a row)."""
    s = scen
    s.tariff("U", "2.00")
    for r in range(1, 6):
        s.normative(1, r, "none", "100")
    out = {}
    _, out["no_meter"], _ = s.account()
    _, out["reading"], mp = s.account()
    m = s.meter(mp)
    s.reading(m, D(2026, 10, 25), 1000)
    s.reading(m, D(2026, 11, 25), 1150)
    _, out["average"], mp = s.account()                     # monthly readings April–October, none in November
    m = s.meter(mp)
    for month in range(4, 11):
        s.reading(m, D(2026, month, 25), 1000 + 100 * (month - 4))
    _, out["short"], mp = s.account()                       # installed in September: one month of history
    m = s.meter(mp, installed=D(2026, 9, 1))
    s.reading(m, D(2026, 9, 1), 0, kind="install")
    s.reading(m, D(2026, 9, 25), 80)
    s.reading(m, D(2026, 10, 25), 170)
    _, out["expired"], mp = s.account()                     # the last reading in June
    m = s.meter(mp)
    for month in range(1, 7):
        s.reading(m, D(2026, month, 25), 500 + 90 * month)
    _, out["broken"], mp = s.account()                      # broken since 30.10, good history
    m = s.meter(mp, state="broken", state_since=D(2026, 10, 30))
    for month in range(4, 11):
        s.reading(m, D(2026, month, 25), 2000 + 110 * (month - 4))
    _, out["tampering"], mp = s.account()                   # tampering found on 10.11, readings after it
    m = s.meter(mp)
    s.reading(m, D(2026, 10, 25), 100)
    s.reading(m, D(2026, 11, 25), 200)
    s.act(mp, "tampering", D(2026, 11, 10))
    s.open(202611)
    calculate(store)
    store.close()
    return out


EXPECTED = {
    "no_meter": ["по нормативу: прибора учёта нет"],
    "reading": ["по показаниям: показание за месяц передано"],
    "average": ["по среднему: показаний за месяц нет, среднемесячный расход за 6 мес."],
    "short": ["по нормативу: показаний за месяц нет, история показаний меньше 3 мес."],
    "expired": ["по нормативу: показаний нет больше 3 мес. подряд (по среднему — не дольше 3 мес.)"],
    "broken": ["по среднему: прибор учёта неисправен или утрачен, среднемесячный расход за 6 мес."],
    "tampering": ["по нормативу: вмешательство в работу прибора учёта (акт), повышающий коэффициент",
                  "по показаниям: показание за месяц передано"],
}


def _reasons(db, number: str) -> list[tuple[str, str]]:
    res = runner.invoke(app, ["--db", str(db), "explain", number, "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout), delimiter=";"))
    return [(r["Способ"], r["Почему этот способ"]) for r in rows if r["Услуга"] == "Электроснабжение"]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_explain_says_why_the_method_was_chosen(db_path, accounts, case):
    got = _reasons(db_path, accounts[case])
    assert [reason for _, reason in got] == EXPECTED[case]
    assert all(reason.startswith(method + ":") for method, reason in got)


def test_the_reason_in_the_table_and_in_the_console_text(db_path, accounts):
    res = runner.invoke(app, ["--db", str(db_path), "explain", accounts["short"]])
    assert res.exit_code == 0, res.output
    assert "по нормативу: показаний за месяц нет, история показаний меньше 3 мес." in res.stdout
    from sbyt.core.store import open_store

    with open_store(db_path, read_only=True) as st:
        text = explain(st, accounts["average"]).text().replace("\u00a0", " ")
    assert text.splitlines()[1:3] == [
        "  По среднему за 6 мес.: 100 кВт·ч в месяц = 100 кВт·ч × 2,00 ₽ = 200,00 ₽",
        "    (по среднему: показаний за месяц нет, среднемесячный расход за 6 мес.)"]
