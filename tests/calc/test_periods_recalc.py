"""Period life cycle, closed-month refusals, automatic and manual recalculations."""

from __future__ import annotations

import re
from datetime import date

import pytest
from typer.testing import CliRunner

from sbyt.calc.close import close_period
from sbyt.calc.explain import explain
from sbyt.calc.pipeline import calculate
from sbyt.calc.recalc import add_manual
from sbyt.console.cli.main import app
from sbyt.core.errors import ClosedPeriodError

runner = CliRunner()
NB = "\u00a0"


@pytest.fixture
def three_closed(store, scen):
    """One normative account (2 rooms, 3 residents × 91 kWh, 1.40 ₽); 08–10.2026 closed, 11 open."""
    scen.tariff("U", "1.40")
    for r, kwh in [(1, "150"), (2, "120"), (3, "91"), (4, "80"), (5, "70")]:
        scen.normative(2, r, "none", kwh)
    aid, number, _ = scen.account(rooms=2, residents=3)
    scen.open(202608)
    for p in (202608, 202609, 202610):
        calculate(store)
        close_period(store, p)
    return aid, number


def recalc_lines(store):
    return store.all("SELECT for_period, volume_wh, amount_kop, vat_kop, reason FROM accrual_line"
                     " WHERE method = 'recalc' AND period = 202611 ORDER BY for_period")


def test_close_posts_lines_and_opens_next(store, three_closed):
    aid, _ = three_closed
    rows = store.all("SELECT kind, period, for_period, amount_kop, vat_kop, op_date FROM posting"
                     " WHERE account_id = ? AND kind = 'accrual' ORDER BY period", [aid])
    assert rows == [("accrual", p, p, 38220, 6892, d) for p, d in
                    [(202608, date(2026, 8, 31)), (202609, date(2026, 9, 30)), (202610, date(2026, 10, 31))]]
    assert store.all("SELECT period, status FROM billing_period ORDER BY period") == [
        (202608, "closed"), (202609, "closed"), (202610, "closed"), (202611, "open")]
    assert store.scalar("SELECT count(*) FROM accrual_line WHERE status = 'draft'") == 0


def test_residents_changed_three_months_back(store, scen, three_closed):
    aid, number = three_closed
    # from 1 August the flat has 2 residents, not 3 (2 × 120 = 240 kWh instead of 273)
    store.execute("UPDATE account_fact SET residents_living = 2 WHERE account_id = ?", [aid])
    calculate(store)
    diff = 240000 * 14000 // 100000 - 38220          # 336.00 − 382.20 = −46.20
    expected = [(p, -33000, diff, round(diff * 22 / 122),
                 f"Перерасчёт за {p % 100:02d}.2026: изменилось число проживающих: 3 → 2; объём 273,000 → 240,000 кВт·ч")
                for p in (202608, 202609, 202610)]
    assert recalc_lines(store) == expected
    calculate(store)                                   # a rerun does not duplicate
    assert recalc_lines(store) == expected
    text = explain(store, number).text().replace(NB, " ")
    assert "Перерасчёт за 08.2026: изменилось число проживающих: 3 → 2; объём 273,000 → 240,000 кВт·ч: −33 кВт·ч, −46,20 ₽ [за 08.2026]" in text
    close_period(store, 202611)
    calculate(store)                                   # posted recalcs count: nothing new in December
    assert store.scalar("SELECT count(*) FROM accrual_line WHERE period = 202612 AND method = 'recalc'") == 0


def test_manual_recalc_survives_rerun_and_is_not_reversed(store, three_closed):
    _, number = three_closed
    add_manual(store, number, volume_kwh=-10, reason="Ошибка в показаниях", for_period=202609)
    calculate(store)
    assert store.all("SELECT method, for_period, volume_wh, amount_kop FROM accrual_line"
                     " WHERE period = 202611 AND method IN ('manual', 'recalc')") == [("manual", 202609, -10000, -1400)]
    text = explain(store, number).text().replace(NB, " ")
    assert "Ручной перерасчёт за 09.2026: Ошибка в показаниях = −10 кВт·ч × 1,40 ₽ = −14,00 ₽ [за 09.2026]" in text


@pytest.mark.parametrize("args", [["calc", "2026-09"], ["period", "close", "2026-09"]])
def test_writing_commands_refuse_a_closed_month(store, db_path, three_closed, args):
    store.close()
    res = runner.invoke(app, ["--db", str(db_path), *args])
    assert res.exit_code == 3
    assert res.output.strip().splitlines()[-1] == f"Ошибка: {ClosedPeriodError(202609).message}"


def test_closed_month_refused_by_services(store, three_closed):
    with pytest.raises(ClosedPeriodError):
        calculate(store, 202610)
    with pytest.raises(ClosedPeriodError):
        close_period(store, 202608)


def test_cli_cycle(store, db_path, scen):
    scen.tariff("U", "2.00")
    scen.normative(3, 2, "none", "100")
    _, number, _ = scen.account(rooms=3, residents=2)
    store.close()
    db = ["--db", str(db_path)]
    assert runner.invoke(app, [*db, "period", "open", "2026-10"]).exit_code == 0
    res = runner.invoke(app, [*db, "calc"])
    assert res.exit_code == 0, res.output
    assert "Период 10.2026 рассчитан: граждане — строк 1, начислено 400,00" in res.output.replace(NB, " ")
    res = runner.invoke(app, [*db, "explain", number])
    assert "По нормативу: 2 чел. × 100 кВт·ч = 200 кВт·ч × 2,00 ₽ = 400,00 ₽" in res.output.replace(NB, " ")
    res = runner.invoke(app, [*db, "recalc", "add", number, "--amount", "-15,50", "--reason", "Компенсация"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, [*db, "period", "close", "2026-10"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, [*db, "period", "status", "--format", "csv"])
    closed, opened = res.output.splitlines()[1:3]
    assert re.fullmatch(r"10\.2026;закрыт;(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d;){2}0;0,00;384,50", closed)
    assert opened == "11.2026;открыт;;;0;0,00;0,00"
    assert runner.invoke(app, [*db, "period", "open", "2027-01"]).exit_code == 1
    res = runner.invoke(app, [*db, "period", "close", "2026-11"])
    assert res.exit_code == 1 and "не рассчитан" in res.output
