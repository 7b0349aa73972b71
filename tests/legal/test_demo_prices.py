"""The demo region carries every input of the legal-entity run for every month it calculates: prices
of every category and voltage level in use, a peak hour for every working day inside the SO window,
hourly data of the hourly points, integral readings of categories 1–2, contract volumes of the
points without data, hourly plans of categories 5–6 — each kind one import batch per month."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from sbyt.core.demo import build_demo
from sbyt.core.demo.legal import LegalShape, legal_shape
from sbyt.core.demo.prices import SO_WINDOWS, window_hours
from sbyt.core.periods import days_in, first_day, last_day
from sbyt.core.store import open_store
from sbyt.core.workdays import is_working_day

MONTHS = [202609, 202610, 202611]          # months=2: two cycle months and the open one
COMPONENTS = {
    1: {("energy", 0, 0), ("network", 0, 0), ("markup", 0, 0), ("infra", 0, 0)},
    2: {("energy", 2, 1), ("energy", 2, 2), ("energy", 3, 1), ("energy", 3, 2), ("energy", 3, 3),
        ("network", 0, 0), ("markup", 0, 0), ("infra", 0, 0)},
    3: {("capacity", 0, 0), ("network", 0, 0)},
    4: {("capacity", 0, 0), ("network_capacity", 0, 0), ("network_loss", 0, 0)},
    5: {("capacity", 0, 0), ("network", 0, 0)},
    6: {("capacity", 0, 0), ("network_capacity", 0, 0), ("network_loss", 0, 0)},
}
# the points supplied through a whole month (contract started, not terminated, point opened before)
LIVE = """
    SELECT p.id AS point_id, f.price_category AS cat, f.voltage, m.id AS meter_id
    FROM legal_point p JOIN calc_object o ON o.id = p.object_id JOIN contract k ON k.id = o.contract_id
    JOIN legal_point_fact f ON f.point_id = p.id JOIN legal_meter m ON m.point_id = p.id
    WHERE k.state IN ('signed', 'terminated') AND k.starts <= ? AND p.opened <= ?
      AND (k.terminated_from IS NULL OR k.terminated_from > ?) AND f.valid_from <= ?"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo_prices") / "demo.duckdb"
    with open_store(path) as st:
        build_demo(st, 20_000, seed=7, months=2)
    return path


def _live(st, period: int) -> list[tuple]:
    start, end = first_day(period), last_day(period)
    return st.all(LIVE, [start, start, end, start])


def test_every_month_has_prices_for_every_category_and_voltage_in_use(demo):
    with open_store(demo, read_only=True) as st:
        for period in MONTHS:
            used = {(c, v) for _, c, v, _ in _live(st, period)}
            assert {c for c, _ in used} == {1, 2, 3, 4, 5, 6}
            have: dict[tuple[int, str], set] = {}
            for cat, volt, comp, zones, zone, value in st.all(
                    "SELECT category, voltage, component, zones, zone, value FROM price_component WHERE period = ?",
                    [period]):
                assert value > 0
                have.setdefault((cat, volt), set()).add((comp, zones, zone))
            for cat, volt in used:
                assert have[(cat, volt)] == COMPONENTS[cat], (period, cat, volt)
            # hourly rates of 3–6: every day and hour of the month, over/under only for 5–6
            hours = dict(((c, v, r), n) for c, v, r, n in st.all(
                "SELECT category, voltage, rate, count(DISTINCT (day, hour)) FROM price_hour WHERE period = ?"
                " AND day BETWEEN ? AND ? GROUP BY ALL", [period, first_day(period), last_day(period)]))
            for cat, volt in used:
                for rate in ("fact", "over", "under"):
                    want = days_in(period) * 24 if cat >= 3 and (rate == "fact" or cat >= 5) else None
                    assert hours.get((cat, volt, rate)) == want, (period, cat, volt, rate)
            # category 1–2 final price in range: energy + transmission + mark-up + infrastructure
            final = st.scalar("SELECT sum(value) FROM price_component WHERE period = ? AND category = 1"
                              " AND voltage = 'NN'", [period])
            assert 3500 < final < 5500
            # the hourly rate is higher in the day than at night
            night, day = st.all("""SELECT avg(value) FILTER (WHERE hour BETWEEN 2 AND 5),
                                          avg(value) FILTER (WHERE hour BETWEEN 10 AND 13)
                                   FROM price_hour WHERE period = ? AND rate = 'fact'""", [period])[0]
            assert day > night * 1.2


