"""Automatic recalculation of legal-entity lines: each `sbyt calc` recomputes the last
`recalc.months_back` closed months (the same dated rule as the households') on today's data — late
or corrected hourly data, corrected prices or АТС hours, a contract or point changed with a past
date — and adds, per supply point (or act) and price component, the difference from what was posted
for that month as a line of the open month (method 'recalc', for_period = the corrected month, a
reason in Russian). The comparison is against posted lines only, so rerunning `sbyt calc` never
doubles a difference. Penalties and the managing companies' building volumes are not recomputed.
"""

from __future__ import annotations

import numpy as np

from sbyt.calc.legal import Lines, LegalRun, compute_legal
from sbyt.core.errors import MissingPricesError
from sbyt.core.periods import add_months, first_day, period_label
from sbyt.core.reference import rule_int
from sbyt.core.store import Store

COMPARE_SQL = """
WITH new AS (
    SELECT contract_id, counterparty_id, point_id, act_id, component, zone, any_value(category) AS category,
           any_value(voltage) AS voltage, sum(volume_wh)::BIGINT AS v, sum(amount_kop)::BIGINT AS a,
           sum(vat_kop)::BIGINT AS t, bool_or(vat_included) AS inc
    FROM _lg_new GROUP BY ALL),
old AS (
    SELECT contract_id, counterparty_id, point_id, act_id, component, zone, any_value(category) AS category,
           any_value(voltage) AS voltage, sum(volume_wh)::BIGINT AS v, sum(amount_kop)::BIGINT AS a,
           sum(vat_kop)::BIGINT AS t, bool_or(vat_included) AS inc
    FROM legal_charge
    WHERE status = 'posted' AND for_period = $month AND component NOT IN ('penalty', 'manager')
    GROUP BY ALL)
SELECT coalesce(n.contract_id, o.contract_id, -1) AS contract_id,
       coalesce(n.counterparty_id, o.counterparty_id) AS counterparty_id,
       coalesce(n.point_id, o.point_id, -1) AS point_id, coalesce(n.act_id, o.act_id, -1) AS act_id,
       coalesce(n.component, o.component) AS component, coalesce(n.zone, o.zone) AS zone,
       coalesce(n.category, o.category, -1) AS category, coalesce(n.voltage, o.voltage) AS voltage,
       coalesce(n.v, 0) - coalesce(o.v, 0) AS dv, coalesce(n.a, 0) - coalesce(o.a, 0) AS da,
       coalesce(n.t, 0) - coalesce(o.t, 0) AS dt, coalesce(n.inc, o.inc) AS inc,
       coalesce(o.a, 0) AS old_a, coalesce(n.a, 0) AS new_a
FROM new n
FULL JOIN old o ON o.contract_id IS NOT DISTINCT FROM n.contract_id AND o.counterparty_id = n.counterparty_id
     AND o.point_id IS NOT DISTINCT FROM n.point_id AND o.act_id IS NOT DISTINCT FROM n.act_id
     AND o.component = n.component AND o.zone = n.zone
WHERE coalesce(n.a, 0) <> coalesce(o.a, 0) OR coalesce(n.t, 0) <> coalesce(o.t, 0)
   OR coalesce(n.v, 0) <> coalesce(o.v, 0)
ORDER BY 1, 3, 5, 6
"""


def _month_lines(store: Store, month: int, run: LegalRun, lines: Lines) -> int:
    """The differences of one closed month, appended to `lines`; returns their number."""
    con = store.con
    con.register("_lg_new", run.table())
    try:
        d = con.execute(COMPARE_SQL, {"month": month}).fetchnumpy()
    finally:
        con.unregister("_lg_new")
    n = len(d["component"])
    if not n:
        return 0
    label = period_label(month)
    dv = d["dv"].astype(np.int64)
    reason = np.where(dv != 0, [f"перерасчёт за {label}: объём изменился на {v / 1000:.3f} кВт·ч".replace(".", ",")
                                for v in dv],
                      f"перерасчёт за {label}: изменились цены или часы пиковой нагрузки")
    for k in ("contract_id", "point_id", "act_id", "category"):
        d[k] = np.asarray(d[k], np.int64)
    lines.add(n, contract_id=d["contract_id"], counterparty_id=d["counterparty_id"].astype(np.int64),
              point_id=d["point_id"], act_id=d["act_id"], component=d["component"].astype(object),
              zone=d["zone"].astype(np.int64), method="recalc", category=d["category"],
              voltage=np.asarray(d["voltage"], object), volume_wh=dv, amount_kop=d["da"].astype(np.int64),
              vat_kop=d["dt"].astype(np.int64), for_period=month, reason=reason.astype(object),
              vat_included=np.asarray(d["inc"], np.bool_))
    return n


def legal_recalc(store: Store, period: int, run: LegalRun) -> list[str]:
    """Recompute the closed months in reach and add their differences to the open month's `run`;
    returns warnings (a closed month whose prices are now missing is skipped)."""
    back = rule_int(store, "recalc.months_back", first_day(period), 0)
    months = [int(m) for (m,) in store.all(
        "SELECT period FROM billing_period WHERE status = 'closed' AND period >= ? AND period < ? ORDER BY period",
        [add_months(period, -back), period])] if back > 0 else []
    warnings = []
    for month in months:
        try:
            old = compute_legal(store, month)
        except MissingPricesError as e:
            warnings.append(f"перерасчёт юридических лиц за {period_label(month)} пропущен — {e}")
            continue
        _month_lines(store, month, old, run.lines)
    return warnings

