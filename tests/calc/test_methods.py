"""Every method through SQL fixtures → gather → kernels → write, with hand-computed lines (11.2026)."""

from __future__ import annotations

from datetime import date

import pytest

from sbyt.calc.explain import explain
from sbyt.calc.pipeline import calculate

NB = "\u00a0"
D = date


@pytest.fixture
def world(store, scen):
    scen.tariff("U", "2.00")
    scen.tariff("U", "3.00", zones=2, zone=1)
    scen.tariff("U", "1.50", zones=2, zone=2)
    for r in range(1, 6):
        scen.normative(1, r, "none", "100")
    return scen


def lines(store, number):
    return store.all("""SELECT l.method, l.zone, l.seg_from, l.seg_to, l.volume_wh, l.amount_kop FROM accrual_line l
                        JOIN account a ON a.id = l.account_id WHERE a.number = ? AND l.service = 'electricity' AND l.period = 202611
                        ORDER BY l.seg_from, l.method, l.zone""", [number])


def text(store, number):
    return explain(store, number).text().replace(NB, " ")


def test_methods(store, world):
    s = world
    # A: meter replaced on 11.11: old 1000 → 1050, new 0 → 30
    _, a, mp = s.account()
    m1 = s.meter(mp, removed=D(2026, 11, 11))
    s.reading(m1, D(2026, 10, 25), 1000)
    s.reading(m1, D(2026, 11, 11), 1050, kind="removal")
    m2 = s.meter(mp, installed=D(2026, 11, 11))
    s.reading(m2, D(2026, 11, 11), 0, kind="install")
    s.reading(m2, D(2026, 11, 25), 30)
    # B: rollover of a 4-digit meter with ratio 10
    _, b, mp = s.account()
    m = s.meter(mp, digits=4, ratio=10)
    s.reading(m, D(2026, 10, 25), 9990)
    s.reading(m, D(2026, 11, 25), 20)
    # C: residents 1 → 3 from 16.11, normative
    c_id, c, _ = s.account(residents=1)
    store.execute("UPDATE account_fact SET valid_to = DATE '2026-11-16' WHERE account_id = ?", [c_id])
    s.fact(c_id, D(2026, 11, 16), None, residents=3)
    # D: absence 05.11 → 16.11 where no meter can be installed: 6..15 November not billed
    d_id, d, _ = s.account(residents=2, meter_impossible=True)
    s.absence(d_id, D(2026, 11, 5), D(2026, 11, 16))
    # E: tampering found on 10.11: ×10 normative for 1..10 November, readings for the rest
    _, e, mp = s.account()
    m = s.meter(mp)
    s.reading(m, D(2026, 10, 25), 100)
    s.reading(m, D(2026, 11, 25), 200)
    s.act(mp, "tampering", D(2026, 11, 10))
    # F: no readings since June, two refused accesses after the last reading: normative × 1.5
    _, f, mp = s.account(residents=2)
    m = s.meter(mp)
    s.reading(m, D(2026, 6, 25), 100)
    s.act(mp, "access_refused", D(2026, 8, 1))
    s.act(mp, "access_refused", D(2026, 10, 1))
    # G: disconnected from 21.11
    _, g, mp = s.account()
    store.execute("INSERT INTO supply_state VALUES (?, DATE '2026-11-21', NULL, 'disconnected', 'долг')", [mp])
    # H: two-zone meter
    _, h, mp = s.account()
    m = s.meter(mp, zones=2)
    for z, (p, q) in enumerate([(500, 600), (200, 250)], start=1):
        s.reading(m, D(2026, 10, 25), p, zone=z)
        s.reading(m, D(2026, 11, 25), q, zone=z)
    # I: a late reading after September and October billed by average (120 kWh each, posted)
    i_id, i, mp = s.account()
    m = s.meter(mp)
    s.reading(m, D(2026, 8, 25), 1000)
    s.reading(m, D(2026, 11, 25), 1400)
    for n, p in enumerate((202609, 202610)):
        store.execute("INSERT INTO accrual_line (id, period, for_period, account_id, metering_point_id, service, method,"
                      " volume_wh, amount_kop, status) VALUES (?, ?, ?, ?, ?, 'electricity', 'average', 120000,"
                      " 24000, 'posted')", [900 + n, p, p, i_id, mp])
    s.open(202611)
    calculate(store)

    assert lines(store, a) == [("readings", 1, D(2026, 11, 1), D(2026, 11, 11), 50000, 10000),
                               ("readings", 1, D(2026, 11, 11), D(2026, 12, 1), 30000, 6000)]
    assert lines(store, b) == [("readings", 1, D(2026, 11, 1), D(2026, 12, 1), 300000, 60000)]
    assert "Показания (20 − 9 990 (переход счётчика через ноль)) × 10 (расч. коэфф.) = 300 кВт·ч × 2,00 ₽ = 600,00 ₽" \
        in text(store, b)
    assert lines(store, c) == [("normative", 1, D(2026, 11, 1), D(2026, 11, 16), 50000, 10000),
                               ("normative", 1, D(2026, 11, 16), D(2026, 12, 1), 150000, 30000)]
    assert "По нормативу: 3 чел. × 100 кВт·ч × 15/30 дн. = 150 кВт·ч × 2,00 ₽ = 300,00 ₽" in text(store, c)
    assert lines(store, d) == [("normative", 1, D(2026, 11, 1), D(2026, 11, 6), 33333, 6667),
                               ("normative", 1, D(2026, 11, 16), D(2026, 12, 1), 100000, 20000)]
    assert lines(store, e) == [("normative", 1, D(2026, 11, 1), D(2026, 11, 11), 333333, 66667),
                               ("readings", 1, D(2026, 11, 11), D(2026, 12, 1), 100000, 20000)]
    assert "По нормативу: 1 чел. × 100 кВт·ч × 10 (вмешательство в ПУ) × 10/30 дн. = 333,333 кВт·ч × 2,00 ₽" \
        in text(store, e)
    assert lines(store, f) == [("normative", 1, D(2026, 11, 1), D(2026, 12, 1), 300000, 60000)]
    assert "× 1,5 (отказ в допуске к ПУ)" in text(store, f)
    assert lines(store, g) == [("normative", 1, D(2026, 11, 1), D(2026, 11, 21), 66667, 13333)]
    assert lines(store, h) == [("readings", 1, D(2026, 11, 1), D(2026, 12, 1), 100000, 30000),
                               ("readings", 2, D(2026, 11, 1), D(2026, 12, 1), 50000, 7500)]
    assert "Зона 2 (ночь). Показания 250 − 200 = 50 кВт·ч × 1,50 ₽ = 75,00 ₽" in text(store, h)
    assert lines(store, i) == [("readings", 1, D(2026, 11, 1), D(2026, 12, 1), 400000, 80000),
                               ("recalc", 1, D(2026, 11, 1), D(2026, 12, 1), -240000, -48000)]
    assert "снимается объём, начисленный по среднему за 2 мес. = −240 кВт·ч × 2,00 ₽ = −480,00 ₽" in text(store, i)


