"""The monthly calculation as a list of small steps (see docs/architecture.md):

    gather → volumes → ОДН → amounts → penalties → recalculations → write

`calculate(store, period)` runs `STEPS` for the open month. Every step before the write only
computes: it appends accrual lines to the context or leaves its typed result there (`ctx.odn`,
`ctx.penalty`). The write step is the run's one transaction: the accrual lines, the ОДН tables,
`penalty_detail` and the month's calculation stamp go in together or not at all, so a run killed at
any moment leaves the previous drafts or the new ones, never a mix.
"""

from __future__ import annotations

from sbyt.core.access import requires
from sbyt.calc import odn, penalty
from sbyt.calc.context import CalcContext, Progress, Step, run_steps
from sbyt.calc.recalc import auto_recalc
from sbyt.calc.steps import RECOMPUTE_STEPS, amounts_step, gather_step, recompute, volumes_step
from sbyt.calc.write import lines_table, write_lines
from sbyt.core import jobs
from sbyt.core.errors import ClosedPeriodError, SbytError
from sbyt.core.period_state import ensure_open, open_period
from sbyt.core.periods import period_label
from sbyt.core.store import Store


def odn_step(ctx: CalcContext) -> None:
    ctx.odn = odn.step(ctx)


def penalty_step(ctx: CalcContext) -> None:
    ctx.penalty = penalty.step(ctx)


def recalc_step(ctx: CalcContext) -> None:
    auto_recalc(ctx)


def write_step(ctx: CalcContext) -> None:
    """The run's one write: lines, ОДН tables, penalty detail and the stamp, in one transaction."""
    store = ctx.store
    table = lines_table(ctx.lines, ctx.gathered.tariff_groups if ctx.gathered else [])
    with store.transaction():
        if ctx.odn is not None:
            ctx.extra["odn"] = odn.write(store, ctx.odn, write_lines=False)
        if ctx.penalty is not None:
            penalty.write_detail(store, ctx.penalty)
        ctx.written = write_lines(store, ctx.post_period, table)


odn_step.step_name = "odn"            # type: ignore[attr-defined]
penalty_step.step_name = "penalty"    # type: ignore[attr-defined]
recalc_step.step_name = "recalc"      # type: ignore[attr-defined]
write_step.step_name = "write"        # type: ignore[attr-defined]

STEPS: list[Step] = [gather_step, volumes_step, odn_step, amounts_step, penalty_step, recalc_step, write_step]

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
              steps: list[Step] | None = None) -> CalcContext:
    """Calculate the open month (rerunnable: replaces its draft lines)."""
    p = target_period(store, period)
    ctx = CalcContext(store, p, p, "current", progress)
    *compute, write = STEPS if steps is None else steps      # the last step is the run's one write
    with jobs.exclusive(f"period:{p}", f"Расчёт периода {period_label(p)}"):
        with store.snapshot():          # the run reads the store as it was when it started
            run_steps(ctx, compute)
        return run_steps(ctx, [write])


__all__ = ["STEPS", "RECOMPUTE_STEPS", "calculate", "recompute"]
