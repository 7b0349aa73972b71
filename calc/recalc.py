"""Recalculations: automatic (closed months recomputed on today's data) and manual.

Automatic: each `sbyt calc` recomputes the last `recalc.months_back` closed months (a dated rule)
for all accounts with the same kernels, compares per account the recomputed electricity amount with
what was posted for that month (accruals and earlier recalculations; manual corrections excluded)
and adds one line per account and month with the difference (method 'recalc', for_period = the
corrected month, a reason in Russian). The comparison is against posted lines only and the open
month's draft lines are replaced on every run, so rerunning `sbyt calc` never duplicates them.
"""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np

from sbyt.core.access import requires
from sbyt.calc.context import CalcContext
from sbyt.calc.lines import M_RECALC, NULL, S_ELECTRICITY, LineBatch, concat, method_code, to_arrow
from sbyt.calc.steps import recompute
from sbyt.calc.write import lines_table, write_lines
from sbyt.core import money
from sbyt.core.errors import NotFoundError, SbytError
from sbyt.core.money import rate_e2
from sbyt.core.period_state import ensure_open, open_period
from sbyt.core.periods import add_months, first_day, last_day, period_label
from sbyt.core.reference import rule
from sbyt.core.store import Store

COMPARE_SQL = """
WITH new AS (
    SELECT account_id, sum(amount_kop)::BIGINT AS a, sum(volume_wh)::BIGINT AS v,
           max(residents) FILTER (WHERE method = 'normative') AS r,
           string_agg(DISTINCT method, ', ' ORDER BY method) FILTER (WHERE method <> 'recalc') AS m,
           string_agg(DISTINCT label('accrual_method', method), ', ') FILTER (WHERE method <> 'recalc') AS m_ru
    FROM _sbyt_recomputed WHERE service = 'electricity' GROUP BY account_id),
old AS (
    SELECT account_id, sum(amount_kop)::BIGINT AS a, sum(volume_wh)::BIGINT AS v,
           max(residents) FILTER (WHERE method = 'normative') AS r,
           string_agg(DISTINCT method, ', ' ORDER BY method) FILTER (WHERE method NOT IN ('recalc', 'manual')) AS m,
           string_agg(DISTINCT label('accrual_method', method), ', ')
               FILTER (WHERE method NOT IN ('recalc', 'manual')) AS m_ru
    FROM accrual_line
    WHERE for_period = $month AND service = 'electricity' AND status = 'posted' AND method <> 'manual'
    GROUP BY account_id),
diff AS (
    SELECT coalesce(new.account_id, old.account_id) AS account_id,
           coalesce(new.a, 0) - coalesce(old.a, 0) AS da, coalesce(new.v, 0) - coalesce(old.v, 0) AS dv,
           old.r AS old_r, new.r AS new_r, old.m AS old_m, new.m AS new_m, old.m_ru AS old_m_ru, new.m_ru AS new_m_ru,
           coalesce(old.v, 0) AS old_v, coalesce(new.v, 0) AS new_v
    FROM new FULL OUTER JOIN old ON new.account_id = old.account_id)
SELECT account_id, da, dv,
       vat_part(da, $rate) AS vat,
       new_m AS base_method,
       $prefix || concat_ws('; ',
           CASE WHEN old_r IS NOT NULL AND new_r IS NOT NULL AND old_r <> new_r
                THEN 'изменилось число проживающих: ' || old_r || ' → ' || new_r END,
           CASE WHEN old_m IS DISTINCT FROM new_m
                THEN 'изменился способ расчёта: ' || coalesce(old_m_ru, 'не начислялось') || ' → '
                     || coalesce(new_m_ru, 'не начисляется') END,
           CASE WHEN dv <> 0 THEN 'объём ' || replace(printf('%.3f', old_v / 1000), '.', ',') || ' → '
                     || replace(printf('%.3f', new_v / 1000), '.', ',') || ' кВт·ч' END,
           CASE WHEN dv = 0 THEN 'изменилась цена (тариф)' END) AS reason
FROM diff WHERE da <> 0 OR dv <> 0
ORDER BY account_id
"""


def months_to_recompute(store: Store, period: int) -> list[int]:
    """Closed months within `recalc.months_back` before the open month."""
    back = rule(store, "recalc.months_back", first_day(period))
    n = 3 if back is None else int(back)
    if n <= 0:
        return []
    rows = store.all("SELECT period FROM billing_period WHERE status = 'closed' AND period >= ? AND period < ?"
                     " ORDER BY period", [add_months(period, -n), period])
    return [int(r[0]) for r in rows]


