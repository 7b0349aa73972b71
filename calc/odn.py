"""The ОДН step of the monthly run: gather buildings and premises, run the kernel, write results.

Two ways in:
* `run_odn(store, period)` — standalone: individual volumes are taken from the period's
  electricity accrual lines already in the store (draft or posted). Writes everything, including
  the residents' 'odn' accrual lines (draft lines of the period are replaced).
* `odn_step(ctx)` — inside `sbyt.calc.pipeline`: individual volumes come from the volumes step's
  lines in the context; the 'odn' lines are handed back to the pipeline to write.

Rules and data contract: docs/odn.md. Everything is set-based SQL + one kernel call; the only
Python loops run over zero-length-or-few items (rules), never over accounts. The inputs come from
`sbyt.calc.odn_gather`, the lines' texts from `sbyt.calc.odn_reasons`; `sbyt.calc.odn_write` writes
the odn_* tables and `sbyt.calc.write` the 'odn' accrual lines, in both ways in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sbyt.core.access import requires
from sbyt.calc.context import CalcContext
from sbyt.calc.jit import round_div_array
from sbyt.calc.kernels.odn import MODE_METER, MODE_NORMATIVE, OdnInputs, OdnOutputs, amounts, compute_odn
from sbyt.calc.lines import M_NORMATIVE, S_ELECTRICITY, S_ODN, LineBatch, method_code
from sbyt.calc.odn_gather import (K_NONRES, VolumeChunk, build_meter_volumes, drop_meter_volumes, individual_volumes,
                                  load_buildings, load_premises, meter_rows, nonres_source)
from sbyt.calc.odn_reasons import reasons
from sbyt.calc.odn_write import write_tables
from sbyt.calc.write import lines_table as accrual_table
from sbyt.calc.write import write_lines as write_accrual_lines
from sbyt.core.money import rate_e2
from sbyt.core.period_state import ensure_open
from sbyt.core.periods import days_in, first_day, last_day, next_first_day
from sbyt.core.reference import rule, rule_int
from sbyt.core.store import Store

Progress = Callable[[str], None]


@dataclass(frozen=True)
class OdnSummary:
    period: int
    buildings: int
    by_readings: int
    by_average: int
    by_normative: int
    imbalances: int
    residents_lines: int
    residents_wh: int
    residents_kop: int
    manager_wh: int


@dataclass
class OdnRun:
    """Everything the step computed for one period (columnar), before it is written."""

    period: int
    buildings: dict[str, np.ndarray]
    premises: dict[str, np.ndarray]   # sorted by building, premise id; see `odn_gather.load_premises`
    out: OdnOutputs
    source: np.ndarray          # object array: readings | average | normative
    billed: np.ndarray          # bool per building: residents billed (direct / none)
    meter_rows: pa.Table
    lines: pa.Table             # the 'odn' accrual lines (no ids yet)
    line_tg: np.ndarray | None = None   # int32 per line: index into `tg_names` (−1: none)
    tg_names: list[str] | None = None


def compute(store: Store, period: int, lines_sql: str | None = None,
            lines_table: pa.Table | None = None, progress: Progress | None = None,
            volumes: list[VolumeChunk] | None = None) -> OdnRun:
    """Gather and compute ОДН for `period` without writing anything.

    Individual volumes: `volumes` (chunks of account id, Wh, method code) if given, else
    `lines_table` (account_id, volume_wh, method), else `lines_sql`, else the period's electricity
    accrual lines in the store.
    """
    d0, d1, dl = first_day(period), next_first_day(period), last_day(period)
    if volumes is None:
        volumes = individual_volumes(store, period, lines_sql, lines_table)
    extra = nonres_source(store)
    if progress:
        progress("ОДН: общедомовые приборы учёта")
    build_meter_volumes(store, period)
    base_months = rule_int(store, "average.base_months", dl, 6)
    max_avg = rule_int(store, "odn.meter_average_months", dl, 3)
    b = load_buildings(store, period, base_months)
    n_b = len(b["building_id"])
    b_id = np.asarray(b["building_id"], np.int64)
    management = np.asarray(b["management"], dtype=object)
    billed = np.isin(management, ["direct", "none"])
    if progress:
        progress("ОДН: помещения")
    p = load_premises(store, period, b_id, billed, volumes, extra)
    p_b = p["b"]

    has_meter = np.asarray(b["has_meter"], bool)
    meter_ok = np.asarray(b["meter_ok"], bool)
    hist_n = np.asarray(b["hist_n"], np.int64)
    hist_s = np.asarray(b["hist_s"], np.int64)
    run = np.asarray(b["avg_run"], np.int64)
    by_readings = has_meter & meter_ok
    by_average = has_meter & ~meter_ok & (hist_n > 0) & (run < max_avg)
    mode = np.where(by_readings | by_average, MODE_METER, MODE_NORMATIVE).astype(np.int8)
    common = np.asarray(b["common_wh"], np.int64).copy()
    safe_n = np.maximum(hist_n, 1)
    avg = round_div_array(hist_s, safe_n)
    common = np.where(by_average, avg, common)
    common = np.where(mode == MODE_NORMATIVE, 0, common)
    src_code = np.where(by_readings, 0, np.where(by_average, 1, 2)).astype(np.int8)
    source = np.asarray(SOURCES, dtype=object)[src_code]
    soi_e4 = np.asarray(b["soi_e4"], np.int64)
    area_common_c = np.asarray(b["area_common_c"], np.int64)
    # N_soi (kWh/m² ×10⁴) × S_common (m² ×10²) → Wh: × 1000 / 10⁶
    cap = np.where(soi_e4 >= 0, round_div_array(soi_e4 * area_common_c, 1000), -1).astype(np.int64)
    zone_wh = np.stack([np.asarray(b[k], np.int64) for k in ("z1", "z2", "z3")], axis=1) if n_b else \
        np.zeros((0, 3), np.int64)
    zones = np.asarray(b["zones"], np.int8).copy()
    zones[~by_readings] = 1
    heating = np.asarray(b["heating_wh"], np.int64)

    b_start = np.searchsorted(p_b, np.arange(n_b + 1)).astype(np.int64)
    nonres = p["kind"] == K_NONRES
    inp = OdnInputs(
        b_mode=mode, b_common_wh=common, b_heating_wh=heating, b_cap_wh=cap, b_zone_wh=zone_wh, b_zones=zones,
        b_start=b_start, p_id=p["premise_id"], p_area_c=p["area_c"], p_nonres=nonres, p_metered=p["metered"],
        p_indiv_wh=p["individual_wh"],
    )
    if progress:
        progress("ОДН: расчёт")
    out = compute_odn(inp)

    # residents' lines: billed buildings, residential premises with an account and a price, volume > 0
    sel = (billed[p_b] if len(p_b) else np.zeros(0, bool)) & (p["account_id"] >= 0) & (p["price_e4"] >= 0) \
        & (out.p_odn_wh > 0) & ~nonres
    vat_pct = rule(store, "vat.rate", dl)
    vol = out.p_odn_wh[sel]
    n = len(vol)
    price_sel = p["price_e4"][sel]
    amt, vat = amounts(vol, price_sel, np.full(n, rate_e2(vat_pct), np.int64))
    mp_id = b["metering_point_id"]
    mp_arr = np.asarray(np.ma.filled(mp_id, -1), np.int64) if isinstance(mp_id, np.ma.MaskedArray) else \
        np.asarray([-1 if x is None else x for x in mp_id], np.int64)
    line_b = p_b[sel]
    line_mode = mode[line_b]
    line_meter = line_mode == MODE_METER
    line_tg = p["tg"][sel]
    tg_names = list(p["tg_names"])
    reason = reasons(source, common, heating, out, cap, line_b, p["area_c"][sel])
    line_cap = cap[line_b]
    lines = pa.table({
        "period": pa.array(np.full(n, period, np.int32)),
        "for_period": pa.array(np.full(n, period, np.int32)),
        "account_id": pa.array(p["account_id"][sel]),
        "metering_point_id": pa.array(np.where(line_meter, mp_arr[line_b], -1), pa.int64()),
        "service": _repeat("odn", n),
        "zone": pa.array(np.ones(n, np.int8)),
        "method": pa.array(["odn_meter", "odn_normative"], pa.string()).take(pa.array(np.where(line_meter, 0, 1))),
        "seg_from": pa.array(np.full(n, (d0 - EPOCH).days, np.int32)).cast(pa.date32()),
        "seg_to": pa.array(np.full(n, (d1 - EPOCH).days, np.int32)).cast(pa.date32()),
        "volume_wh": pa.array(vol),
        "price_e4": pa.array(price_sel),
        "amount_kop": pa.array(amt),
        "vat_kop": pa.array(vat),
        "tariff_group": pa.array(tg_names + [None], pa.string()).take(pa.array(np.where(line_tg < 0, len(tg_names), line_tg))),
        "avg_wh": pa.array(out.b_odn_wh[line_b]),
        "normative_wh": pa.array(line_cap, mask=line_cap < 0),
        "base_method": pa.array(SOURCES, pa.string()).take(pa.array(src_code[line_b])),
        "reason": reason,
    })
    rows = meter_rows(store)
    drop_meter_volumes(store)
    return OdnRun(period, b, p, out, source, billed, rows, lines, line_tg, tg_names)


SOURCES = ("readings", "average", "normative")
EPOCH = date(1970, 1, 1)


def _repeat(text: str, n: int) -> pa.Array:
    return pa.array([text], pa.string()).take(pa.array(np.zeros(n, np.int32)))


def write(store: Store, run: OdnRun, write_lines: bool = True) -> OdnSummary:
    """Replace the period's ОДН results (and, if asked, its draft 'odn' lines) in one transaction."""
    period = run.period
    ensure_open(store, period)
    out = run.out
    n_b = len(run.buildings["building_id"])
    with store.transaction():
        write_tables(store, period, run.buildings, run.premises, out, run.source, run.billed, run.meter_rows)
        if write_lines:     # standalone: the monthly run writes its lines and stamp itself
            groups = list(run.tg_names or [])
            write_accrual_lines(store, period, accrual_table([line_batch(run, groups, priced=True)], groups),
                                services=("odn",))
    src = run.source
    return OdnSummary(
        period=period, buildings=n_b, by_readings=int((src == "readings").sum()),
        by_average=int((src == "average").sum()), by_normative=int((src == "normative").sum()),
        imbalances=int((out.b_raw_wh < 0).sum()), residents_lines=run.lines.num_rows,
        residents_wh=int(np.asarray(run.lines["volume_wh"]).sum()) if run.lines.num_rows else 0,
        residents_kop=int(np.asarray(run.lines["amount_kop"]).sum()) if run.lines.num_rows else 0,
        manager_wh=int(out.b_odn_wh[~run.billed].sum()) if n_b else 0,
    )


