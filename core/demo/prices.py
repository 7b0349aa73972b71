"""The demo's legal-entity price data for every month it calculates (research legal.md §C.1–C.4):
the supplier's table of price components of categories 1–6 by voltage level, the hourly rates of
categories 3–6 (and the deviation rates of 5–6), the АТС region peak hour of every working day, the
System Operator's planned peak hours, and the hourly plans of the category 5–6 points (their actual
profile with the consumer's forecast error).

Each kind is one import batch per month (kinds 'price_table', 'price_hours', 'peak_hours',
'so_windows', 'hour_plan'; created by 'demo', a deterministic sha256), as `sbyt prices import`
leaves them. Months whose SO windows the store already has (bundled reference data) keep them.

Values are plausible, not published: wholesale energy about 1 500–2 500 RUB/MWh with a winter high
and a daily profile, transmission by voltage level indexed on 1 July, the mark-up, infrastructure,
capacity about 950 000 RUB/MW·month, two-rate transmission about 1 100 000 RUB/MW·month and a loss
rate by voltage. Prices exclude VAT and carry two decimals. Everything in bulk through Arrow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

from sbyt.core.demo.shape import _arrow
from sbyt.core.periods import first_day, last_day, period_label
from sbyt.core.reference import rule, text_rule
from sbyt.core.store import Store

VOLTAGES = ("VN", "SN1", "SN2", "NN")
# single-rate transmission, RUB/MWh (legal.md §C.1 example: 902.61 / 1 562.57 / 1 719.72 / 2 091.43)
NETWORK = np.array([902.61, 1562.57, 1719.72, 2091.43])
NETWORK_CAPACITY = 1_100_000 * np.array([0.62, 0.95, 1.0, 1.28])   # RUB/MW·month
NETWORK_LOSS = np.array([82.4, 145.9, 204.7, 296.3])               # RUB/MWh
INDEXATION = 1.115                     # the regulated rates from 1 July of each year
# category 2: the zone's energy price ÷ the month's average (zone variants 2 and 3)
ZONE_FACTOR = {2: (1.10, 0.70), 3: (1.30, 1.02, 0.70)}
# the wholesale price through the day (hour-ending 1..24), mean 1
DAY_SHAPE = np.array([0.74, 0.70, 0.68, 0.67, 0.68, 0.72, 0.84, 0.98, 1.08, 1.12, 1.14, 1.14,
                      1.12, 1.12, 1.11, 1.10, 1.12, 1.18, 1.22, 1.20, 1.12, 1.02, 0.92, 0.82])
DAY_SHAPE = DAY_SHAPE / DAY_SHAPE.mean()
# the region's load through a working day: the peak hour is its maximum inside the SO window
LOAD_WINTER = np.array([0.70, 0.67, 0.65, 0.65, 0.66, 0.70, 0.80, 0.90, 0.95, 0.96, 0.96, 0.95,
                        0.94, 0.94, 0.94, 0.95, 0.97, 1.00, 1.00, 0.99, 0.97, 0.92, 0.85, 0.77])
LOAD_SUMMER = np.array([0.72, 0.68, 0.66, 0.65, 0.66, 0.69, 0.77, 0.86, 0.93, 0.97, 0.99, 1.00,
                        1.00, 1.00, 0.99, 0.98, 0.97, 0.96, 0.95, 0.95, 0.94, 0.90, 0.84, 0.78])
# the SO planned peak hours of the 1st price zone (legal.md §C.3, 2025 and 2026), hour-ending, inclusive
SO_WINDOWS = {1: "8-21", 2: "8-13, 17-21", 3: "8-21", 4: "8-15, 18-21", 5: "8-15, 20-21", 6: "8-16, 20-21",
              7: "8-17, 20-21", 8: "8-21", 9: "8-15, 18-21", 10: "8-21", 11: "8-11, 16-21", 12: "8-12, 15-21"}


def window_hours(text: str) -> list[int]:
    """'8-13, 17-21' -> [8..13, 17..21]."""
    out: list[int] = []
    for part in text.replace(" ", "").split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def _sha(kind: str, inn: str, period: int) -> str:
    return hashlib.sha256(f"demo-{kind}:{inn}:{period}".encode()).hexdigest()


def _legal_prices(store: Store, rng: np.random.Generator, periods: list[int]) -> None:
    """All price data of `periods` (YYYYMM, ascending) and the category 5–6 plans of those months."""
    if not periods:
        return
    con = store.con
    on = first_day(periods[0])
    region = text_rule(store, "legal.ats_region", on) or "46"
    zone_rule = rule(store, "legal.price_zone", on)
    price_zone = int(zone_rule) if zone_rule is not None else 1
    inn = store.scalar("SELECT inn FROM supplier LIMIT 1")
    have_windows = {int(p) for (p,) in store.all("SELECT DISTINCT period FROM so_window WHERE price_zone = ?",
                                                 [price_zone])}
    batches: list[tuple[int, str, int]] = []            # (period, kind, id)
    next_id = store.next_id("import_batch")

    def batch(period: int, kind: str) -> int:
        nonlocal next_id
        batches.append((period, kind, next_id))
        next_id += 1
        return next_id - 1

    comp: dict[str, list] = {k: [] for k in ("period", "category", "voltage", "component", "zones", "zone",
                                             "cents", "batch")}
    hour: dict[str, list] = {k: [] for k in ("period", "category", "voltage", "rate", "day", "hour", "cents",
                                             "batch")}
    peak: dict[str, list] = {"period": [], "day": [], "hour": [], "batch": []}
    window: dict[str, list] = {"period": [], "hour": [], "batch": []}
    for period in periods:
        start, days = first_day(period), (last_day(period) - first_day(period)).days + 1
        moy = period % 100
        winter = 1 + 0.5 * np.cos(2 * np.pi * (moy - 1) / 12)          # 1.5 in January, 0.5 in July
        indexed = INDEXATION if moy >= 7 else 1.0
        indexed = indexed * INDEXATION ** (period // 100 - 2026)
        wholesale = 1850 + 220 * (winter - 1) / 0.5 + rng.normal(0, 60)
        wholesale = float(np.clip(wholesale, 1500, 2500))
        markup = round(300 * indexed + rng.normal(0, 12), 2)
        infra = round(2.6 + rng.uniform(-0.3, 0.3), 2)
        capacity = round(950_000 * (1 + 0.06 * (winter - 1) / 0.5) + rng.normal(0, 15_000), 2)
        # -- SO windows (unless the store has them), the region's peak hour of each working day
        hours = window_hours(SO_WINDOWS[moy])
        if period not in have_windows:
            b = batch(period, "so_windows")
            window["period"] += [period] * len(hours)
            window["hour"] += hours
            window["batch"] += [b] * len(hours)
        else:
            hours = [int(h) for (h,) in store.all("SELECT hour FROM so_window WHERE period = ? AND price_zone = ?"
                                                   " ORDER BY hour", [period, price_zone])]
        # -- the price table: categories 1–6 × voltage levels
        b = batch(period, "price_table")
        rows: list[tuple[int, int, str, int, int, float]] = []   # (category, voltage index, component, zones, zone, RUB)
        for v in range(len(VOLTAGES)):
            network = NETWORK[v] * indexed
            for cat in (1, 2):
                rows += [(cat, v, "network", 0, 0, network), (cat, v, "markup", 0, 0, markup),
                         (cat, v, "infra", 0, 0, infra)]
            rows.append((1, v, "energy", 0, 0, wholesale))
            for zones, factors in ZONE_FACTOR.items():
                rows += [(2, v, "energy", zones, z + 1, wholesale * f) for z, f in enumerate(factors)]
            for cat in (3, 4, 5, 6):
                rows.append((cat, v, "capacity", 0, 0, capacity))
            for cat in (3, 5):
                rows.append((cat, v, "network", 0, 0, network))
            for cat in (4, 6):
                rows += [(cat, v, "network_capacity", 0, 0, NETWORK_CAPACITY[v] * indexed),
                         (cat, v, "network_loss", 0, 0, NETWORK_LOSS[v] * indexed)]
        comp["period"] += [period] * len(rows)
        comp["category"] += [r[0] for r in rows]
        comp["voltage"] += [VOLTAGES[r[1]] for r in rows]
        comp["component"] += [r[2] for r in rows]
        comp["zones"] += [r[3] for r in rows]
        comp["zone"] += [r[4] for r in rows]
        comp["cents"] += [int(round(r[5] * 100)) for r in rows]
        comp["batch"] += [b] * len(rows)
        # -- hourly rates of categories 3–6: the day's wholesale profile plus the regulated parts
        day_list = [start + timedelta(days=i) for i in range(days)]
        working = _working(store, start, day_list)
        daily = np.where(working, 1.0, 0.9)[:, None] * rng.lognormal(0.0, 0.03, (days, 1))
        market = wholesale * DAY_SHAPE[None, :] * daily * rng.lognormal(0.0, 0.04, (days, 24))   # (days, 24)
        b = batch(period, "price_hours")
        blocks: list[tuple[int, int, str, np.ndarray]] = []
        for v in range(len(VOLTAGES)):
            network = NETWORK[v] * indexed
            for cat in (3, 4, 5, 6):
                energy = market * (0.985 if cat >= 5 else 1.0) + 0.6 * markup + infra
                blocks.append((cat, v, "fact", energy + (network if cat in (3, 5) else 0.0)))
            for cat in (5, 6):
                blocks.append((cat, v, "over", market * 0.09))
                blocks.append((cat, v, "under", market * 0.06))
        k = len(blocks)
        cells = days * 24
        hour["period"].append(np.full(k * cells, period, np.int32))
        hour["category"].append(np.repeat([c for c, _, _, _ in blocks], cells).astype(np.int8))
        hour["voltage"].append(np.repeat([VOLTAGES[v] for _, v, _, _ in blocks], cells))
        hour["rate"].append(np.repeat([r for _, _, r, _ in blocks], cells))
        hour["day"].append(np.tile(np.repeat(np.array(day_list, dtype="datetime64[D]"), 24), k))
        hour["hour"].append(np.tile(np.arange(1, 25, dtype=np.int8), k * days))
        hour["cents"].append(np.round(np.stack([m for _, _, _, m in blocks]) * 100).astype(np.int64).ravel())
        hour["batch"].append(np.full(k * cells, b, np.int64))
        # -- the АТС peak hour of each working day: the region's load maximum inside the SO window
        b = batch(period, "peak_hours")
        load = (LOAD_WINTER if moy in (1, 2, 3, 10, 11, 12) else LOAD_SUMMER)
        inside = np.full(24, -np.inf)
        inside[np.array(hours) - 1] = 0.0
        work_days = [d for d, w in zip(day_list, working) if w]
        noisy = load[None, :] * rng.lognormal(0.0, 0.02, (len(work_days), 24)) + inside[None, :]
        peak["period"] += [period] * len(work_days)
        peak["day"] += work_days
        peak["hour"] += (noisy.argmax(axis=1) + 1).tolist()
        peak["batch"] += [b] * len(work_days)
    _arrow(con, "t_pc", comp)
    _arrow(con, "t_ph", {k: np.concatenate(v) for k, v in hour.items()})
    _arrow(con, "t_pk", peak)
    _arrow(con, "t_so", window if window["period"] else {"period": np.zeros(0, np.int64),
                                                         "hour": np.zeros(0, np.int64),
                                                         "batch": np.zeros(0, np.int64)})
    con.execute(f"""
        INSERT INTO price_component SELECT period, category, voltage, component, zones, zone,
            CAST(cents * 0.01 AS DECIMAL(18, 4)), batch FROM t_pc;
        INSERT INTO price_hour SELECT period, category, voltage, rate, day, hour,
            CAST(cents * 0.01 AS DECIMAL(18, 4)), batch FROM t_ph;
        INSERT INTO peak_hour SELECT period, '{region}', day, hour, batch FROM t_pk;
        INSERT INTO so_window SELECT period, {price_zone}, hour, batch FROM t_so""")
    for t in ("t_pc", "t_ph", "t_pk", "t_so"):
        con.unregister(t)
    _hour_plans(store, rng, periods, lambda period: batch(period, "hour_plan"))
    _batches(store, batches, inn, region)


def _working(store: Store, start: date, days: list[date]) -> np.ndarray:
    rows = dict(store.all("SELECT day, working FROM production_calendar WHERE day BETWEEN ? AND ?",
                          [start, days[-1]]))
    if len(rows) == len(days):
        return np.array([bool(rows[d]) for d in days])
    from sbyt.core.workdays import is_working_day

    return np.array([is_working_day(d) for d in days])


def _hour_plans(store: Store, rng: np.random.Generator, periods: list[int], batch: Callable[[int], int]) -> None:
    """The consumers' hourly plans of the category 5–6 points with hourly data: the actual hour (a
    rejected one: the point's average hour of the month) times a day's and an hour's forecast error."""
    con = store.con
    for period in periods:
        t = con.execute("""
            SELECT m.point_id, h.day, h.hour,
                   CASE WHEN h.status = 'rejected' THEN avg(h.value_wh) FILTER (WHERE h.status <> 'rejected')
                        OVER (PARTITION BY m.point_id) ELSE h.value_wh END AS wh
            FROM meter_hour h JOIN legal_meter m ON m.id = h.meter_id
            JOIN legal_point_fact f ON f.point_id = m.point_id AND f.valid_from <= h.day
                AND (f.valid_to IS NULL OR f.valid_to > h.day)
            WHERE h.day BETWEEN ? AND ? AND f.price_category IN (5, 6)
            ORDER BY m.point_id, h.day, h.hour""", [first_day(period), last_day(period)]).fetchnumpy()
        n = len(t["point_id"])
        if not n:
            continue
        pid, day = t["point_id"].astype(np.int64), t["day"].astype("datetime64[D]")
        day_key = np.cumsum(np.r_[True, (pid[1:] != pid[:-1]) | (day[1:] != day[:-1])]) - 1   # rows are sorted
        err = rng.lognormal(0.0, 0.05, day_key[-1] + 1)[day_key] * rng.lognormal(0.0, 0.06, n)
        plan = np.round(np.asarray(t["wh"], dtype=np.float64) * err).astype(np.int64)
        _arrow(con, "t_hp", {"point_id": pid, "day": day,
                             "hour": t["hour"].astype(np.int8), "wh": plan})
        con.execute(f"INSERT INTO hour_plan SELECT point_id, day, hour, wh, {batch(period)} FROM t_hp")
        con.unregister("t_hp")


