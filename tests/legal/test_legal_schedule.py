"""The payment schedule of legal-entity contracts (ПП 442 п. 81, 82), payments and the debt by month:
the interim payment without history (64 801.69 ₽) and the schedule example of docs/legal.md, the days
off of the due dates, the FIFO matching against a plain loop, and the CLI."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as hs
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core import legal_schedule as ls
from sbyt.core.errors import SbytError
from sbyt.core.legal_payments import add_payment, balance
from sbyt.core.periods import last_day

runner = CliRunner()


# --------------------------------------------------------------------------------------- set-up
def add_contract(st, cid: int, *, kind: str = "supply", scheme: str = "p82", starts: date = date(2026, 3, 1),
                 points: tuple[tuple[str, str], ...] = (("SN2", "100"),), manager_kind: str | None = None,
                 state: str = "signed") -> str:
    """A signed contract № Д-<cid> of its own counterparty, one object, supply points (voltage, max kW)."""
    manager_id = None
    if manager_kind:
        manager_id = cid
        st.execute("INSERT INTO manager (id, code, name, kind) VALUES (?, ?, ?, ?)", [cid, f"M{cid}", f"УК {cid}",
                                                                                       manager_kind])
    st.execute("INSERT INTO counterparty (id, kind, inn, manager_id, registered) VALUES (?, ?, ?, ?, '2025-01-01')",
               [cid, "manager" if kind == "manager" else "legal", f"77{cid:08d}", manager_id])
    number = f"Д-{cid}"
    st.execute("INSERT INTO contract (id, number, counterparty_id, kind, payment_scheme, state, applied_on, starts)"
               " VALUES (?, ?, ?, ?, ?, ?, '2025-01-01', ?)",
               [cid, number, cid, kind, scheme, state, starts if state in ("signed", "terminated") else None])
    st.execute("INSERT INTO calc_object (id, contract_id, code, name, opened) VALUES (?, ?, ?, 'Цех', ?)",
               [cid, cid, f"O{cid}", starts])
    for k, (voltage, kw) in enumerate(points):
        pid = cid * 10 + k
        st.execute("INSERT INTO legal_point (id, object_id, code, opened) VALUES (?, ?, ?, ?)", [pid, cid, f"T{pid}", starts])
        st.execute("INSERT INTO legal_point_fact (point_id, valid_from, voltage, max_kw, price_category)"
                   " VALUES (?, ?, ?, ?, 1)", [pid, starts, voltage, kw])
    return number


def prices(st, period: int, voltage: str = "SN2", **components: str) -> None:
    for comp, value in components.items():
        st.execute("INSERT INTO price_component (period, category, voltage, component, value, batch_id)"
                   " VALUES (?, 1, ?, ?, ?, 1)", [period, voltage, comp, value])


def post(st, cid: int, kind: str, amount_kop: int, for_period: int, op_date: date | None = None,
         period: int | None = None) -> None:
    """A ledger row as the lead's close writes it (accrual: the month's last day)."""
    st.execute("INSERT INTO legal_posting (id, counterparty_id, contract_id, kind, period, for_period, amount_kop,"
               " op_date) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM legal_posting), ?, ?, ?, ?, ?, ?, ?)",
               [cid, cid, kind, period or for_period, for_period, amount_kop, op_date or last_day(for_period)])


FIVE_RUB = {"energy": "3000", "network": "1500", "markup": "400", "infra": "100"}   # 5 000 ₽/МВт·ч = 5.00 ₽/кВт·ч


def _parts(st, cid: int, period: int) -> list[tuple]:
    t = ls.planned(st, period, period, [cid]).to_pylist()
    return [(r["instalment"], r["due_date"], r["amount_kop"]) for r in t]


# --------------------------------------------------------------------------------------- schedule
def test_w10_interim_payment_without_history(store):
    """100 kW ÷ 0.002824 = 35 410.76 kWh (rounded to 10 Wh) × 5.00 ₽ × 30 % + VAT 22 % = 64 801.69 ₽."""
    add_contract(store, 1)
    prices(store, 202602, **FIVE_RUB)
    s = ls.contract_schedule(store, "Д-1", 202603)
    assert s.basis == "capacity"
    assert s.instalments[0] == ls.Instalment("p82_10", date(2026, 3, 10), "0.3", 64_801_69)
    # the 40 % part and the unknown rest
    assert s.instalments[1].amount_kop == round(Fraction(21_600_564) * Fraction(4, 10))
    assert s.instalments[2].code == "final" and s.instalments[2].amount_kop is None
    assert "35\u00a0410,76 кВт·ч" in s.basis_text and "÷ 0,002824" in s.basis_text
    # the volume unrounded (to 1 Wh) gives 64 801.70: the rounding is the dated rule
    store.execute("UPDATE dated_rule SET value = 1 WHERE code = 'legal.schedule.capacity_round_wh'")
    assert ls.contract_schedule(store, "Д-1", 202603).instalments[0].amount_kop == 64_801_70


def test_capacity_base_is_exact_for_several_points_and_a_sale_contract(store):
    """Σ over points of round10(max W ÷ coeff) × (Σ components, without 'network' for 'sale') + VAT, × share."""
    add_contract(store, 1, points=(("SN2", "100"), ("NN", "37.5")))
    add_contract(store, 2, kind="sale", points=(("SN2", "100"), ("NN", "37.5")))
    prices(store, 202602, **FIVE_RUB)
    prices(store, 202602, "NN", energy="3000.1234", network="2100.55", markup="400", infra="2.72")
    kwh = {v: Fraction(round(Fraction(int(w * 1000)) / Fraction("0.002824") / 10) * 10, 1000)
           for v, w in (("SN2", 100), ("NN", Fraction("37.5")))}
    for cid, drop_network in ((1, False), (2, True)):
        price = {"SN2": Fraction(5000 - (1500 if drop_network else 0), 1000),
                 "NN": Fraction("5503.3934") / 1000 - (Fraction("2100.55") / 1000 if drop_network else 0)}
        net = round_half_up(sum(kwh[v] * price[v] for v in kwh) * 100)
        total = net + round_half_up(Fraction(net * 22, 100))
        assert [a for _, _, a in _parts(store, cid, 202603)][:2] == [round_half_up(Fraction(total * 3, 10)),
                                                                      round_half_up(Fraction(total * 4, 10))]


def round_half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def test_domain_example_6_previous_month_and_final_rest(store):
    """Previous month 1 000 000 ₽ → 300 000 by the 10th, 400 000 by the 25th; actual 1 050 000 → 350 000
    by the 18th of the next month (18.04.2026 is a Saturday: the 20th)."""
    add_contract(store, 1, starts=date(2026, 2, 1))
    post(store, 1, "accrual", 1_000_000_00, 202602)
    assert _parts(store, 1, 202603) == [("p82_10", date(2026, 3, 10), 300_000_00),
                                        ("p82_25", date(2026, 3, 25), 400_000_00),
                                        ("final", date(2026, 4, 20), None)]
    post(store, 1, "accrual", 1_050_000_00, 202603)
    s = ls.contract_schedule(store, "Д-1", 202603)
    assert s.basis == "history" and s.actual_kop == 1_050_000_00
    assert [i.amount_kop for i in s.instalments] == [300_000_00, 400_000_00, 350_000_00]
    assert "стоимость за 02.2026" in s.basis_text


def test_days_off_move_only_when_the_rule_says_so(store):
    add_contract(store, 1, starts=date(2026, 2, 1))
    post(store, 1, "accrual", 1_000_00, 202603)
    assert _parts(store, 1, 202604)[1][1] == date(2026, 4, 27)      # 25.04.2026 is a Saturday
    store.execute("UPDATE dated_rule SET value = 0 WHERE code = 'legal.schedule.workday_shift'")
    assert [d for _, d, _ in _parts(store, 1, 202604)] == [date(2026, 4, 10), date(2026, 4, 25), date(2026, 5, 18)]


def test_p81_by_the_15th_and_retailer_half_by_the_1st(store):
    add_contract(store, 1, kind="manager", scheme="p81", starts=date(2026, 2, 1), manager_kind="uk")
    add_contract(store, 2, scheme="retailer", starts=date(2026, 2, 1))
    for cid in (1, 2):
        post(store, cid, "accrual", 200_000_01, 202602)
        post(store, cid, "accrual", 180_000_00, 202603)
    assert _parts(store, 1, 202603) == [("p81", date(2026, 4, 15), 180_000_00)]
    # 01.03.2026 is a Sunday: the 2nd; half of 200 000.01 is 100 000.005 → 100 000.01 (half up)
    assert _parts(store, 2, 202603) == [("retailer_1", date(2026, 3, 2), 100_000_01),
                                        ("final", date(2026, 4, 20), 79_999_99)]


def test_without_history_and_prices_the_schedule_is_refused(store):
    add_contract(store, 1)
    with pytest.raises(SbytError, match=r"цен нет .*№ Д-1 за 03\.2026"):
        ls.contract_schedule(store, "Д-1", 202603)
    with pytest.raises(SbytError, match="поставки нет"):
        ls.contract_schedule(store, "Д-1", 202602)
    add_contract(store, 2, state="draft")
    with pytest.raises(SbytError, match="не подписан"):
        ls.contract_schedule(store, "Д-2", 202603)


# --------------------------------------------------------------------------------------- FIFO
def _fifo_loop(obs: list[tuple[int, int]], crs: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """The plain reference: per group, pour each money item into the debts in order."""
    out = []
    for g in sorted({x for x, _ in obs} | {x for x, _ in crs}):
        debts = [[i, a] for i, (gg, a) in enumerate(obs) if gg == g]
        k = 0
        for j, (gg, a) in enumerate(crs):
            if gg != g:
                continue
            while a > 0 and k < len(debts):
                take = min(a, debts[k][1])
                if take:
                    out.append((debts[k][0], j, take))
                a -= take
                debts[k][1] -= take
                if debts[k][1] == 0:
                    k += 1
    return sorted(out)


@settings(max_examples=300, deadline=None)
@given(hs.lists(hs.tuples(hs.integers(0, 4), hs.integers(0, 10_000)), max_size=25),
       hs.lists(hs.tuples(hs.integers(0, 4), hs.integers(0, 10_000)), max_size=25))
def test_fifo_is_the_plain_loop(obs, crs):
    obs, crs = sorted(obs, key=lambda x: x[0]), sorted(crs, key=lambda x: x[0])
    o, c, a = ls.fifo(np.array([g for g, _ in obs], np.int64), np.array([x for _, x in obs], np.int64),
                      np.array([g for g, _ in crs], np.int64), np.array([x for _, x in crs], np.int64), 5)
    assert sorted(zip(o.tolist(), c.tolist(), a.tolist())) == _fifo_loop(obs, crs)


# --------------------------------------------------------------------------------------- payments
def test_payments_and_the_debt_by_month(store):
    store.execute("INSERT INTO billing_period (period, status) VALUES (202603, 'closed'), (202604, 'open')")
    add_contract(store, 1, scheme="p81", starts=date(2026, 2, 1))
    post(store, 1, "accrual", 100_000_00, 202602)
    post(store, 1, "accrual", 120_000_00, 202603)
    r = add_payment(store, "Д-1", 150_000_00, date(2026, 3, 31), "оплата за февраль", "15", today=date(2026, 4, 20))
    assert r.late and r.period == 202604
    row = store.one("SELECT kind, period, for_period, amount_kop, op_date, note FROM legal_posting WHERE id = ?",
                    [r.posting_id])
    assert row[:5] == ("payment", 202604, 202603, -150_000_00, date(2026, 3, 31))
    assert json.loads(row[5]) == {"doc_no": "15", "purpose": "оплата за февраль"}
    assert store.scalar("SELECT count(*) FROM audit_log WHERE entity = 'legal_posting'") == 1
    rows = balance(store, "Д-1", date(2026, 4, 20))
    assert [(x.period, x.what, x.due, x.owed_kop, x.paid_kop, x.debt_kop, x.overdue_kop) for x in rows] == [
        (202602, "energy", date(2026, 3, 16), 100_000_00, 100_000_00, 0, 0),    # 15.03.2026 is a Sunday
        (202603, "energy", date(2026, 4, 15), 120_000_00, 50_000_00, 70_000_00, 70_000_00)]
    # before the due date of March nothing is overdue; an advance shows apart
    add_payment(store, "Д-1", 100_000_00, date(2026, 4, 10), today=date(2026, 4, 20))
    rows = balance(store, "Д-1", date(2026, 4, 14))
    assert [(x.what, x.debt_kop, x.overdue_kop) for x in rows] == [("energy", 0, 0), ("energy", 0, 0),
                                                                    ("advance", -30_000_00, 0)]


def test_bad_payments_are_refused_and_nothing_is_written(store):
    store.execute("INSERT INTO billing_period (period, status) VALUES (202604, 'open')")
    add_contract(store, 1)
    add_contract(store, 2, state="draft")
    with pytest.raises(SbytError, match="позже сегодняшней"):
        add_payment(store, "Д-1", 1_00, date(2026, 4, 21), today=date(2026, 4, 20))
    with pytest.raises(SbytError, match="больше нуля"):
        add_payment(store, "Д-1", 0, date(2026, 4, 20), today=date(2026, 4, 20))
    with pytest.raises(SbytError, match="не подписан"):
        add_payment(store, "Д-2", 1_00, date(2026, 4, 20), today=date(2026, 4, 20))
    with pytest.raises(SbytError, match="не найден"):
        add_payment(store, "Д-9", 1_00, date(2026, 4, 20), today=date(2026, 4, 20))
    add_payment(store, "Д-1", 1_00, date(2026, 4, 20), doc_no="7", today=date(2026, 4, 20))
    with pytest.raises(SbytError, match="уже принят"):
        add_payment(store, "Д-1", 1_00, date(2026, 4, 20), doc_no="7", today=date(2026, 4, 20))
    assert store.scalar("SELECT count(*) FROM legal_posting") == 1


# --------------------------------------------------------------------------------------- CLI
@pytest.fixture
def db(store, db_path):
    store.execute("INSERT INTO billing_period (period, status) VALUES (202603, 'open')")
    add_contract(store, 1, starts=date(2026, 2, 1))
    post(store, 1, "accrual", 1_000_000_00, 202602)
    store.close()
    return str(db_path)


def cli(db: str, *args: str, today: str = "2026-03-20"):
    return runner.invoke(app, ["--db", db, *args], env={"SBYT_TODAY": today})


def test_cli_schedule_pay_balance(db):
    r = cli(db, "contract", "schedule", "Д-1", "--format", "csv")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["Срок оплаты;Платёж;Доля;Сумма, ₽",
                                     "2026-03-10;первый промежуточный платёж;30 %;300000,00",
                                     "2026-03-25;второй промежуточный платёж;40 %;400000,00",
                                     "2026-04-20;окончательный расчёт;остаток;"]
    r = cli(db, "contract", "schedule", "Д-1", "--format", "json")
    assert json.loads(r.stdout)[0]["Платёж"] == "p82_10"
    r = cli(db, "contract", "pay", "Д-1", "300000", "--date", "2026-03-12", "--doc", "101")
    assert r.exit_code == 0, r.output
    assert "Оплата 300\u00a0000,00 ₽ от 12.03.2026 по договору № Д-1 принята." in r.output
    r = cli(db, "contract", "pay", "Д-1", "1", "--date", "2026-03-21")
    assert r.exit_code == 1 and "позже сегодняшней" in r.output
    r = cli(db, "contract", "balance", "Д-1", "--on", "2026-03-20", "--format", "csv")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[1:] == ["02.2026;электроэнергия;2026-03-18;1000000,00;300000,00;700000,00;700000,00"]
    r = cli(db, "contract", "balance", "Д-1", "--on", "2026-01-01")
    assert r.exit_code == 1 and "нет ни начислений, ни оплат" in r.output