def recalc_lines(store: Store, month: int, post_period: int) -> LineBatch:
    """Recalculation lines (differences) for one closed month, to be posted in `post_period`."""
    rc = recompute(store, month, post_period)
    table = to_arrow(concat(rc.lines), rc.gathered.tariff_groups)
    vat_rate = rate_e2(rule(store, "vat.rate", first_day(month)))
    store.con.register("_sbyt_recomputed", table)
    try:
        res = store.execute(COMPARE_SQL, {"month": month, "rate": vat_rate,
                                          "prefix": f"Перерасчёт за {period_label(month)}: "}).fetchnumpy()
    finally:
        store.con.unregister("_sbyt_recomputed")
    n = len(res["account_id"])
    return LineBatch.make(
        n, reason=np.asarray(res["reason"], dtype=object), base_method=np.asarray(res["base_method"], dtype=object),
        account_id=np.asarray(res["account_id"]), service=S_ELECTRICITY, method=M_RECALC, for_period=month,
        volume_wh=np.asarray(res["dv"]), amount_kop=np.asarray(res["da"]), vat_kop=np.asarray(res["vat"]),
        priced=True,
    )


def auto_recalc(ctx: CalcContext) -> None:
    """Pipeline step: differences for the recent closed months, appended to the open month's lines."""
    if ctx.recompute:
        return
    for month in months_to_recompute(ctx.store, ctx.period):
        ctx.say(f"перерасчёт {period_label(month)}")
        batch = recalc_lines(ctx.store, month, ctx.period)
        if batch.n:
            ctx.lines.append(batch)


# ---------------------------------------------------------------------------------------------- manual
def account_id_of(store: Store, number: str) -> int:
    acc = store.scalar("SELECT id FROM account WHERE number = ?", [number.strip()])
    if acc is None:
        raise NotFoundError(f"Лицевой счёт {number} не найден")
    return int(acc)


def line_summary(store: Store, line_id: int) -> tuple[int, int, int]:
    """(amount in kopecks, the month it corrects, the month it is posted in) of an accrual line."""
    amount_kop, for_period, period = store.one(
        "SELECT amount_kop, for_period, period FROM accrual_line WHERE id = ?", [line_id])
    return int(amount_kop), int(for_period), int(period)


@requires("calc.run")
def add_manual(store: Store, account: str, *, amount: Decimal | None = None, volume_kwh: Decimal | None = None,
               reason: str, for_period: int | None = None) -> int:
    """A manual recalculation line (draft, method 'manual') in the open month; returns its id.

    `amount` in rubles (either sign) or `volume_kwh` priced at the account's single-rate tariff of the
    corrected month.
    """
    period = open_period(store)
    ensure_open(store, period)
    if (amount is None) == (volume_kwh is None):
        raise SbytError("Укажите ровно одно: сумму (--amount) или объём (--volume).")
    if not reason or not reason.strip():
        raise SbytError("Укажите причину перерасчёта (--reason).")
    fp = period if for_period is None else for_period
    if fp > period:
        raise SbytError(f"Нельзя пересчитать будущий период {period_label(fp)}: открыт {period_label(period)}.")
    acc = account_id_of(store, account)
    price = None
    volume_wh = 0
    group = None
    if volume_kwh is not None:
        wh = Decimal(volume_kwh) * 1000
        if wh != wh.to_integral_value():
            raise SbytError("Объём указывается с точностью до 0,001 кВт·ч.")
        volume_wh = int(wh)
        day = last_day(fp)
        group = store.scalar("SELECT tariff_group FROM account_fact WHERE account_id = ? AND valid_from <= ?"
                             " AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1",
                             [acc, day, day])
        price = None if group is None else store.scalar(
            "SELECT price FROM tariff WHERE tariff_group = ? AND zones = 1 AND zone = 1 AND valid_from <= ?"
            " AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1", [group, day, day])
        if price is None:
            raise SbytError(f"Нет одноставочного тарифа для лицевого счёта {account} за {period_label(fp)}.")
        amount_kop = money.line_amount(volume_wh, money.price_e4(price))
    else:
        try:
            amount_kop = money.kop(Decimal(amount))
        except ValueError:
            raise SbytError(f"Сумма {amount} точнее копейки.") from None
    vat = money.vat_part(amount_kop, money.rate_e2(rule(store, "vat.rate", first_day(fp))))
    line = LineBatch.make(1, reason=[reason.strip()], account_id=acc, service=S_ELECTRICITY, zone=1,
                          method=method_code("manual"), for_period=fp, volume_wh=volume_wh,
                          price_e4=NULL if price is None else money.price_e4(price), amount_kop=amount_kop,
                          vat_kop=vat, tariff_group=NULL if group is None else 0)
    with store.transaction():
        line_id = store.next_id("accrual_line")
        write_lines(store, period, lines_table([line], [] if group is None else [group]), replace=False)
        store.audit("insert", "accrual_line", line_id, None,
                    json.dumps({"account": account, "amount_kop": amount_kop, "for_period": fp,
                                "reason": reason.strip()}, ensure_ascii=False))
    return line_id
