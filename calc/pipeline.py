"""The monthly calculation as a list of small steps (see docs/architecture.md):

    gather → volumes → ОДН → amounts → penalties → recalculations → legal → write

(the household steps, then the legal-entity contracts: `sbyt.calc.legal`; `only` runs one side)

`calculate(store, period)` runs `STEPS` for the open month. Every step before the write only
computes: it appends accrual lines to the context or leaves its typed result there (`ctx.odn`,
`ctx.penalty`). The write step is the run's one transaction: the accrual lines, the ОДН tables,
`penalty_detail` and the month's calculation stamp go in together or not at all, so a run killed at
any moment leaves the previous drafts or the new ones, never a mix.
"""

from __future__ import annotations

import time

from sbyt.core.access import requires
from sbyt.calc import odn, penalty
from sbyt.calc.context import CalcContext, Progress, Step, run_steps
from sbyt.calc.legal import add_penalties, compute_legal, write_legal
from sbyt.calc.legal_penalty import legal_penalty_month
from sbyt.calc.legal_recalc import legal_recalc
from sbyt.calc.recalc import auto_recalc
from sbyt.calc.steps import RECOMPUTE_STEPS, amounts_step, gather_step, recompute, volumes_step
from sbyt.calc.write import lines_table, write_lines
from sbyt.core import jobs
from sbyt.core.errors import ClosedPeriodError, MissingPricesError, SbytError
from sbyt.core.period_state import ensure_open, open_period
from sbyt.core.periods import period_label
from sbyt.core.store import Store


def odn_step(ctx: CalcContext) -> None:
    ctx.odn = odn.step(ctx)


def penalty_step(ctx: CalcContext) -> None:
    ctx.penalty = penalty.step(ctx)


def recalc_step(ctx: CalcContext) -> None:
    auto_recalc(ctx)


def legal_step(ctx: CalcContext) -> None:
    """The legal-entity contracts of the month (computed here, written by the write step)."""
    if not ctx.store.scalar("SELECT EXISTS (SELECT 1 FROM contract) OR EXISTS (SELECT 1 FROM consumption_act)"):
        return          # a store without legal entities: nothing to gather
    try:
        run = compute_legal(ctx.store, ctx.period)
        t0 = time.perf_counter()
        ctx.warnings.extend(legal_recalc(ctx.store, ctx.period, run))
        t1 = time.perf_counter()
        add_penalties(run, legal_penalty_month(ctx.store, ctx.period))
    except MissingPricesError as e:
        if ctx.extra.get("only") == "legal":
            raise
        ctx.warnings.append(f"юридические лица не рассчитаны — {e} Затем: sbyt calc --only legal.")
        return
    run.timings.update(recalc=t1 - t0, penalty=time.perf_counter() - t1)
    ctx.extra["legal"] = run
    ctx.warnings.extend(run.warnings)


def write_step(ctx: CalcContext) -> None:
    """The run's one write: lines, ОДН tables, penalty detail, the legal lines and the stamp, in one
    transaction. A side not calculated (`only`) keeps its drafts."""
    store = ctx.store
    with store.transaction():
        if ctx.odn is not None:
            ctx.extra["odn"] = odn.write(store, ctx.odn, write_lines=False)
        if ctx.penalty is not None:
            penalty.write_detail(store, ctx.penalty)
        if ctx.gathered is not None:
            table = lines_table(ctx.lines, ctx.gathered.tariff_groups)
            ctx.written = write_lines(store, ctx.post_period, table)
        legal = ctx.extra.get("legal")
        if legal is not None:
            t0 = time.perf_counter()
            ctx.extra["legal_lines"] = write_legal(store, legal)
            legal.timings["write"] = time.perf_counter() - t0
            store.execute("UPDATE billing_period SET calc_at = current_timestamp WHERE period = ?",
                          [ctx.post_period])


odn_step.step_name = "odn"            # type: ignore[attr-defined]
penalty_step.step_name = "penalty"    # type: ignore[attr-defined]
recalc_step.step_name = "recalc"      # type: ignore[attr-defined]
legal_step.step_name = "legal"        # type: ignore[attr-defined]
write_step.step_name = "write"        # type: ignore[attr-defined]

HOUSEHOLD_STEPS: list[Step] = [gather_step, volumes_step, odn_step, amounts_step, penalty_step, recalc_step]
LEGAL_STEPS: list[Step] = [legal_step]
STEPS: list[Step] = HOUSEHOLD_STEPS + LEGAL_STEPS + [write_step]
SIDES = {"household": HOUSEHOLD_STEPS + [write_step], "legal": LEGAL_STEPS + [write_step]}

def target_period(store: Store, period: int | None) -> int:
    """The month to calculate: the open one; refuses a closed or not yet opened month."""
    current = open_period(store)
    if period is None or period == current:
        return current
    ensure_open(store, period)
    if period < current:
        raise ClosedPeriodError(period)
    raise SbytError(f"Период {period_label(period)} ещё не открыт; открыт {period_label(current)}.")


@requires("calc.run")
def calculate(store: Store, period: int | None = None, progress: Progress | None = None,
              steps: list[Step] | None = None, only: str | None = None) -> CalcContext:
    """Calculate the open month (rerunnable: replaces its draft lines); `only`: 'household' or
    'legal' calculates that side and keeps the other side's drafts."""
    p = target_period(store, period)
    ctx = CalcContext(store, p, p, "current", progress)
    ctx.extra["only"] = only
    if steps is None:
        steps = STEPS if only is None else SIDES[only]
    *compute, write = steps      # the last step is the run's one write
    with jobs.exclusive(f"period:{p}", f"Расчёт периода {period_label(p)}"):
        with store.snapshot():          # the run reads the store as it was when it started
            run_steps(ctx, compute)
        return run_steps(ctx, [write])


__all__ = ["STEPS", "RECOMPUTE_STEPS", "calculate", "recompute"]