def test_communal_flat(store, world):
    """A flat meter of 300 kWh split 2 : 1 between two rooms; a room with nobody living in it gets 0."""
    s = world
    flat = s.premise(rooms=3, communal=True)
    shared = s.point(premise=flat, kind="shared")
    m = s.meter(shared)
    s.reading(m, D(2026, 10, 25), 1000)
    s.reading(m, D(2026, 11, 25), 1300)
    rooms = [s.account(residents=r, registered=0, owners=0, premise=s.premise(kind="room", parent=flat),
                       parent_point=shared) for r in (2, 1, 0)]
    s.open(202611)
    calculate(store)
    got = [lines(store, n) for _, n, _ in rooms]
    assert got == [[("readings", 1, D(2026, 11, 1), D(2026, 12, 1), 200000, 40000)],
                   [("readings", 1, D(2026, 11, 1), D(2026, 12, 1), 100000, 20000)],
                   [("readings", 1, D(2026, 11, 1), D(2026, 12, 1), 0, 0)]]
    assert "Показания 1 300 − 1 000 = 300 кВт·ч = 200 кВт·ч на квартиру; доля комнаты 2/3 чел." in text(store, rooms[0][1]) \
        or "доля комнаты 2/3 чел. = 200 кВт·ч × 2,00 ₽ = 400,00 ₽" in text(store, rooms[0][1])


def test_reading_after_a_long_silence_and_missing_tariff(store, world):
    """The previous reading is older than the gathered window: it is found by the narrow second query."""
    s = world
    _, a, mp = s.account()
    m = s.meter(mp)
    s.reading(m, D(2024, 3, 25), 5000)
    s.reading(m, D(2026, 11, 20), 5600)
    s.open(202611)
    calculate(store)
    assert lines(store, a) == [("readings", 1, D(2026, 11, 1), D(2026, 12, 1), 600000, 120000)]
    s.account(group="S")                 # a tariff group without prices
    from sbyt.core.errors import SbytError

    with pytest.raises(SbytError, match="Нет тарифа за 11.2026 \\(1 строк\\): группа «S», зона 1"):
        calculate(store)
    assert len(lines(store, a)) == 1     # the failed run wrote nothing


def test_meter_of_a_point_disconnected_before_the_month_is_ignored(store, world):
    s = world
    aid, a, _ = s.account(point=False)
    mp = s.point(account=aid, disconnected=D(2026, 10, 1))
    m = s.meter(mp)
    s.reading(m, D(2026, 9, 25), 100)
    s.reading(m, D(2026, 11, 25), 300)
    _, b, mp2 = s.account()
    m2 = s.meter(mp2)
    s.reading(m2, D(2026, 10, 25), 10)
    s.reading(m2, D(2026, 11, 25), 20)
    s.open(202611)
    calculate(store)
    assert lines(store, a) == []
    assert lines(store, b) == [("readings", 1, D(2026, 11, 1), D(2026, 12, 1), 10000, 2000)]


def test_a_normative_line_without_a_normative_refuses_the_run(store, world):
    """No normative row for the account's rooms/residents/equipment: the run is refused naming the
    account (it used to charge −0,01 ₽ from the kernel's «no normative» marker)."""
    from sbyt.core.errors import SbytError

    s = world
    _, a, _ = s.account(residents=2)
    s.open(202611)
    calculate(store)
    store.execute("DELETE FROM normative WHERE equipment = 'stove_heating'")
    _, b, _ = s.account(residents=2, equipment="stove_heating")
    with pytest.raises(SbytError) as exc:
        calculate(store)
    assert str(exc.value) == (f"Нет норматива потребления за 11.2026 для лицевых счетов {b} (сочетание комнат, "
                              "проживающих и оборудования из их характеристик). Загрузите нормативы (normatives) "
                              "и повторите расчёт.")
    assert [x[0] for x in lines(store, a)] == ["normative"]     # the failed run wrote nothing