def test_a_peak_hour_for_every_working_day_inside_the_so_window(demo):
    with open_store(demo, read_only=True) as st:
        assert st.scalar("SELECT DISTINCT region FROM peak_hour") == "46"     # dated rule legal.ats_region
        for period in MONTHS:
            window = {h for (h,) in st.all("SELECT hour FROM so_window WHERE period = ? AND price_zone = 1",
                                           [period])}
            assert window == set(window_hours(SO_WINDOWS[period % 100]))    # legal.md §C.3, 1st zone
            peaks = dict(st.all("SELECT day, hour FROM peak_hour WHERE period = ?", [period]))
            days = [first_day(period) + timedelta(days=i) for i in range(days_in(period))]
            assert set(peaks) == {d for d in days if is_working_day(d)}
            assert set(peaks.values()) <= window
    assert window_hours("8-11, 16-21") == [8, 9, 10, 11, 16, 17, 18, 19, 20, 21]


def test_hourly_data_for_every_hourly_point_and_contract_volumes_for_the_rest(demo):
    with open_store(demo, read_only=True) as st:
        for period in MONTHS:
            start, end = first_day(period), last_day(period)
            hourly = [r for r in _live(st, period) if r[1] >= 3]
            hours = dict(st.all("SELECT meter_id, count(DISTINCT (day, hour)) FROM meter_hour"
                                " WHERE day BETWEEN ? AND ? GROUP BY 1", [start, end]))
            without = [r for r in hourly if r[3] not in hours]
            assert all(hours[r[3]] == days_in(period) * 24 for r in hourly if r[3] in hours)
            assert len(without) <= max(1, len(hourly) // 10)
            # a point without hours has no data in any month and a declared volume for the month
            for point, _, _, meter in without:
                assert st.scalar("SELECT count(*) FROM meter_hour WHERE meter_id = ?", [meter]) == 0
                assert st.scalar("""SELECT v.volume FROM contract_volume v JOIN legal_point p ON p.object_id = v.object_id
                                    WHERE p.id = ? AND v.period = ? AND v.service = 'energy'""", [point, period]) > 0
        # the first six points show categories 1–6 with data in the open month
        have = {m for (m,) in st.all("SELECT meter_id FROM legal_meter_month WHERE period = 202611")}
        assert {1, 2, 3, 4, 5, 6} <= have
        # hourly history from three months before the first open month through the open month
        assert st.all("SELECT min(day), max(day) FROM meter_hour") == [(date(2026, 6, 1), date(2026, 11, 30))]
        # every supplied object declares its energy for every month it is supplied
        assert st.scalar("""SELECT count(*) FROM calc_object o JOIN contract k ON k.id = o.contract_id
                            WHERE k.state = 'signed' AND k.starts <= DATE '2026-09-01'
                              AND NOT EXISTS (SELECT 1 FROM contract_volume v WHERE v.object_id = o.id
                                              AND v.service = 'energy' AND v.period = 202611)""") == 0
        assert st.scalar("""SELECT count(*) FROM contract_volume v LEFT JOIN contract_doc d ON d.id = v.doc_id
                            WHERE d.kind IS DISTINCT FROM 'volumes' OR d.contract_id <> v.contract_id""") == 0


def test_integral_readings_give_categories_1_2_a_volume_every_month(demo):
    with open_store(demo, read_only=True) as st:
        for period in MONTHS:
            integral = [r for r in _live(st, period) if r[1] <= 2]
            got = dict(st.all("SELECT meter_id, volume_wh FROM legal_meter_month WHERE period = ? AND source = 'integral'",
                              [period]))
            missing = [r for r in integral if r[3] not in got]
            assert len(missing) <= max(1, len(integral) // 10)
            assert all(got[r[3]] > 0 for r in integral if r[3] in got)
            for _, _, _, meter in missing:        # no data at all: the contract volume bills it
                assert st.scalar("SELECT count(*) FROM legal_reading WHERE meter_id = ?", [meter]) == 0
            # the month's reading is on its last day; category 1 one zone, category 2 two or three
            zones = dict(st.all("""SELECT r.meter_id, max(r.zone) FROM legal_reading r WHERE r.read_on = ?
                                   GROUP BY 1""", [last_day(period)]))
            for _, cat, _, meter in integral:
                if meter in got:
                    assert zones[meter] in ((1,) if cat == 1 else (2, 3))
        # one opening reading before the first month, readings never decrease
        assert st.scalar("SELECT min(read_on) FROM legal_reading") == date(2026, 8, 31)
        assert st.scalar("SELECT count(*) FROM legal_reading_step WHERE diff IS NULL OR diff < 0") == 0
        assert st.scalar("SELECT count(*) FROM legal_reading WHERE status <> 'accepted'") == 0


def test_hour_plans_of_categories_5_6_follow_the_actual_profile(demo):
    with open_store(demo, read_only=True) as st:
        rows = st.all("""
            SELECT p.point_id, count(*), sum(p.value_wh), sum(h.value_wh) FILTER (WHERE h.status <> 'rejected'),
                   sum(p.value_wh) FILTER (WHERE h.status <> 'rejected')
            FROM hour_plan p JOIN legal_meter m ON m.point_id = p.point_id
            JOIN meter_hour h ON h.meter_id = m.id AND h.day = p.day AND h.hour = p.hour
            WHERE p.day BETWEEN DATE '2026-11-01' AND DATE '2026-11-30' GROUP BY 1""")
        cats = dict(st.all("SELECT point_id, price_category FROM legal_point_fact"))
        with_hours = {p for p, c, *_ in _live(st, 202611) if c >= 5} & {
            m for (m,) in st.all("SELECT DISTINCT meter_id FROM meter_hour WHERE day >= DATE '2026-11-01'")}
        assert {r[0] for r in rows} == with_hours and with_hours
        for point, n, _, fact, plan in rows:
            assert cats[point] in (5, 6) and n == 30 * 24
            assert 0.9 < plan / fact < 1.1
        assert st.scalar("SELECT count(*) FROM hour_plan WHERE day < DATE '2026-09-01'") == 0


def test_each_kind_is_one_import_batch_per_month(demo):
    with open_store(demo, read_only=True) as st:
        tables = {"price_table": "price_component", "price_hours": "price_hour", "peak_hours": "peak_hour",
                  "hour_plan": "hour_plan"}
        for kind, table in tables.items():
            batches = st.all(f"""SELECT b.id, b.rows, b.created_by, count(DISTINCT t.period), min(t.period), count(*)
                                 FROM import_batch b JOIN (SELECT batch_id, {'period' if kind != 'hour_plan' else
                                 "CAST(strftime(day, '%Y%m') AS INTEGER) AS period"} FROM {table}) t
                                 ON t.batch_id = b.id WHERE b.kind = ? GROUP BY ALL ORDER BY 5""", [kind])
            assert [b[4] for b in batches] == MONTHS, kind
            assert all(b[1] == b[5] and b[2] == "demo" and b[3] == 1 for b in batches), kind
        # the SO windows: the bundled reference data (sbyt init) or the demo's own batch per month
        assert st.scalar("SELECT count(*) FROM so_window s LEFT JOIN import_batch b ON b.id = s.batch_id"
                         " WHERE s.batch_id <> 0 AND b.kind IS DISTINCT FROM 'so_windows'") == 0
        shas = st.all("SELECT kind, sha256 FROM import_batch WHERE created_by = 'demo'")
        assert len(shas) == len(set(shas))
        assert st.scalar("SELECT count(*) FROM import_batch WHERE kind = 'legal_readings'") == len(MONTHS) + 1


def test_shape_one_point_per_200_households_a_fifth_hourly(demo):
    assert legal_shape(10_000_000) == LegalShape(contracts=45274, points=49999, hourly_points=9850)
    assert legal_shape(1_000_000) == LegalShape(contracts=4527, points=5000, hourly_points=985)
    assert legal_shape(100) == LegalShape(contracts=10, points=11, hourly_points=2)
    with open_store(demo, read_only=True) as st:
        points = st.scalar("SELECT count(*) FROM legal_point")
        hourly = st.scalar("SELECT count(*) FROM legal_point_fact WHERE price_category >= 3")
    shape = legal_shape(20_000)
    assert abs(points - shape.points) <= shape.points * 0.15
    assert 0.15 * points < hourly < 0.35 * points
