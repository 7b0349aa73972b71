"""The penalty pipeline step on a ledger built through SQL: due days, the cap, moratoria, explain."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sbyt.calc import penalty
from sbyt.calc.explain_format import format_line
from sbyt.calc.penalty_explain import penalty_reason
from sbyt.core.due import due_date
from sbyt.core.period_state import start_period


def _setup(store, open_period: int) -> None:
    store.execute("INSERT INTO account (id, number, holder_name, premise_id, opened)"
                  " VALUES (1, '0000000001', 'Иванов И. И.', 1, DATE '2015-01-01')")
    start_period(store, open_period)


def _post(store, for_period: int, amount: int, op_date: date, kind: str = "accrual") -> None:
    store.execute("INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)"
                  " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM posting), 1, 'electricity', ?, ?, ?, ?, ?)",
                  [kind, for_period, for_period, amount, op_date])


def _run(store, period: int) -> SimpleNamespace:
    ctx = SimpleNamespace(store=store, period=period, post_period=period, recompute=False, lines=[], extra={})
    month = penalty.step(ctx)
    if month is not None:
        penalty.write_detail(store, month)
    return ctx


def test_due_day_10_before_march_2026_and_15_after(store):
    assert due_date(store, 202601) == date(2026, 2, 10)
    assert due_date(store, 202602) == date(2026, 3, 15)


def test_month_with_a_partial_payment_and_the_cap(store):
    _setup(store, 202611)
    _post(store, 202609, 1_000_000, date(2026, 9, 30))
    _post(store, 202609, -400_000, date(2026, 11, 20), kind="payment")
    ctx = _run(store, 202611)
    line = ctx.lines[0]
    # due 15.10.2026; delay days 31–46 from 15.11; key rate 15.5 % capped at 9.5 %
    # 6 000 × 9.5 % / 300 × 16 + 4 000 × 9.5 % / 300 × 6 = 30.40 + 7.60
    assert list(line.cols["amount_kop"]) == [3800]
    assert line.cols.get("reason") is None            # rendered on demand, not stored per line
    acc = int(line.cols["account_id"][0])
    assert penalty_reason(store, 202611, acc) == (
        "долг за 09.2026 (срок 15.10.2026) 15.11–30.11.2026, 16 дн. (дни просрочки 31–46): 6 000,00 ₽ × 9,5 % "
        "× 1/300 × 16 дн.; долг за 09.2026 (срок 15.10.2026) 15.11–20.11.2026, 6 дн. (дни просрочки 31–36): "
        "4 000,00 ₽ × 9,5 % × 1/300 × 6 дн.")
    detail = store.all("SELECT date_from, date_to, days, debt_kop, rate, den FROM penalty_detail ORDER BY debt_kop")
    assert [(r[2], r[3], float(r[4]), r[5]) for r in detail] == [(6, 400_000, 9.5, 300), (16, 600_000, 9.5, 300)]
    text = format_line({"method": "penalty", "reason": penalty_reason(store, 202611, acc), "amount_kop": 3800})
    assert text.startswith("Пени (доля ключевой ставки за каждый день просрочки): долг за 09.2026")
    assert text.endswith("= 38,00\u00a0₽")
    # a rerun replaces the month's details
    _run(store, 202611)
    assert store.scalar("SELECT count(*) FROM penalty_detail") == 2


def test_general_moratorium_2022_stops_accrual(store):
    _setup(store, 202204)
    _post(store, 202112, 1_000_000, date(2021, 12, 31))        # due 10.01.2022: day 81+ in April
    assert _run(store, 202204).lines == []
    store.execute("DELETE FROM billing_period")
    store.execute("DELETE FROM penalty_detail")
    start_period(store, 202203)
    ctx = _run(store, 202203)                 # March 2022: delay days 50–80 at 1/300; 20 % key, cap from 28.03
    # 10 000 × (20 % × 27 days + 9.5 % × 4 days) / 300
    expected = round(1_000_000 * (0.20 * 27 + 0.095 * 4) / 300)
    assert list(ctx.lines[0].cols["amount_kop"]) == [expected]


def test_housing_moratorium_2020(store):
    _setup(store, 202005)
    _post(store, 201912, 500_000, date(2019, 12, 31))
    assert _run(store, 202005).lines == []


def test_paid_debt_gives_no_penalty_and_advance_is_consumed_first(store):
    _setup(store, 202611)
    _post(store, 202608, -300_000, date(2026, 8, 10), kind="payment")       # an advance
    _post(store, 202609, 200_000, date(2026, 9, 30))
    before = store.all("SELECT * FROM posting ORDER BY id")
    assert _run(store, 202611).lines == []
    assert store.all("SELECT * FROM posting ORDER BY id") == before        # the step never writes the ledger


def test_an_advance_reduces_the_late_debt(store):
    _setup(store, 202611)
    _post(store, 202608, -150_000, date(2026, 8, 10), kind="payment")
    _post(store, 202609, 1_000_000, date(2026, 9, 30))
    ctx = _run(store, 202611)
    assert list(ctx.lines[0].cols["amount_kop"]) == [round(850_000 * 0.095 / 300 * 16)]
