"""Each domain rule has one home; its Numba and SQL twins must agree with it on any input.

The Python definition is the reference; the twins are `sbyt.calc.jit` (compiled from the same
source) and the DuckDB macros of the migrations. Inputs are random (hypothesis) or exhaustive.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sbyt.calc import jit
from sbyt.core import money
from sbyt.core.due import due_date, due_on
from sbyt.core.periods import add_months, days_in, next_period
from sbyt.core.store import open_store

AMOUNT = st.integers(-10**11, 10**11)        # ±1 000 000 000 ₽ in kopecks, Wh up to 10⁸ kWh
PRICE = st.integers(0, 10**7)                # up to 1 000 ₽/kWh × 10⁴
RATE = st.integers(0, 5000)                  # 0 … 50 % × 100
DEN = st.integers(1, 10**9)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("rules") / "rules.duckdb")
    yield store.con
    store.close()


def sql_column(con, expr: str, columns: dict[str, list[int]]) -> list[int]:
    """Evaluate `expr` over rows given as columns (one query, BIGINT inputs)."""
    names = list(columns)
    lists = ", ".join(f"CAST(? AS BIGINT[]) AS {n}" for n in names)
    unnest = ", ".join(f"unnest({n}) AS {n}" for n in names)
    sql = f"SELECT {expr} FROM (SELECT {unnest} FROM (SELECT {lists}))"
    return [r[0] for r in con.execute(sql, [columns[n] for n in names]).fetchall()]


def exact_half_up(num: int, den: int) -> int:
    """The rule from its definition: the nearest integer to num/den, halves away from zero."""
    q = Fraction(num, den)
    sign = -1 if q < 0 else 1
    whole, rest = divmod(abs(q), 1)
    return sign * int(whole + (1 if rest >= Fraction(1, 2) else 0))


@settings(max_examples=300)
@given(st.lists(st.tuples(AMOUNT, DEN), min_size=1, max_size=40))
def test_round_div_one_rule_four_spellings(con, pairs):
    n = [p[0] for p in pairs]
    d = [p[1] for p in pairs]
    want = [exact_half_up(a, b) for a, b in pairs]
    assert [money.round_div(a, b) for a, b in pairs] == want
    assert [jit.round_div(a, b) for a, b in pairs] == want
    assert jit.round_div_array(np.array(n, np.int64), np.array(d, np.int64)).tolist() == want
    assert sql_column(con, "round_div(n, d)", {"n": n, "d": d}) == want


def test_round_div_halves_go_away_from_zero():
    assert [money.round_div(x, 2) for x in (-3, -1, 1, 3)] == [-2, -1, 1, 2]
    assert [money.round_div(x, 10) for x in (-15, -14, 14, 15)] == [-2, -1, 1, 2]


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(-10**9, 10**9), PRICE, RATE), min_size=1, max_size=40))
def test_line_amount_and_vat_part(con, lines):
    wh = [x[0] for x in lines]
    price = [x[1] for x in lines]
    rate = [x[2] for x in lines]
    amounts = [exact_half_up(v * p, 100_000) for v, p, _ in lines]
    vats = [exact_half_up(a * r, 10_000 + r) for a, r in zip(amounts, rate)]
    assert [money.line_amount(v, p) for v, p, _ in lines] == amounts
    assert [jit.line_amount(v, p) for v, p, _ in lines] == amounts
    assert sql_column(con, "line_amount(wh, price)", {"wh": wh, "price": price}) == amounts
    assert [money.vat_part(a, r) for a, r in zip(amounts, rate)] == vats
    assert [jit.vat_part(a, r) for a, r in zip(amounts, rate)] == vats
    assert sql_column(con, "vat_part(a, r)", {"a": amounts, "r": rate}) == vats


def test_the_kernels_use_the_rule():
    from sbyt.calc.kernels.amounts import line_amounts
    from sbyt.calc.kernels.odn import amounts as odn_amounts

    rng = np.random.default_rng(7)
    wh = rng.integers(0, 10**8, 1000)
    price = rng.integers(0, 10**6, 1000)
    rate = np.full(1000, 2200, np.int64)
    amount, vat = np.zeros(1000, np.int64), np.zeros(1000, np.int64)
    assert line_amounts(wh, price, rate, amount, vat, np.ones(1000, np.bool_)) == 0
    want = [money.line_amount(int(v), int(p)) for v, p in zip(wh, price)]
    assert amount.tolist() == want
    assert vat.tolist() == [money.vat_part(a, 2200) for a in want]
    assert [x.tolist() for x in odn_amounts(wh, price, rate)] == [amount.tolist(), vat.tolist()]


def test_rate_and_price_conversions():
    from decimal import Decimal

    assert money.rate_e2(Decimal("22.00")) == 2200 and money.rate_e2(None) == 0 and money.rate_e2(20) == 2000
    assert money.price_e4(Decimal("5.6789")) == 56789
    with pytest.raises(ValueError):
        money.price_e4(Decimal("5.67891"))
    with pytest.raises(ValueError):
        money.rate_e2(Decimal("22.005"))


# --------------------------------------------------------------------------------------- due date
def months(first: int, last: int) -> list[int]:
    out, p = [], first
    while p <= last:
        out.append(p)
        p = next_period(p)
    return out


def sql_due(con, periods: list[int], kind: str) -> list[date | None]:
    return [r[0] for r in con.execute(
        "SELECT due_date(p, ?) FROM (SELECT unnest(CAST(? AS INTEGER[])) AS p, generate_subscripts(CAST(? AS"
        " INTEGER[]), 1) AS i) ORDER BY i", [kind, periods, periods]).fetchall()]


def test_due_date_python_and_sql_agree_on_the_shipped_rules(store):
    periods = months(200001, 204012)
    for kind in ("household", "manager"):
        assert sql_due(store.con, periods, kind) == [due_date(store, p, kind) for p in periods]
    assert due_date(store, 202601) == date(2026, 2, 10)      # the rule of 10 until 1 March 2026
    assert due_date(store, 202602) == date(2026, 3, 15)      # 15 from 1 March 2026
    assert due_date(store, 202602, "manager") == date(2026, 3, 15)


def test_due_date_is_clamped_and_honours_valid_to(store):
    """Day 31 in a 30-day month is its last day; a rule past its valid_to is not in force."""
    store.execute("DELETE FROM dated_rule WHERE code = 'due_day.household'")
    store.execute("INSERT INTO dated_rule (code, valid_from, valid_to, value) VALUES"
                  " ('due_day.household', DATE '2025-01-01', DATE '2025-07-01', 31),"
                  " ('due_day.household', DATE '2025-07-01', DATE '2025-09-01', 29)")
    periods = months(202411, 202512)
    py = []
    for p in periods:
        nxt = next_period(p)
        on = date(nxt // 100, nxt % 100, 1)
        if date(2025, 1, 1) <= on < date(2025, 9, 1):
            py.append(due_date(store, p))
        else:
            py.append(None)        # no rule in force: Python refuses, SQL gives NULL
    assert sql_due(store.con, periods, "household") == py
    assert due_date(store, 202503) == date(2025, 4, 30)      # 31 → the last day of April
    assert due_date(store, 202501) == date(2025, 2, 28)
    assert due_date(store, 202507) == date(2025, 8, 29)
    from sbyt.core.errors import SbytError
    with pytest.raises(SbytError, match="Не задан срок оплаты"):
        due_date(store, 202508)


@given(st.integers(2000, 2040), st.integers(1, 12), st.integers(1, 40))
def test_due_on_is_in_the_next_month(year, month, day):
    p = year * 100 + month
    d = due_on(p, day)
    nxt = add_months(p, 1)
    assert (d.year, d.month) == (nxt // 100, nxt % 100)
    assert d.day == min(day, days_in(nxt))
    assert d - timedelta(days=d.day - 1) == date(nxt // 100, nxt % 100, 1)


# ------------------------------------------------------------------------- residents for the normative
def test_normative_residents_and_table_cell_everywhere(con):
    from sbyt.core.normative import household_size, normative_residents, room_class

    grid = [(lv, rg, ow) for lv in range(0, 8) for rg in range(0, 8) for ow in range(0, 4)]
    want = [normative_residents(*g) for g in grid]
    assert want[:3] == [0, 1, 2]                      # nobody living or registered: the owners
    assert normative_residents(0, 3, 1) == 3          # registered before owners (ПП 354 п. 56(2))
    assert normative_residents(2, 3, 1) == 2
    got = sql_column(con, "normative_residents(l, r, o)",
                     {"l": [g[0] for g in grid], "r": [g[1] for g in grid], "o": [g[2] for g in grid]})
    assert got == want
    xs = list(range(-2, 12))
    assert [room_class(x) for x in xs] == [jit.room_class(x) for x in xs] == sql_column(con, "room_class(x)", {"x": xs})
    assert [household_size(x) for x in xs] == [jit.household_size(x) for x in xs] == \
        sql_column(con, "household_size(x)", {"x": xs})
    assert [room_class(x) for x in (0, 1, 4, 9)] == [1, 1, 4, 4]
    assert [household_size(x) for x in (1, 5, 7)] == [1, 5, 5]


# ---------------------------------------------------------------------------------- meter rollover
@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(3, 10), st.floats(0, 1, exclude_max=True), st.floats(0, 1, exclude_max=True)),
                min_size=1, max_size=40))
def test_rollover_volume_everywhere(con, cases):
    from sbyt.core.rollover import NOT_A_VOLUME, rollover_volume

    digits = [c[0] for c in cases]
    prev = [int(c[1] * 10 ** c[0]) for c in cases]
    cur = [int(c[2] * 10 ** c[0]) for c in cases]
    want = []
    for d, p, c in zip(digits, prev, cur):        # the rule as the user guide states it
        dial = 10 ** d
        if c >= p:
            want.append(c - p)
        elif Fraction(p, dial) >= Fraction(9, 10) and Fraction(c, dial) < Fraction(1, 10):
            want.append(c + dial - p)
        else:
            want.append(NOT_A_VOLUME)
    assert [rollover_volume(p, c, d) for d, p, c in zip(digits, prev, cur)] == want
    assert [jit.rollover_volume(p, c, d) for d, p, c in zip(digits, prev, cur)] == want
    assert sql_column(con, "rollover_volume(p, c, d)", {"p": prev, "c": cur, "d": digits}) == want


def test_rollover_edges():
    from sbyt.core.rollover import NOT_A_VOLUME, rollover_volume

    assert rollover_volume(99_950, 30, 5) == 80
    assert rollover_volume(90_000, 9_999, 5) == 19_999          # both edges of the tenths
    assert rollover_volume(89_999, 0, 5) == NOT_A_VOLUME
    assert rollover_volume(95_000, 10_000, 5) == NOT_A_VOLUME
    assert rollover_volume(7, 7, 5) == 0


# ------------------------------------------------------------------------------------- date parsing
DATE_TEXT = st.one_of(
    st.builds(lambda y, m, d, t: f"{y:04d}-{m}-{d}{t}", st.integers(1990, 2100), st.integers(0, 13),
              st.integers(0, 32), st.sampled_from(["", " 10:00", " 10:00:00", "T7:05", " 25", "x"])),
    st.builds(lambda y, m, d, t: f"{d:02d}.{m:02d}.{y}{t}", st.integers(1990, 2100), st.integers(0, 13),
              st.integers(0, 32), st.sampled_from(["", " 10:00:00", "  ", ":00"])),
    st.builds(lambda y, m, d: f" {d}.{m}.{y} ", st.integers(1990, 2100), st.integers(1, 12), st.integers(1, 31)),
    st.text(alphabet="0123456789.-: T", max_size=20),
)


@settings(max_examples=300)
@given(st.lists(DATE_TEXT, min_size=1, max_size=40))
def test_date_text_python_and_sql(con, texts):
    from sbyt.core.periods import parse_date

    def py(t):
        try:
            return parse_date(t)
        except ValueError:
            return None
    got = [r[0] for r in con.execute(
        "SELECT text_date(t) FROM (SELECT unnest(CAST(? AS VARCHAR[])) AS t, generate_subscripts(CAST(? AS"
        " VARCHAR[]), 1) AS i) ORDER BY i", [texts, texts]).fetchall()]
    assert got == [py(t) for t in texts]


def test_date_text_examples():
    from sbyt.core.periods import parse_date

    assert parse_date("31.12.2025 10:00:00") == date(2025, 12, 31) == parse_date("2025-12-31")
    assert parse_date(" 5.1.2026 ") == date(2026, 1, 5)
    for bad in ("30.02.2026", "2026-13-01", "31/12/2025", "", "05.11.26"):
        with pytest.raises(ValueError, match="не дата"):
            parse_date(bad)


def test_operator_labels_in_the_store_are_those_of_core_labels(store):
    """core/labels.py and the store's code_label / code_column (migrations 071, 082) hold the same words."""
    from sbyt.core import labels

    assert sorted(store.all("SELECT domain, code, label FROM code_label")) == sorted(labels.sql_rows())
    assert sorted(store.all("SELECT table_name, column_name, domain FROM code_column")) == sorted(
        (t, c, d) for (t, c), d in labels.COLUMNS.items())
