"""The legal arithmetic of debt collection (sbyt.core.debt_law): the acceptance examples W1–W5
(state duty) and W15 (limitation) of docs/collection.md, both duty scales around 09.09.2024, the
court-order floor, the caps and the rounding, the court and the route, suspensions, interruptions
and the 6-month extension after a cancelled court order; property tests against the band formula
written from its definition and against the SQL spelling of the plain limitation period."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as hs

from sbyt.core import debt_law as dl
from sbyt.core.errors import SbytError
from sbyt.core.reference import install_reference, rule_int, state_duty_rows
from sbyt.core.store import open_store

RUB = 100
NEW, OLD = date(2024, 9, 9), date(2024, 9, 8)


@pytest.fixture(scope="module")
def st(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("debt_law") / "law.duckdb")
    install_reference(store)
    yield store
    store.close()


def duty(st, court, rub, filed=NEW, order=False):
    return dl.state_duty(st, court, rub * RUB, filed, order=order)


# -------------------------------------------------------------------------- acceptance examples
def test_w1_general_small_claim(st):
    assert duty(st, "general", 80_000) == 4_000 * RUB
    assert duty(st, "general", 80_000, order=True) == 2_000 * RUB


def test_w2_general_middle_bands(st):
    assert duty(st, "general", 250_000) == 8_500 * RUB
    assert duty(st, "general", 250_000, order=True) == 4_250 * RUB
    assert duty(st, "general", 1_500_000) == 30_000 * RUB


def test_w3_arbitration_both_scales(st):
    assert duty(st, "arbitration", 500_000, NEW) == 30_000 * RUB
    assert duty(st, "arbitration", 500_000, OLD) == 13_000 * RUB


def test_w4_arbitration_higher_band_and_order(st):
    assert duty(st, "arbitration", 2_000_000) == 85_000 * RUB
    assert duty(st, "arbitration", 450_000, order=True) == 13_750 * RUB       # the 8 000 floor does not bind


def test_w5_general_upper_bands_and_continuity(st):
    assert duty(st, "general", 60_000_000) == 229_000 * RUB
    for edge, want in ((8_000_000, 80_000), (24_000_000, 136_000), (50_000_000, 214_000)):
        scale = dl.duty_scale(st, "general", NEW)
        by_band = {b.from_rub: b for b in scale}
        below = dl.band_for(scale, Fraction(edge))
        assert below.from_rub < edge and by_band[edge].duty(Fraction(edge)) == below.duty(Fraction(edge)) == want
        assert duty(st, "general", edge) == want * RUB


def test_w15_limitation_start_end_acknowledgement_claim(st):
    due = date(2020, 9, 10)                                    # August 2020, due 10.09.2020
    assert dl.limitation(due, 3) == (date(2020, 9, 11), date(2023, 9, 10))
    assert dl.limitation(due, 3, interruptions=[date(2023, 3, 1)]) == (date(2023, 3, 2), date(2026, 3, 1))
    claim = dl.claim_suspension(date(2021, 5, 4), rule_int(st, "debt.claim_days", date(2021, 5, 4)))
    assert claim == (date(2021, 5, 5), date(2021, 6, 3))
    assert dl.limitation(due, 3, [claim]) == (date(2020, 9, 11), date(2023, 9, 10) + timedelta(days=30))
    assert dl.limitation_on(st, due) == (date(2020, 9, 11), date(2023, 9, 10))


# ------------------------------------------------------------------------------ the two scales
def test_the_scale_changes_on_9_september_2024(st):
    # general courts, 80 000 ₽: old 800 + 3 % × 60 000 = 2 600; new 4 000
    assert duty(st, "general", 80_000, OLD) == 2_600 * RUB
    assert duty(st, "general", 80_000, NEW) == 4_000 * RUB
    assert duty(st, "general", 80_000, OLD, order=True) == 1_300 * RUB
    # the old minimum 400 (court order 200) and the old cap 60 000
    assert duty(st, "general", 5_000, OLD) == 400 * RUB
    assert duty(st, "general", 5_000, OLD, order=True) == 200 * RUB
    assert duty(st, "general", 15_000, OLD) == 600 * RUB                       # 4 % above the minimum
    assert duty(st, "general", 9_000_000, OLD) == 53_200 * RUB                 # 13 200 + 0.5 % × 8 000 000
    assert duty(st, "general", 10_000_000, OLD) == 58_200 * RUB                # 13 200 + 0.5 % × 9 000 000
    assert duty(st, "general", 20_000_000, OLD) == 60_000 * RUB
    # arbitration, old: minimum 2 000, bands, cap 200 000; court order 50 % without a floor
    assert duty(st, "arbitration", 30_000, OLD) == 2_000 * RUB
    assert duty(st, "arbitration", 80_000, OLD) == 3_200 * RUB
    assert duty(st, "arbitration", 150_000, OLD) == 5_500 * RUB
    assert duty(st, "arbitration", 1_500_000, OLD) == 28_000 * RUB
    assert duty(st, "arbitration", 3_000_000, OLD) == 38_000 * RUB
    assert duty(st, "arbitration", 40_000_000, OLD) == 200_000 * RUB
    assert duty(st, "arbitration", 80_000, OLD, order=True) == 1_600 * RUB
    # arbitration, new
    assert duty(st, "arbitration", 80_000, NEW) == 10_000 * RUB
    assert duty(st, "arbitration", 5_000_000, NEW) == 175_000 * RUB
    assert duty(st, "arbitration", 20_000_000, NEW) == 425_000 * RUB
    assert duty(st, "arbitration", 60_000_000, NEW) == 775_000 * RUB


def test_the_arbitration_order_floor_is_a_dated_parameter(tmp_path):
    st = open_store(tmp_path / "floor.duckdb")
    install_reference(st)
    assert duty(st, "arbitration", 80_000, order=True) == 8_000 * RUB      # 50 % × 10 000 = 5 000 → 8 000
    assert duty(st, "arbitration", 300_000, order=True) == 10_000 * RUB    # 50 % × 20 000, above the floor
    assert duty(st, "general", 80_000, order=True) == 2_000 * RUB          # no floor in general courts
    with st.transaction() as con:
        con.execute("UPDATE dated_rule SET valid_to = DATE '2026-01-01' WHERE code = 'debt.duty.order_min.arbitration'")
        con.execute("INSERT INTO dated_rule (code, valid_from, value) VALUES"
                    " ('debt.duty.order_min.arbitration', DATE '2026-01-01', 5000)")
    assert duty(st, "arbitration", 80_000, date(2025, 12, 31), order=True) == 8_000 * RUB
    assert duty(st, "arbitration", 80_000, date(2026, 1, 1), order=True) == 5_000 * RUB
    st.close()


def test_caps(st):
    assert duty(st, "general", 400_000_000) == 739_000 * RUB          # 214 000 + 0.15 % × 350 000 000
    assert duty(st, "general", 507_000_000) == 899_500 * RUB          # just below the cap
    assert duty(st, "general", 600_000_000) == 900_000 * RUB          # the cap binds above 507 333 333.33 ₽
    assert duty(st, "general", 600_000_000, order=True) == 450_000 * RUB
    assert duty(st, "arbitration", 1_000_000_000) == 5_475_000 * RUB  # 725 000 + 0.5 % × 950 000 000
    assert duty(st, "arbitration", 2_000_000_000) == 10_000_000 * RUB
    assert duty(st, "arbitration", 2_000_000_000, order=True) == 5_000_000 * RUB


def test_rounding_to_whole_roubles_once_half_up(tmp_path):
    st = open_store(tmp_path / "round.duckdb")
    install_reference(st)
    # 100 000.50 ₽: 4 000 + 3 % × 0.50 = 4 000.015 → 4 000; 100 016.67: 4 000.5001 → 4 001
    assert dl.state_duty(st, "general", 10_000_050, NEW, order=False) == 400_000
    assert dl.state_duty(st, "general", 10_001_667, NEW, order=False) == 400_100
    # 100 050 ₽: 4 001.50 → 4 002; the order: 50 % of the exact 4 001.50 = 2 000.75 → 2 001
    assert dl.state_duty(st, "general", 10_005_000, NEW, order=False) == 400_200
    assert dl.state_duty(st, "general", 10_005_000, NEW, order=True) == 200_100
    # 100 016.66 ₽ → 4 000.4998 → 4 000 (rounded once, not 4 000.50 → 4 001)
    assert dl.state_duty(st, "general", 10_001_666, NEW, order=False) == 400_000
    with st.transaction() as con:
        con.execute("UPDATE dated_rule SET value = 1 WHERE code = 'debt.duty.round_kop'")
    assert dl.state_duty(st, "general", 10_001_666, NEW, order=False) == 400_050     # 4 000.4998 → 4 000.50
    assert dl.state_duty(st, "general", 10_005_000, NEW, order=True) == 200_075
    st.close()


def test_nonproperty_duty(st):
    assert dl.nonproperty_duty(st, "general", "citizen", NEW) == 3_000 * RUB
    assert dl.nonproperty_duty(st, "general", "organisation", NEW) == 20_000 * RUB
    assert dl.nonproperty_duty(st, "general", "citizen", OLD) == 300 * RUB
    assert dl.nonproperty_duty(st, "general", "organisation", OLD) == 6_000 * RUB
    with pytest.raises(SbytError, match="неимущественному"):
        dl.nonproperty_duty(st, "arbitration", "organisation", NEW)


def test_bad_input_is_refused_in_russian(st):
    with pytest.raises(SbytError, match="Неизвестный суд"):
        dl.state_duty(st, "magistrate", 100, NEW, order=False)
    with pytest.raises(SbytError, match="больше нуля"):
        dl.state_duty(st, "general", 0, NEW, order=False)
    with pytest.raises(SbytError, match="Не задана шкала госпошлины"):
        dl.state_duty(st, "general", 100, date(2010, 1, 1), order=False)
    with pytest.raises(TypeError):
        dl.state_duty(st, "general", 100.0, NEW, order=False)
    with pytest.raises(SbytError, match="Неизвестный вид должника"):
        dl.court_route(st, "manager", 100, NEW, in_bankruptcy=False, disputed=False)


# ----------------------------------------------------------------------------- court and route
def test_court_route(st):
    kw = {"in_bankruptcy": False, "disputed": False}
    assert dl.court_route(st, "household", 500_000 * RUB, NEW, **kw) == ("order", "general")
    assert dl.court_route(st, "household", 500_000 * RUB + 1, NEW, **kw) == ("lawsuit", "general")
    assert dl.court_route(st, "legal", 500_000 * RUB, NEW, **kw) == ("order", "arbitration")
    assert dl.court_route(st, "legal", 450_000 * RUB, date(2019, 9, 30), **kw) == ("lawsuit", "arbitration")
    assert dl.court_route(st, "legal", 400_000 * RUB, date(2019, 9, 30), **kw) == ("order", "arbitration")
    assert dl.court_route(st, "legal", 450_000 * RUB, date(2019, 10, 1), **kw) == ("order", "arbitration")
    assert dl.court_route(st, "household", 1_000 * RUB, NEW, in_bankruptcy=True, disputed=False) == ("lawsuit", "general")
    assert dl.court_route(st, "legal", 1_000 * RUB, NEW, in_bankruptcy=False, disputed=True) == ("lawsuit", "arbitration")
    assert dl.court_route(st, "household", 1_000 * RUB, date(2016, 5, 31), **kw) == ("lawsuit", "general")


# ------------------------------------------------------------------------------------ limitation
def test_plain_limitation_and_29_february():
    assert dl.limitation(date(2024, 2, 29), 3) == (date(2024, 3, 1), date(2027, 2, 28))
    assert dl.limitation(date(2024, 2, 28), 3) == (date(2024, 2, 29), date(2027, 2, 28))
    assert dl.limitation(date(2023, 2, 28), 1) == (date(2023, 3, 1), date(2024, 2, 28))
    assert dl.limitation(date(2025, 12, 31), 3) == (date(2026, 1, 1), date(2028, 12, 31))


def test_interruptions():
    due = date(2020, 9, 10)
    # the latest acknowledgement restarts; one before the start (not overdue yet) does not
    assert dl.limitation(due, 3, interruptions=[date(2020, 9, 10)]) == (date(2020, 9, 11), date(2023, 9, 10))
    assert dl.limitation(due, 3, interruptions=[date(2021, 6, 1), date(2022, 1, 20)]) == \
        (date(2022, 1, 21), date(2025, 1, 20))
    # a written acknowledgement after expiry restarts it too (ГК 206 п. 2)
    assert dl.limitation(due, 3, interruptions=[date(2024, 1, 15)]) == (date(2024, 1, 16), date(2027, 1, 15))
    # suspensions before the restart no longer count; those after it do
    assert dl.limitation(due, 3, [(date(2021, 1, 1), date(2021, 1, 30))], [date(2022, 1, 20)]) == \
        (date(2022, 1, 21), date(2025, 1, 20))
    assert dl.limitation(due, 3, [(date(2022, 1, 10), date(2022, 1, 30))], [date(2022, 1, 20)]) == \
        (date(2022, 1, 21), date(2025, 1, 30))          # 21–30 January: 10 days after the restart


def test_suspensions():
    due = date(2020, 9, 10)
    end = date(2023, 9, 10)
    one = (date(2021, 3, 1), date(2021, 3, 30))          # 30 days
    two = (date(2022, 5, 1), date(2022, 5, 10))          # 10 days
    assert dl.limitation(due, 3, [one, two])[1] == end + timedelta(days=40)
    assert dl.limitation(due, 3, [two, one])[1] == end + timedelta(days=40)           # order of the list
    overlap = (date(2021, 3, 20), date(2021, 4, 9))      # 10 days beyond `one`
    assert dl.limitation(due, 3, [one, overlap])[1] == end + timedelta(days=40)
    assert dl.limitation(due, 3, [(date(2020, 9, 1), date(2020, 9, 20))])[1] == end + timedelta(days=10)
    # after the end: nothing; straddling the end: all its days (the term was running on its first)
    assert dl.limitation(due, 3, [(date(2023, 9, 11), date(2023, 10, 10))])[1] == end
    assert dl.limitation(due, 3, [(date(2023, 9, 10), date(2023, 10, 9))])[1] == end + timedelta(days=30)
    # a suspension that begins within the extension an earlier one gave still counts
    assert dl.limitation(due, 3, [(date(2021, 1, 1), date(2021, 1, 10)), (date(2023, 9, 15), date(2023, 9, 24))])[1] \
        == end + timedelta(days=20)
    with pytest.raises(SbytError, match="приостановления"):
        dl.limitation(due, 3, [(date(2021, 3, 30), date(2021, 3, 1))])


def test_cancelled_court_order_and_the_6_month_extension(st):
    due = date(2020, 9, 10)                              # ends 10.09.2023
    ext = rule_int(st, "debt.limitation.order_extension_months", due)
    assert ext == 6
    # filed 01.08.2023 with 41 days left, cancelled 30.09.2023: 61 days suspended → 10.11.2023;
    # the remainder after the cancellation (41 days) is under 6 months → to 30.03.2024
    order = (date(2023, 8, 1), date(2023, 9, 30))
    assert dl.limitation(due, 3, cancelled_orders=[order], extension_months=ext) == (date(2020, 9, 11), date(2024, 3, 30))
    # the same period as a plain suspension: no extension
    assert dl.limitation(due, 3, [order]) == (date(2020, 9, 11), date(2023, 11, 10))
    # filed early (more than 6 months remain after the cancellation): only the suspension days
    early = (date(2021, 2, 1), date(2021, 3, 2))         # 30 days
    assert dl.limitation(due, 3, cancelled_orders=[early], extension_months=ext)[1] == date(2023, 10, 10)
    # filed after the term ended: nothing
    late = (date(2023, 10, 1), date(2023, 11, 1))
    assert dl.limitation(due, 3, cancelled_orders=[late], extension_months=ext)[1] == date(2023, 9, 10)
    # the extension month clamps: cancelled 31.08.2023 → 29.02.2024
    assert dl.limitation(due, 3, cancelled_orders=[(date(2023, 8, 1), date(2023, 8, 31))],
                         extension_months=ext)[1] == date(2024, 2, 29)
    assert dl.limitation_on(st, due, cancelled_orders=[order]) == (date(2020, 9, 11), date(2024, 3, 30))
    with pytest.raises(ValueError):
        dl.limitation(due, 3, cancelled_orders=[order])


DAYS = hs.dates(date(2000, 1, 1), date(2060, 12, 31))


@settings(max_examples=200)
@given(hs.lists(DAYS, min_size=1, max_size=60), hs.integers(1, 5))
def test_limitation_sql_is_the_plain_case(st, dues, years):
    start, end = dl.limitation_sql("d", years)
    got = st.all(f"SELECT {start}, {end} FROM (SELECT unnest(?::DATE[]) AS d, generate_subscripts(?::DATE[], 1) AS i)"
                 " ORDER BY i", [dues, dues])
    assert [tuple(r) for r in got] == [dl.limitation(d, years) for d in dues]
    for d in dues:            # start + N years − 1 day, except a due date at the end of February
        s, e = dl.limitation(d, years)
        if (d.month, d.day) not in ((2, 28), (2, 29)):
            assert e == dl.add_months(s, 12 * years) - timedelta(days=1)


def test_a_due_date_of_28_february_ends_on_28_february_of_a_leap_year():
    # start 1 March 2001; the day corresponding to the due date is 28.02.2004, not 29.02 (ГК 192 п. 3)
    assert dl.limitation(date(2001, 2, 28), 3) == (date(2001, 3, 1), date(2004, 2, 28))


@settings(max_examples=200)
@given(DAYS, hs.lists(hs.tuples(DAYS, hs.integers(0, 400)), max_size=5))
def test_suspensions_never_shorten_and_add_at_most_their_days(due, raw):
    periods = [(f, f + timedelta(days=n)) for f, n in raw]
    plain = dl.limitation(due, 3)[1]
    got = dl.limitation(due, 3, periods)[1]
    assert plain <= got <= plain + timedelta(days=sum(n + 1 for _, n in raw))


# -------------------------------------------------------------------------- pre-trial, threshold
def test_claim_ready():
    assert dl.claim_ready(date(2026, 3, 1), 30) == date(2026, 4, 1)      # 30 days: 2–31 March
    assert dl.claim_suspension(date(2026, 3, 1), 30) == (date(2026, 3, 2), date(2026, 3, 31))


def test_restriction_threshold():
    from decimal import Decimal

    # 2 months × 150 kWh × 5.47 ₽ = 1 641.00 ₽
    assert dl.restriction_threshold_kop(150, Decimal("5.47"), 2) == 164_100
    # 2 × 61.5 kWh × 6.6666 ₽ = 819.9918 → 819.99 ₽, rounded once (not 2 × 410.00)
    assert dl.restriction_threshold_kop(Decimal("61.5"), Decimal("6.6666"), 2) == 81_999
    assert dl.restriction_threshold_kop(Fraction(1, 3), 3, 1) == 100
    with pytest.raises(TypeError):
        dl.restriction_threshold_kop(150.0, Decimal("5.47"), 2)


# ---------------------------------------------------------------------- the scale's own properties
def _reference_duty(rows, court, filed, claim: Fraction) -> Fraction:
    """The band formula from its definition, from the shipped CSV (not the store)."""
    scale = sorted((r for r in rows if r[0] == court and r[1] <= filed and (r[2] is None or r[2] > filed)),
                   key=lambda r: r[3])
    band = scale[0]
    for r in scale:
        if r[3] < claim:
            band = r
    d = Fraction(band[4]) + Fraction(band[5]) * (claim - band[3]) / 100
    if band[6] is not None:
        d = max(d, Fraction(band[6]))
    if band[7] is not None:
        d = min(d, Fraction(band[7]))
    return d


def _half_up_rub(x: Fraction) -> int:
    whole, rest = divmod(x, 1)
    return int(whole) + (1 if rest >= Fraction(1, 2) else 0)


CLAIMS = hs.integers(1, 3 * 10**11)                    # up to 3 000 000 000 ₽ in kopecks


@settings(max_examples=300)
@given(hs.sampled_from(dl.COURTS), hs.sampled_from([OLD, NEW]), hs.lists(CLAIMS, min_size=2, max_size=30))
def test_duty_is_the_band_formula_and_monotone(st, court, filed, claims):
    rows = state_duty_rows()
    claims = sorted(claims)
    got = [dl.state_duty(st, court, c, filed, order=False) for c in claims]
    assert got == [_half_up_rub(_reference_duty(rows, court, filed, Fraction(c, 100))) * RUB for c in claims]
    assert got == sorted(got)
    orders = [dl.state_duty(st, court, c, filed, order=True) for c in claims]
    assert orders == sorted(orders)


@pytest.mark.parametrize("court", dl.COURTS)
@pytest.mark.parametrize("filed", [OLD, NEW])
def test_each_band_joins_the_next(st, court, filed):
    """At each band's lower edge the previous band's formula gives the same duty (the scale is
    continuous), and one kopeck above it the duty does not fall."""
    scale = dl.duty_scale(st, court, filed)
    assert scale[0].from_rub == 0
    for prev, band in zip(scale, scale[1:]):
        edge = Fraction(band.from_rub)
        assert prev.duty(edge) == band.duty(edge), (court, filed, band.from_rub)
        assert dl.band_for(scale, edge) is prev and dl.band_for(scale, edge + Fraction(1, 100)) is band
        at = dl.state_duty(st, court, band.from_rub * RUB, filed, order=False)
        assert dl.state_duty(st, court, band.from_rub * RUB + 1, filed, order=False) >= at


def test_install_is_idempotent_and_shipped_rows_are_in_the_store(st):
    assert install_reference(st)["state_duty_band"] == 0
    assert st.scalar("SELECT count(*) FROM state_duty_band") == len(state_duty_rows()) == 24
