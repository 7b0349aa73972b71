"""A non-residential premise billed on a legal-entity contract: its complex's monthly volume (integral
readings × ratios, or hourly АСКУЭ data) enters the building's ОДН in place of the household-side
meter of the same premise (worked example 1 of docs/examples.md: ОДН 2 000 kWh with the shop's
1 000 kWh; flat 1 gets 60 / 2 400 of it)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pyarrow as pa

from sbyt.calc.odn import compute
from sbyt.core import contracts
from sbyt.core.counterparties import CounterpartyFacts, add_counterparty
from sbyt.core.legal_readings import add_legal_reading
from sbyt.core.meter_hours import HourFile, import_hours
from sbyt.io.askue80020 import Channel80020, Point80020, parse_80020, write_80020


def _shop_on_contract(st, ct_ratio: int = 1, askue: bool = False) -> None:
    add_counterparty(st, "legal", "7736207543", "770401001", "1027700229193",
                     CounterpartyFacts("ООО «Магазин»", mobile="+79161234567", email="shop@example.ru"),
                     date(2020, 1, 1))
    contracts.apply(st, "ЭС-1", "7736207543", "supply", date(2020, 1, 10), [])
    contracts.add_object(st, "ЭС-1", "OB1", "Магазин", date(2020, 2, 1), building="B1", premise_no="Н1")
    contracts.add_point(st, "OB1", "TP1", date(2020, 2, 1), contracts.PointFacts("NN", Decimal(30), 1))
    contracts.add_meter(st, "TP1", contracts.MeterSpec("SH-1", date(2020, 2, 1), ct_ratio=ct_ratio,
                                                       askue_code="77001" if askue else None,
                                                       askue_channel="01" if askue else None))


def _odn(st) -> tuple[int, int]:
    run = compute(st, 202611)
    k = list(run.buildings["building_id"]).index(1)
    flat1 = run.premises["premise_id"].tolist().index(1)
    return int(run.out.b_nonres_wh[k]), int(run.out.p_odn_wh[flat1])


def test_without_legal_data_the_household_side_meter_counts(example1):
    _shop_on_contract(example1)
    assert _odn(example1) == (1_000_000, 50_000)


def test_integral_readings_times_the_ratio_replace_the_shop_meter(example1):
    _shop_on_contract(example1, ct_ratio=2)
    example1.execute("INSERT INTO legal_reading (id, meter_id, zone, read_on, value, source, status)"   # October is closed
                     " VALUES (1, 1, 1, DATE '2026-10-25', 100.5, 'manual', 'accepted')")
    add_legal_reading(example1, "TP1", Decimal("900.5"), on=date(2026, 11, 25))
    # (900.5 − 100.5) × 2 = 1 600 kWh: ОДН 12 000 − 1 600 − 4 000 − 5 000 = 1 400; flat 1: 60/2 400 × 1 400 = 35
    assert _odn(example1) == (1_600_000, 35_000)


def test_hourly_askue_data_of_the_month_replace_the_shop_meter(example1):
    _shop_on_contract(example1, askue=True)
    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(2)]
    msgs = [parse_80020(write_80020(str(k), d, "АСКУЭ", "7701234567", "7707083893", "Обл.",
                                    [Point80020("77001", "Магазин", [Channel80020("01", "акт", [12_500] * 48)])]),
                        f"d{k}.xml") for k, d in enumerate(days)]
    hours = pa.concat_tables([pa.table({
        "file_no": pa.array([k] * 24, pa.int32()), "day": pa.array([m.day] * 24, pa.date32()),
        "point_code": m.hours.column("point_code"), "channel": m.hours.column("channel"),
        "hour": m.hours.column("hour"), "value_wh": m.hours.column("value_wh"),
        "intervals": m.hours.column("intervals"), "flag": m.hours.column("status"),
        "complete": m.hours.column("complete")}) for k, m in enumerate(msgs)])
    import_hours(example1, [HourFile(m.file_name, m.sha256, m.day) for m in msgs], hours)
    # 2 days × 24 h × 25 kWh = 1 200 kWh: ОДН 12 000 − 1 200 − 9 000 = 1 800; flat 1: 45
    assert _odn(example1) == (1_200_000, 45_000)
