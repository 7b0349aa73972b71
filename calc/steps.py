"""The steps of a month's household calculation that write nothing: gather → volumes → amounts.

The monthly run (`sbyt.calc.pipeline`) adds ОДН, penalties, recalculations and the write around
them; a recalculation reruns these very steps for a closed month on today's data (`recompute`).
"""

from __future__ import annotations

import numpy as np

from sbyt.calc.context import CalcContext, Step, run_steps
from sbyt.calc.gather import gather
from sbyt.calc.kernels.amounts import line_amounts
from sbyt.calc.kernels.volumes import compute_volumes
from sbyt.calc.lines import LineBatch, M_NORMATIVE, S_ELECTRICITY
from sbyt.core.errors import SbytError
from sbyt.core.periods import period_label
from sbyt.core.store import Store


def gather_step(ctx: CalcContext) -> None:
    ctx.gathered = gather(ctx.store, ctx.period, ctx.say)


def volumes_step(ctx: CalcContext) -> None:
    g = ctx.gathered
    v = compute_volumes(g.inputs)
    ctx.lines.append(LineBatch.make(
        len(v.point),
        account_id=g.account_ids[v.acc] if len(v.acc) else np.zeros(0, np.int64),
        metering_point_id=g.point_ids[v.point] if len(v.point) else np.zeros(0, np.int64),
        service=S_ELECTRICITY, zone=v.zone, method=v.method, for_period=ctx.period,
        seg_from=v.seg_from, seg_to=v.seg_to, volume_wh=v.volume_wh, price_e4=v.price_e4,
        prev_value=v.prev_value, cur_value=v.cur_value, ratio=v.ratio, residents=v.residents,
        normative_wh=v.normative_wh, factor_milli=v.factor_milli, base_months=v.base_months, days=v.days,
        month_days=v.month_days,
        meter_id=np.where(v.meter >= 0, g.meter_ids[np.maximum(v.meter, 0)] if len(g.meter_ids) else -1, -1),
        avg_wh=v.avg_wh, share_num=v.share_num, share_den=v.share_den, tariff_group=v.tg,
        method_reason=v.basis,
    ))
    _missing_normative(ctx, v)
    g.inputs = None     # nothing reads the inputs after the volumes: freed before ОДН, penalties and the write




def _missing_normative(ctx: CalcContext, v) -> None:
    """A normative line whose (rooms, residents, equipment) has no normative in force: refused like a
    missing tariff, naming the accounts (the kernel marks the absent normative with -1 Wh)."""
    bad = np.flatnonzero((v.method == M_NORMATIVE) & (v.normative_wh < 0))
    if not len(bad):
        return
    ids = sorted({int(a) for a in ctx.gathered.account_ids[v.acc[bad]]})
    numbers = [r[0] for r in ctx.store.all(
        f"SELECT number FROM account WHERE id IN ({', '.join(map(str, ids[:10]))}) ORDER BY number")]
    more = f" и ещё {len(ids) - 10}" if len(ids) > 10 else ""
    raise SbytError(f"Нет норматива потребления за {period_label(ctx.period)} для лицевых счетов "
                    f"{', '.join(numbers)}{more} (сочетание комнат, проживающих и оборудования "
                    "из их характеристик). Загрузите нормативы (normatives) и повторите расчёт.")


def amounts_step(ctx: CalcContext) -> None:
    """Amount = volume × price, VAT part, for every line a step left unpriced."""
    vat = ctx.gathered.vat_rate_e2 if ctx.gathered else 0
    for b in ctx.lines:
        c = b.cols
        todo = ~c["priced"]
        if not todo.any():
            continue
        rate = np.full(b.n, vat, np.int64)
        missing = line_amounts(c["volume_wh"], c["price_e4"], rate, c["amount_kop"], c["vat_kop"], todo)
        if missing:
            _missing_tariff(ctx, b, todo)
        c["priced"][:] = True


def _missing_tariff(ctx: CalcContext, b: LineBatch, todo: np.ndarray) -> None:
    bad = np.flatnonzero(todo & (b.cols["price_e4"] < 0))
    groups = ctx.gathered.tariff_groups if ctx.gathered else []
    found = sorted({(groups[t] if 0 <= t < len(groups) else "?", int(z))
                    for t, z in zip(b.cols["tariff_group"][bad], b.cols["zone"][bad])})
    text = ", ".join(f"группа «{g}», зона {z}" for g, z in found[:10])
    raise SbytError(f"Нет тарифа за {period_label(ctx.period)} ({len(bad)} строк): {text}. "
                    "Загрузите тарифы и повторите расчёт.")


gather_step.step_name = "gather"      # type: ignore[attr-defined]
volumes_step.step_name = "volumes"    # type: ignore[attr-defined]
amounts_step.step_name = "amounts"    # type: ignore[attr-defined]

RECOMPUTE_STEPS: list[Step] = [gather_step, volumes_step, amounts_step]


def recompute(store: Store, period: int, post_period: int) -> CalcContext:
    """Lines of a (closed) month recomputed on today's data; nothing is written."""
    ctx = CalcContext(store, period, post_period, "recompute", None)
    return run_steps(ctx, RECOMPUTE_STEPS)