def line_batch(run: OdnRun, tariff_groups: list[str], priced: bool = False) -> LineBatch:
    """The residents' 'odn' lines of `run` as a `LineBatch`, tariff groups as indices into
    `tariff_groups`. `priced`: keep the amounts computed with the lines (standalone); else the
    pipeline's amounts step prices them."""
    ln = run.lines
    n = ln.num_rows
    lookup = {g: i for i, g in enumerate(tariff_groups)}
    to_ctx = np.array([lookup.get(g, -1) for g in run.tg_names] + [-1], np.int16)
    tg = to_ctx[run.line_tg]               # line_tg −1 -> the trailing −1
    meter_code, norm_code = method_code("odn_meter"), method_code("odn_normative")
    method = np.where(pc.equal(ln["method"], "odn_meter").to_numpy(), meter_code, norm_code).astype(np.int8)
    normative = ln["normative_wh"].fill_null(-1).to_numpy()
    money = dict(amount_kop=ln["amount_kop"].to_numpy(), vat_kop=ln["vat_kop"].to_numpy(), priced=True) \
        if priced else {}
    return LineBatch.make(
        n, reason=ln["reason"], base_method=ln["base_method"],
        account_id=ln["account_id"].to_numpy(), metering_point_id=ln["metering_point_id"].to_numpy(),
        service=S_ODN, zone=1, method=method, for_period=run.period, seg_from=0, seg_to=days_in(run.period),
        volume_wh=ln["volume_wh"].to_numpy(), price_e4=ln["price_e4"].to_numpy(),
        avg_wh=ln["avg_wh"].to_numpy(), normative_wh=np.asarray(normative, np.int64), tariff_group=tg, **money,
    )


