"""Penalties of legal-entity contracts: the worked example of docs/legal.md end to end through the ledger, the п. 82
interim instalments (and the rule that turns their penalties off), a month that cost less than its
interim instalments, managing companies and ТСЖ, and the month's amounts against a slow Fraction
reference on random schedules."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as hs

from sbyt.calc.kernels.penalty import LEGAL, MANAGER, TSZH
from sbyt.calc.legal_penalty import Debts, compute, day_num, legal_penalty_month, write_legal_detail
from sbyt.calc.penalty import day_rules
from sbyt.core.legal_payments import add_payment
from sbyt.core.periods import first_day, last_day



def _helpers():
    """The set-up helpers of test_legal_schedule.py (tests are not a package: --import-mode=importlib)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("_legal_schedule_helpers",
                                                  Path(__file__).with_name("test_legal_schedule.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_h = _helpers()
FIVE_RUB, add_contract, post, prices = _h.FIVE_RUB, _h.add_contract, _h.post, _h.prices


def by_contract(month) -> dict[int, int]:
    return dict(zip(month.contract_id.tolist(), month.amount_kop.tolist()))


def k(rub: str) -> int:
    return int(Fraction(rub) * 100)


def penalty_kop(parts: list[tuple[int, int, Fraction]], den: int = 130) -> int:
    """Σ debt × days × rate / den, rounded half up once (rate in percent)."""
    x = sum(Fraction(debt) * days * rate / 100 / den for debt, days, rate in parts)
    return int(x + Fraction(1, 2))


# --------------------------------------------------------------------------------------- examples
def test_domain_example_5_paid_30_days_late(store):
    """100 000 ₽ due 15.01.2026 (п. 81), paid 14.02.2026: 30 days at 16 % × 1/130 = 3 692.31 ₽,
    16 days in January and 14 in February, each month rounded once."""
    store.execute("INSERT INTO billing_period (period, status) VALUES (202512, 'closed'), (202601, 'closed'),"
                  " (202602, 'open')")
    add_contract(store, 1, scheme="p81", starts=date(2025, 12, 1))
    post(store, 1, "accrual", 100_000_00, 202512)
    add_payment(store, "Д-1", 100_000_00, date(2026, 2, 14), today=date(2026, 2, 20))
    jan, feb = legal_penalty_month(store, 202601), legal_penalty_month(store, 202602)
    assert by_contract(jan) == {1: 1_969_23} and by_contract(feb) == {1: 1_723_08}
    assert jan.amount_kop[0] + feb.amount_kop[0] == 3_692_31
    assert jan.days.tolist() == [16] and feb.days.tolist() == [14]
    assert jan.counterparty_id.tolist() == [1]
    write_legal_detail(store, jan)
    write_legal_detail(store, jan)        # replaces, does not add
    write_legal_detail(store, feb)
    rows = store.all("SELECT period, contract_id, debt_period, instalment, due_date, date_from, date_to, days,"
                     " delay_from, debt_kop, rate, den, amount_milli FROM legal_penalty_detail ORDER BY period")
    assert [r[:12] for r in rows] == [
        (202601, 1, 202512, "p81", date(2026, 1, 15), date(2026, 1, 16), date(2026, 1, 31), 16, 1, 100_000_00,
         pytest.approx(16), 130),
        (202602, 1, 202512, "p81", date(2026, 1, 15), date(2026, 2, 1), date(2026, 2, 14), 14, 17, 100_000_00,
         pytest.approx(16), 130)]
    assert str(rows[0][10]) == "16.000"
    assert [r[12] for r in rows] == [1_969_230_77, 1_723_076_92]      # 1/1000 kopeck, display only
    # March: paid, nothing more
    assert by_contract(legal_penalty_month(store, 202603)) == {}


@pytest.fixture
def p82(store):
    """A п. 82 contract from March 2026 without history: interim 64 801.69 by 10.03 and 86 402.26 by
    25.03 (100 kW at 5.00 ₽/kWh, docs/legal.md); March costs 200 000 ₽ → the rest 48 796.05 by 20.04.2026."""
    store.execute("INSERT INTO billing_period (period, status) VALUES (202603, 'closed'), (202604, 'closed'),"
                  " (202605, 'open')")
    add_contract(store, 1)
    prices(store, 202602, **FIVE_RUB)
    return store


def test_interim_instalments_bear_penalties(p82):
    st = p82
    post(st, 1, "accrual", 200_000_00, 202603)
    add_payment(st, "Д-1", k("64801.69"), date(2026, 3, 15), today=date(2026, 5, 5))
    add_payment(st, "Д-1", k("86402.26"), date(2026, 4, 1), today=date(2026, 5, 5))
    add_payment(st, "Д-1", k("48796.05"), date(2026, 4, 30), today=date(2026, 5, 5))
    r = Fraction("15.5")
    march = legal_penalty_month(st, 202603)
    # first: 11..15 March (paid on the 15th); second: 26..31 March, unpaid at the month's end
    assert by_contract(march) == {1: penalty_kop([(k("64801.69"), 5, r), (k("86402.26"), 6, r)])}
    assert set(march.detail.column("instalment").to_pylist()) == {"p82_10", "p82_25"}
    april = legal_penalty_month(st, 202604)
    # March's second: 1 April, the day it is paid. April's own instalments from March's cost: 60 000
    # by 10.04, 80 000 by 27.04 (the 25th is a Saturday). The payment of 30.04 covers the earliest due
    # first — April's first instalment (10.04), not March's rest (20.04): 11..30 April on 60 000,
    # March's rest 21..30 April, April's second 28..30 April.
    assert by_contract(april) == {1: penalty_kop([(k("86402.26"), 1, r), (60_000_00, 20, r), (k("48796.05"), 10, r),
                                                  (80_000_00, 3, r)])}
    # without penalties on interim instalments: only the days after the final due date (March's on
    # 20.04, still unpaid: the payment of 30.04 went to April's first instalment; April's by 18.05)
    st.execute("UPDATE dated_rule SET value = 0 WHERE code = 'legal.penalty.interim'")
    assert by_contract(legal_penalty_month(st, 202603)) == {}
    assert by_contract(legal_penalty_month(st, 202604)) == {1: penalty_kop([(k("48796.05"), 10, r)])}


def test_a_month_cheaper_than_its_interim_instalments_is_money_on_the_final_due_date(p82):
    """March costs 100 000 ₽ < 151 203.95 planned: 51 203.95 is credited on 20.04.2026 and settles
    the second instalment, unpaid since 26.03, down to 35 198.31."""
    st = p82
    post(st, 1, "accrual", 100_000_00, 202603)
    add_payment(st, "Д-1", k("64801.69"), date(2026, 3, 10), today=date(2026, 5, 5))
    r = Fraction("15.5")
    april_own = [(30_000_00, 20, r), (40_000_00, 3, r)]       # April's instalments from March's 100 000
    assert by_contract(legal_penalty_month(st, 202604)) == {
        1: penalty_kop([(k("86402.26"), 20, r), (k("35198.31"), 10, r), *april_own])}
    # a payment covers the earliest instalment first, whatever it names
    add_payment(st, "Д-1", k("35198.31"), date(2026, 4, 25), "за апрель", today=date(2026, 5, 5))
    assert by_contract(legal_penalty_month(st, 202604)) == {
        1: penalty_kop([(k("86402.26"), 20, r), (k("35198.31"), 5, r), *april_own])}


def test_managing_companies_and_tszh(store):
    """A contract of kind 'manager' (п. 81, due 15.04.2026): a УК from the day after (1/300, rate at
    most 9.5 %), a ТСЖ after 30 days of grace (dated rules penalty.manager.*, penalty.tszh.*)."""
    store.execute("INSERT INTO billing_period (period, status) VALUES (202603, 'closed'), (202604, 'closed'),"
                  " (202605, 'closed'), (202606, 'open')")
    add_contract(store, 1, kind="manager", scheme="p81", manager_kind="uk")
    add_contract(store, 2, kind="manager", scheme="p81", manager_kind="tszh")
    add_contract(store, 3, kind="manager", scheme="p81")                # no managing company named: УК rules
    for cid in (1, 2, 3):
        post(store, cid, "accrual", 300_000_00, 202603)
    april = by_contract(legal_penalty_month(store, 202604))
    assert april == {1: penalty_kop([(300_000_00, 15, Fraction("9.5"))], 300),
                     3: penalty_kop([(300_000_00, 15, Fraction("9.5"))], 300)}
    may = by_contract(legal_penalty_month(store, 202605))
    # ТСЖ: delay days 31..46 in May (16.05–31.05)
    assert may[2] == penalty_kop([(300_000_00, 16, Fraction("9.5"))], 300)


# --------------------------------------------------------------------------------------- reference
PERIOD = 202603
FIRST, LAST = first_day(PERIOD), last_day(PERIOD)


def reference(debts: list[tuple[int, int, int]], money: list[tuple[int, int, int]], cats: list[int],
              rules) -> tuple[dict[int, int], dict[int, int]]:
    """Slow Fraction reference: per group, money poured into the debts in order; every part of a
    debt bears day by day (after its due day, through its payment day, inside the month) the
    rate of its payment day (the month's last day while unpaid), capped for housing categories,
    times the category's fraction of the day of delay."""
    key = lambda d: Fraction(int(rules.key_milli[(d - FIRST).days]), 1000)  # noqa: E731
    cap = lambda d: Fraction(int(rules.cap_milli[(d - FIRST).days]), 1000)  # noqa: E731
    amounts, days = {}, {}
    for g in sorted({x[0] for x in debts}):
        c = cats[g]
        mine = [[due, a] for gg, a, due in debts if gg == g]
        parts = [[] for _ in mine]
        i = 0
        for gg, a, day in money:
            if gg != g:
                continue
            while a > 0 and i < len(mine):
                take = min(a, mine[i][1])
                if take:
                    parts[i].append((take, day))
                a -= take
                mine[i][1] -= take
                if mine[i][1] == 0:
                    i += 1
        total, most = Fraction(0), 0
        for (due, rest), ps in zip(mine, parts):
            ps = ps + ([(rest, None)] if rest > 0 else [])
            counted = set()
            for amount, paid in ps:
                rate_day = paid if paid is not None else LAST
                d = FIRST
                while d <= LAST:
                    delay = (d - due).days
                    if delay > rules.grace[c] and (paid is None or d <= paid):
                        rate = key(rate_day)
                        if rules.housing[c] and cap(d) and cap(d) < rate:
                            rate = cap(d)
                        den = int(rules.den1[c]) if delay <= rules.until[c] else int(rules.den2[c])
                        total += Fraction(amount) * rate / 100 / den
                        counted.add(d)
                    d += timedelta(days=1)
            most = max(most, len(counted))
        amounts[g] = int(total + Fraction(1, 2))
        days[g] = most
    return amounts, days


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    from sbyt.core.reference import install_reference
    from sbyt.core.store import open_store

    with open_store(tmp_path_factory.mktemp("rules") / "r.duckdb") as st:
        install_reference(st)
        return day_rules(st, PERIOD)


DAY = hs.integers(-75, 30).map(lambda n: FIRST + timedelta(days=n))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hs.lists(hs.tuples(hs.integers(0, 2), hs.integers(1, 5_000_000), DAY), min_size=1, max_size=12),
       hs.lists(hs.tuples(hs.integers(0, 2), hs.integers(1, 5_000_000), DAY), max_size=12),
       hs.lists(hs.sampled_from([LEGAL, MANAGER, TSZH]), min_size=3, max_size=3))
def test_the_month_is_the_fraction_reference(rules, debts, money, cats):
    debts = sorted(debts, key=lambda x: (x[0], x[2]))
    money = sorted(money, key=lambda x: (x[0], x[2]))
    d = Debts(3, np.array(cats, np.int8),
              np.array([g for g, _, _ in debts], np.int64), np.array([a for _, a, _ in debts], np.int64),
              np.array([day_num(x) for _, _, x in debts], np.int64), np.full(len(debts), PERIOD - 1, np.int32),
              np.array(["final"] * len(debts), object),
              np.array([g for g, _, _ in money], np.int64), np.array([a for _, a, _ in money], np.int64),
              np.array([day_num(x) for _, _, x in money], np.int64))
    res = compute(d, PERIOD, rules)
    amounts, days = reference(debts, money, cats, rules)
    assert {g: int(res.amount_kop[g]) for g in amounts} == amounts
    assert {g: int(res.days[g]) for g in days} == days
    # the day ranges add up to the amounts (to the 1/1000 kopeck of each range)
    for g in amounts:
        milli = res.d_milli[d.ob_group[res.d_ob] == g].sum()
        assert abs(int(milli) - amounts[g] * 1000) <= 500 + len(res.d_milli)
