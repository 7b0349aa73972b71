"""Worked examples 2 and 3 of docs/examples.md through load (SQL) → calc → explain."""

from __future__ import annotations

from datetime import date

from sbyt.calc.explain import explain
from sbyt.calc.pipeline import calculate

NB = "\u00a0"


def lines(store, account_id):
    return store.all("SELECT method, volume_wh, amount_kop, vat_kop FROM accrual_line WHERE account_id = ?"
                     " ORDER BY id", [account_id])


def test_example_2_normative(store, scen):
    scen.tariff("S", "1.40")
    scen.tariff("U", "2.00")
    scen.normative(2, 3, "stove", "91")
    scen.normative(3, 2, "none", "100")
    a1, n1, _ = scen.account(rooms=2, residents=3, equipment="stove", group="S")
    a2, n2, _ = scen.account(rooms=3, residents=2, equipment="none", group="U")
    scen.open(202611)
    calculate(store)
    assert lines(store, a1) == [("normative", 273000, 38220, round(38220 * 22 / 122))]
    assert lines(store, a2) == [("normative", 200000, 40000, round(40000 * 22 / 122))]
    text = explain(store, n1).text().replace(NB, " ")
    assert "По нормативу: 3 чел. × 91 кВт·ч = 273 кВт·ч × 1,40 ₽ = 382,20 ₽" in text
    text2 = explain(store, n2).text().replace(NB, " ")
    assert "По нормативу: 2 чел. × 100 кВт·ч = 200 кВт·ч × 2,00 ₽ = 400,00 ₽" in text2


def test_example_3_average(store, scen):
    scen.tariff("U", "1.40")
    scen.normative(1, 1, "none", "50")
    aid, number, mp = scen.account()
    m = scen.meter(mp)
    value = 1000
    scen.reading(m, date(2026, 4, 25), value)
    for month, vol in zip(range(5, 11), [120, 130, 110, 140, 150, 130]):
        value += vol
        scen.reading(m, date(2026, month, 25), value)
    scen.open(202611)
    calculate(store)
    assert lines(store, aid) == [("average", 130000, 18200, round(18200 * 22 / 122))]
    text = explain(store, number).text().replace(NB, " ")
    assert "По среднему за 6 мес.: 130 кВт·ч в месяц = 130 кВт·ч × 1,40 ₽ = 182,00 ₽" in text
