"""Writing an ОДН run's results: the month's odn_result, odn_meter_volume, odn_share, odn_imbalance
and odn_manager_volume rows replace the previous ones (the 'odn' accrual lines go through
`sbyt.calc.write` like every other line). Columns and rules: docs/odn.md.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sbyt.calc.jit import round_div_array
from sbyt.calc.kernels.odn import OdnOutputs
from sbyt.calc.odn_gather import KINDS
from sbyt.core.periods import add_months, last_day
from sbyt.core.reference import rule, rule_int
from sbyt.core.store import Store


def write_tables(store: Store, period: int, b: dict[str, np.ndarray], p: dict[str, np.ndarray], out: OdnOutputs,
                 source: np.ndarray, billed: np.ndarray, meter_rows: pa.Table) -> None:
    """Replace the period's rows of the odn_* tables in one transaction (joins the caller's): `b`
    the buildings, `p` the premises, `out` the kernel's results, `source` and `billed` per building,
    `meter_rows` the common meters' volumes (see `sbyt.calc.odn.OdnRun`)."""
    n_b = len(b["building_id"])
    dl = last_day(period)
    max_avg = rule_int(store, "odn.meter_average_months", dl, 3)  # noqa: F841 (documented in odn_result)
    mode = np.where(source == "normative", "odn_normative", "odn_meter").astype(object)
    n_prem = np.bincount(p["b"], minlength=n_b) if n_b else np.zeros(0, np.int64)
    p_ids = np.asarray(p["premise_id"], np.int64)
    rem_idx = out.b_remainder_idx
    rem_pid = np.where(rem_idx >= 0, p_ids[np.maximum(rem_idx, 0)] if len(p_ids) else -1, -1)
    soi_e4 = np.asarray(b["soi_e4"], np.int64)
    cap = np.where(soi_e4 >= 0, round_div_array(soi_e4 * np.asarray(b["area_common_c"], np.int64), 1000), -1)
    hist_n = np.asarray(b["hist_n"], np.int64)
    common = np.asarray(b["common_wh"], np.int64)
    safe_n = np.maximum(hist_n, 1)
    avg = round_div_array(np.asarray(b["hist_s"], np.int64), safe_n)
    common_used = np.where(source == "readings", common, np.where(source == "average", avg, -1))
    is_avg = source == "average"
    mgr = b["manager_id"]
    mgr_arr = np.asarray(np.ma.filled(mgr, -1), np.int64) if isinstance(mgr, np.ma.MaskedArray) else \
        np.asarray([-1 if x is None else x for x in mgr], np.int64)

    def nullable(arr: np.ndarray, null_mask: np.ndarray, typ: pa.DataType) -> pa.Array:
        return pa.array(arr, typ, mask=null_mask)

    result = pa.table({
        "period": pa.array(np.full(n_b, period, np.int32)),
        "building_id": pa.array(np.asarray(b["building_id"], np.int64)),
        "method": pa.array(mode, pa.string()),
        "source": pa.array(source, pa.string()),
        "management": pa.array(np.asarray(b["management"], object), pa.string()),
        "manager_id": nullable(mgr_arr, mgr_arr < 0, pa.int32()),
        "billed_to": pa.array(np.where(billed, "residents", "manager").astype(object), pa.string()),
        "common_wh": nullable(common_used, common_used < 0, pa.int64()),
        "heating_wh": pa.array(np.asarray(b["heating_wh"], np.int64)),
        "nonres_wh": pa.array(out.b_nonres_wh), "unmetered_wh": pa.array(out.b_unmetered_wh),
        "metered_wh": pa.array(out.b_metered_wh), "raw_wh": pa.array(out.b_raw_wh),
        "cap_wh": nullable(cap, cap < 0, pa.int64()),
        "odn_wh": pa.array(out.b_odn_wh),
        "area_total_c": pa.array(out.b_area_c),
        "area_common_c": pa.array(np.asarray(b["area_common_c"], np.int64)),
        "soi_e4": nullable(soi_e4, soi_e4 < 0, pa.int64()),
        "average_months": nullable(hist_n.astype(np.int16), ~is_avg, pa.int16()),
        "average_run": nullable((np.asarray(b["avg_run"], np.int64) + 1).astype(np.int16), ~is_avg, pa.int16()),
        "premises": pa.array(n_prem.astype(np.int32)),
        "remainder_premise_id": nullable(rem_pid.astype(np.int64), rem_pid < 0, pa.int64()),
        "remainder_wh": pa.array(out.b_remainder_wh),
    })
    # account: set only for residential premises of billed buildings (see `_premises`)
    acc_billed = p["account_id"]
    shares = pa.table({
        "building_id": pa.array(p["building_id"]),
        "premise_id": pa.array(p_ids),
        "account_id": nullable(acc_billed, acc_billed < 0, pa.int64()),
        "kind": pa.DictionaryArray.from_arrays(pa.array(p["kind"]), pa.array(KINDS, pa.string())),
        "area_c": pa.array(p["area_c"]),
        "metered": pa.array(p["metered"]),
        "individual_wh": pa.array(p["individual_wh"]),
        "odn_wh": pa.array(out.p_odn_wh),
        "zone1_wh": pa.array(out.p_zone_wh[:, 0]), "zone2_wh": pa.array(out.p_zone_wh[:, 1]),
        "zone3_wh": pa.array(out.p_zone_wh[:, 2]),
    })
    con = store.con
    with store.transaction():
        for t in ("odn_result", "odn_meter_volume", "odn_share", "odn_imbalance", "odn_manager_volume"):
            con.execute(f"DELETE FROM {t} WHERE period = ?", [period])
        con.register("odn_w_result", result)
        con.execute("""
            INSERT INTO odn_result (period, building_id, method, source, management, manager_id, billed_to,
                common_wh, heating_wh, nonres_wh, unmetered_wh, metered_wh, raw_wh, cap_wh, odn_wh, area_total,
                area_common, soi_kwh_per_m2, average_months, average_run, premises, remainder_premise_id,
                remainder_wh)
            SELECT period, building_id, method, source, management, manager_id, billed_to, common_wh, heating_wh,
                nonres_wh, unmetered_wh, metered_wh, raw_wh, cap_wh, odn_wh,
                CAST(area_total_c AS DECIMAL(18, 0)) / 100, CAST(area_common_c AS DECIMAL(18, 0)) / 100,
                CAST(soi_e4 AS DECIMAL(18, 0)) / 10000, average_months, average_run, premises,
                remainder_premise_id, remainder_wh
            FROM odn_w_result""")
        con.register("odn_w_meter", meter_rows)
        con.execute(f"""
            INSERT INTO odn_meter_volume SELECT {period}, building_id, meter_id, service, zone, prev_value, prev_on,
                cur_value, cur_on, ratio, volume_wh FROM odn_w_meter""")
        con.register("odn_w_share", shares)
        con.execute(f"""
            INSERT INTO odn_share SELECT {period}, building_id, premise_id, account_id, kind,
                CAST(area_c AS DECIMAL(18, 0)) / 100, metered, individual_wh, odn_wh, zone1_wh, zone2_wh, zone3_wh
            FROM odn_w_share""")
        con.execute("""
            INSERT INTO odn_imbalance
            SELECT period, building_id, common_wh, nonres_wh + unmetered_wh + metered_wh + heating_wh, -raw_wh
            FROM odn_result WHERE period = ? AND raw_wh < 0 AND method = 'odn_meter'""", [period])
        carry_on = (rule(store, "odn.manager_carry", dl) or 0) > 0
        prev = add_months(period, -1)
        con.execute(f"""
            INSERT INTO odn_manager_volume
            SELECT r.period, r.building_id, r.manager_id, r.raw_wh, coalesce(c.carry_in, 0),
                   greatest(r.raw_wh + coalesce(c.carry_in, 0), 0), least(r.raw_wh + coalesce(c.carry_in, 0), 0),
                   r.source
            FROM odn_result r
            LEFT JOIN (SELECT building_id, CASE WHEN {str(carry_on).lower()} THEN carry_out_wh ELSE 0 END AS carry_in
                       FROM odn_manager_volume WHERE period = {prev}) c ON c.building_id = r.building_id
            WHERE r.period = ? AND r.billed_to = 'manager'""", [period])
        for name in ("odn_w_result", "odn_w_meter", "odn_w_share"):
            con.unregister(name)
