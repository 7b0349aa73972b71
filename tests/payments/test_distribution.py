"""Distribution: designation, earliest debt, priorities, advances; the queue; refunds; transfers."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.calc import payments
from sbyt.core import balance
from sbyt.core.payments import unidentified
from sbyt.core.errors import RefusedError
from sbyt.calc.distribution import consume_advances

runner = CliRunner()
A1, A2, A3 = "1000000001", "1000000002", "1000000003"


def pays(store, acc: int) -> list[tuple]:
    return store.all("SELECT service, for_period, amount_kop FROM posting WHERE account_id = ? AND kind = 'payment'"
                     " ORDER BY id", [acc])


def test_earliest_debt_first_then_advance(pstore):
    payments.add_cash(pstore, A1, 60000, date(2026, 11, 5))
    assert pays(pstore, 1) == [("electricity", 202609, -30000), ("electricity", 202610, -20000),
                               ("penalty", 202610, -5000), ("electricity", 202611, -5000)]
    assert balance.account_total(pstore, A1) == -5000


def test_designation_goes_first(pstore):
    payments.add_cash(pstore, A1, 25000, date(2026, 11, 5), for_period=202610)
    assert pays(pstore, 1) == [("electricity", 202610, -20000), ("penalty", 202610, -5000)]
    payments.add_cash(pstore, A1, 1000, date(2026, 11, 6), for_service="penalty")
    assert pays(pstore, 1)[-1] == ("electricity", 202609, -1000)     # no penalty left: the rest by the rule


def test_priority_setting_puts_penalties_last(pstore):
    pstore.execute("INSERT INTO dated_rule VALUES ('payment.distribution', DATE '2026-11-01', NULL, NULL, 'priority', NULL)")
    payments.add_cash(pstore, A1, 52000, date(2026, 11, 5))
    assert pays(pstore, 1) == [("electricity", 202609, -30000), ("electricity", 202610, -20000),
                               ("penalty", 202610, -2000)]


def test_current_first(pstore):
    pstore.execute("INSERT INTO dated_rule VALUES ('payment.distribution', DATE '2026-11-01', NULL, NULL,"
                   " 'current_first', NULL)")
    payments.add_cash(pstore, A1, 21000, date(2026, 11, 5))
    assert pays(pstore, 1) == [("electricity", 202610, -20000), ("penalty", 202610, -1000)]


def test_several_payments_of_one_account_in_one_batch(pstore):
    t = pa.table({"account_id": np.array([1, 1, 1]), "amount_kop": np.array([10000, 25000, 30000]),
                  "pay_date": pa.array([date(2026, 11, 3), date(2026, 11, 1), date(2026, 11, 2)], pa.date32())})
    r = payments.post_payments(pstore, t)
    assert (r.rows, r.posted) == (3, 3)
    ref = pstore.all("SELECT p.amount_kop, sum(-x.amount_kop) FROM payment p JOIN posting x ON x.ref_id = p.id"
                     " GROUP BY ALL ORDER BY 1")
    assert ref == [(10000, 10000), (25000, 25000), (30000, 30000)]
    # 250 (Nov 1) pays September; 300 (Nov 2) pays 50 of September, October, 50 of penalty; 100 (Nov 3): penalty 0, advance
    assert balance.account_total(pstore, A1) == 55000 - 65000


def test_advance_is_consumed_by_later_accruals(pstore, helpers):
    payments.add_cash(pstore, A3, 10000, date(2026, 11, 5))
    helpers.post(pstore, 3, 202611, 7000, period=202611, op_date=date(2026, 11, 30))
    consume_advances(pstore, period=202611)
    rows = pstore.all("SELECT for_period, sum(amount_kop) FROM posting WHERE account_id = 3 GROUP BY 1")
    assert rows == [(202611, -3000)]
    assert consume_advances(pstore, period=202611) == 0       # idempotent


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.integers(1, 80000), min_size=1, max_size=4),
       designated=st.sampled_from([None, 202609, 202610]))
def test_property_money_is_conserved_and_debts_never_overpaid(pstore, amounts, designated):
    pstore.execute("DELETE FROM posting WHERE kind = 'payment'")
    pstore.execute("DELETE FROM payment")
    n = len(amounts)
    t = pa.table({"account_id": np.ones(n, np.int64), "amount_kop": np.array(amounts, np.int64),
                  "pay_date": pa.array([date(2026, 11, 1 + i) for i in range(n)], pa.date32()),
                  "for_period": pa.array([designated] * n, pa.int32())})
    payments.post_payments(pstore, t)
    assert -pstore.scalar("SELECT sum(amount_kop) FROM posting WHERE kind = 'payment'") == sum(amounts)
    per = dict(((s, p), v) for s, p, v in pstore.all(
        "SELECT service, for_period, sum(amount_kop) FROM posting WHERE account_id = 1 GROUP BY 1, 2"))
    # old months are never paid beyond their debt; only the open month may hold an advance
    assert all(v >= 0 for (s, p), v in per.items() if p < 202611)
    assert sum(per.values()) == 55000 - sum(amounts)


def test_queue_match_refund_transfer(pstore):
    pstore.execute("""INSERT INTO payment (id, source, pay_date, period, amount_kop, status, payer_inn, purpose)
                      VALUES (nextval('payment_seq'), 'bank', DATE '2026-11-03', 202611, 40000, 'unidentified',
                              '500100732259', 'за свет')""")
    pid = unidentified(pstore)[0][0]
    with pytest.raises(RefusedError):
        payments.transfer(pstore, pid, A2, reason="x", day=date(2026, 11, 9))
    payments.match_payment(pstore, pid, A2, remember_inn=True)
    assert pays(pstore, 2) == [("electricity", 202610, -10000), ("electricity", 202611, -30000)]
    assert pstore.all("SELECT kind, value, account_id FROM payment_alias") == [("inn", "500100732259", 2)]
    with pytest.raises(RefusedError) as exc:
        payments.refund(pstore, A2, 30001, date(2026, 11, 10), "заявление 1")
    assert exc.value.message == "Переплата по лицевому счёту 1000000002 — 300,00 ₽: вернуть 300,01 ₽ нельзя."
    payments.refund(pstore, A2, 10000, date(2026, 11, 10), "заявление 1")
    assert balance.account_total(pstore, A2) == -20000
    new = payments.transfer(pstore, pid, A3, 15000, date(2026, 11, 11), "ошибка кассира")
    assert balance.account_total(pstore, A2) == -5000
    assert balance.account_total(pstore, A3) == -15000
    assert pstore.scalar("SELECT source FROM payment WHERE id = ?", [new]) == "transfer"


def test_cli_cash_desk_queue_and_balance(pstore, db_path):
    pstore.close()
    base = ["--db", str(db_path)]
    r = runner.invoke(app, base + ["pay", "add", A1, "100,50", "--date", "05.11.2026", "--period", "2026-10"])
    assert r.exit_code == 0 and "Платёж 1: 100,50 ₽ на лицевой счёт 1000000001 принят и разнесён." in r.output
    r = runner.invoke(app, base + ["pay", "add", "9999999999", "1"])
    assert r.exit_code == 4 and "Ошибка: Лицевой счёт 9999999999 не найден." in r.output
    r = runner.invoke(app, base + ["pay", "add", A1, "1", "--date", "06.12.2026"])     # today is 05.12.2026
    assert r.exit_code == 1 and "касса:1: платёж от 06.12.2026: дата позже сегодняшней" in r.output
    r = runner.invoke(app, base + ["balance", A1, "--format", "csv"])
    assert r.exit_code == 0
    assert r.output.splitlines()[3:] == [
        "Месяц;Услуга;Начислено;Оплачено;Долг (+) / аванс (−)",
        "09.2026;Электроснабжение;300,00;0,00;300,00",
        "10.2026;Электроснабжение;200,00;100,50;99,50",
        "10.2026;Пени;50,00;0,00;50,00"]
    r = runner.invoke(app, base + ["pay", "unidentified", "--format", "json"])
    assert r.exit_code == 0 and r.output.strip() == "[]"
