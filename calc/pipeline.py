"""The monthly calculation as a list of small steps (see docs/architecture-calc.md):

    gather → volumes → ОДН → amounts → penalties → recalculations → write

`calculate(store, period)` runs `STEPS` for the open month. Recalculations rerun `RECOMPUTE_STEPS`
(the same kernels) for closed months on today's data. ОДН and penalties are plugged in by their
modules (`sbyt.calc.odn.step`, `sbyt.calc.penalty.step`); while a module is absent its step is a
no-op.
"""

from __future__ import annotations

import importlib

import numpy as np

from sbyt.calc.context import CalcContext, Progress, Step, run_steps
from sbyt.calc.gather import gather
from sbyt.calc.kernels.amounts import line_amounts
from sbyt.calc.kernels.volumes import compute_volumes
from sbyt.calc.lines import LineBatch, M_NORMATIVE, S_ELECTRICITY
from sbyt.calc.write import lines_table, write_lines
from sbyt.core.errors import ClosedPeriodError, SbytError
from sbyt.core.periods import period_label
from sbyt.core.period import ensure_open, open_period
from sbyt.core.store import Store


def gather_step(ctx: CalcContext) -> None:
    ctx.gathered = gather(ctx.store, ctx.period, ctx.say)


def volumes_step(ctx: CalcContext) -> None:
    g = ctx.gathered
    v = compute_volumes(g.inputs)
    ctx.volumes = v
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


def optional_step(module: str, attr: str = "step") -> Step:
    """A step provided by another module (`module.step(ctx)`); a no-op while it does not exist yet."""

    def step(ctx: CalcContext) -> None:
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                return
            raise
        fn = getattr(mod, attr, None)
        if fn is not None:
            fn(ctx)

    step.step_name = module.rsplit(".", 1)[-1]  # type: ignore[attr-defined]
    return step


def recalc_step(ctx: CalcContext) -> None:
    from sbyt.calc.recalc import auto_recalc

    auto_recalc(ctx)


def write_step(ctx: CalcContext) -> None:
    groups = ctx.gathered.tariff_groups if ctx.gathered else []
    table = lines_table(ctx.lines, groups)
    ctx.written = write_lines(ctx.store, ctx.post_period, table)


gather_step.step_name = "gather"      # type: ignore[attr-defined]
volumes_step.step_name = "volumes"    # type: ignore[attr-defined]
amounts_step.step_name = "amounts"    # type: ignore[attr-defined]
recalc_step.step_name = "recalc"      # type: ignore[attr-defined]
write_step.step_name = "write"        # type: ignore[attr-defined]

STEPS: list[Step] = [
    gather_step,
    volumes_step,
    optional_step("sbyt.calc.odn"),
    amounts_step,
    optional_step("sbyt.calc.penalty"),
    recalc_step,
    write_step,
]

RECOMPUTE_STEPS: list[Step] = [gather_step, volumes_step, amounts_step]


def target_period(store: Store, period: int | None) -> int:
    """The month to calculate: the open one; refuses a closed or not yet opened month."""
    current = open_period(store)
    if period is None or period == current:
        return current
    ensure_open(store, period)
    if period < current:
        raise ClosedPeriodError(period)
    raise SbytError(f"Период {period_label(period)} ещё не открыт; открыт {period_label(current)}.")


def calculate(store: Store, period: int | None = None, progress: Progress | None = None,
              steps: list[Step] | None = None) -> CalcContext:
    """Calculate the open month (rerunnable: replaces its draft lines)."""
    p = target_period(store, period)
    ctx = CalcContext(store, p, p, "current", progress)
    return run_steps(ctx, STEPS if steps is None else steps)


def recompute(store: Store, period: int, post_period: int) -> CalcContext:
    """Lines of a (closed) month recomputed on today's data; nothing is written."""
    ctx = CalcContext(store, period, post_period, "recompute", None)
    return run_steps(ctx, RECOMPUTE_STEPS)


__all__ = ["STEPS", "RECOMPUTE_STEPS", "calculate", "recompute"]