@requires("calc.run")
def run_odn(store: Store, period: int, progress: Progress | None = None) -> OdnSummary:
    """Standalone ОДН run for an open period (individual volumes from the stored electricity lines)."""
    ensure_open(store, period)
    run = compute(store, period, progress=progress)
    return write(store, run, write_lines=True)


# ---------------------------------------------------------------------------- the pipeline step
def step(ctx: CalcContext) -> OdnRun | None:
    """ОДН step of `sbyt.calc.pipeline`: individual volumes from the volumes step's electricity lines
    of the month; appends the residents' 'odn' lines (priced by the amounts step) and returns the
    run, which the write step writes. Recomputations of closed months leave ОДН alone."""
    if ctx.recompute:
        return None

    volumes: list[VolumeChunk] = []
    for batch in ctx.lines:
        c = batch.cols
        m = (c["service"] == S_ELECTRICITY) & (c["for_period"] == ctx.period)
        if m.all():
            volumes.append((c["account_id"], c["volume_wh"], c["method"], M_NORMATIVE))
        elif m.any():
            volumes.append((c["account_id"][m], c["volume_wh"][m], c["method"][m], M_NORMATIVE))
    run = compute(ctx.store, ctx.period, progress=ctx.say, volumes=volumes)
    groups = list(ctx.gathered.tariff_groups) if ctx.gathered else []
    ctx.lines.append(line_batch(run, groups))
    return run