FILES = {
    "price_table": ("Составляющие_цены_ЦК1-6_{iso}_demo.xlsx", "составляющие цены ЦК 1–6 за {label}"),
    "price_hours": ("Почасовые_ставки_ЦК3-6_{iso}_demo.xlsx", "почасовые ставки ЦК 3–6 за {label}"),
    "peak_hours": ("{period}_DEMOSBYT_{region}_calcfacthour.xls", "часы пиковой нагрузки АТС за {label}"),
    "so_windows": ("Плановые_часы_СО_{iso}_demo.csv", "плановые часы пиковой нагрузки СО за {label}"),
    "hour_plan": ("Плановые_объёмы_ЦК5-6_{iso}_demo.csv", "плановые почасовые объёмы ЦК 5–6 за {label}"),
}
COUNT = {"price_table": "price_component", "price_hours": "price_hour", "peak_hours": "peak_hour",
         "so_windows": "so_window", "hour_plan": "hour_plan"}


def _batches(store: Store, batches: list[tuple[int, str, int]], inn: str, region: str) -> None:
    """One import_batch row per month and kind, with the rows it wrote."""
    rows = []
    for period, kind, bid in batches:
        iso, label = f"{period // 100}-{period % 100:02d}", period_label(period)
        name, note = FILES[kind]
        rows.append((bid, kind, name.format(iso=iso, period=period, region=region), _sha(kind, inn, period),
                     note.format(label=label)))
    _arrow(store.con, "t_pb", {"id": np.array([r[0] for r in rows], np.int64), "kind": [r[1] for r in rows],
                               "file": [r[2] for r in rows], "sha": [r[3] for r in rows],
                               "note": [r[4] for r in rows]})
    counts = " UNION ALL ".join(f"SELECT batch_id, count(*) AS n FROM {t} GROUP BY batch_id" for t in COUNT.values())
    store.con.execute(f"""
        INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows, note)
        SELECT b.id, b.kind, b.file, b.sha, 'demo', coalesce(c.n, 0), b.note
        FROM t_pb b LEFT JOIN ({counts}) c ON c.batch_id = b.id ORDER BY b.id""")
    store.con.unregister("t_pb")


__all__ = ["SO_WINDOWS", "window_hours"]
