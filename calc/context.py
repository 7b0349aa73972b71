"""The calculation context handed from step to step, and the step protocol.

A step is any callable `step(ctx: CalcContext) -> None` that reads what earlier steps left in the
context and appends accrual lines (`ctx.lines`) or step-private state (`ctx.extra`). The monthly
pipeline is a plain list of steps (`sbyt.calc.pipeline.STEPS`); adding a step is adding one line.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sbyt.calc.gather import Gathered
from sbyt.calc.lines import LineBatch
from sbyt.core.store import Store

if TYPE_CHECKING:   # the ОДН and penalty modules import this one
    from sbyt.calc.odn import OdnRun
    from sbyt.calc.penalty import PenaltyMonth

Progress = Callable[[str, float], None]
"""`(stage, fraction 0..1)`, as `sbyt.console.progress.stage_progress` draws it."""


@dataclass
class CalcContext:
    store: Store
    period: int                      # the month calculated: for_period of its regular lines
    post_period: int                 # the open month the lines are written into
    mode: str = "current"            # 'current' (the open month) or 'recompute' (a closed month, today's data)
    progress: Progress | None = None
    gathered: Gathered | None = None          # set by the gather step
    lines: list[LineBatch] = field(default_factory=list)
    odn: OdnRun | None = None                 # set by the ОДН step, written by the write step
    penalty: PenaltyMonth | None = None       # set by the penalty step, written by the write step
    timings: dict[str, float] = field(default_factory=dict)       # wall seconds per step
    cpu_timings: dict[str, float] = field(default_factory=dict)   # process CPU seconds (all threads)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)   # process peak RSS after each step
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)     # for the operator (stderr), not errors
    written: int = 0

    @property
    def recompute(self) -> bool:
        return self.mode == "recompute"

    fraction: float = 0.0

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message, self.fraction)


Step = Callable[[CalcContext], None]


def run_steps(ctx: CalcContext, steps: list[Step]) -> CalcContext:
    """Run the steps in order, timing each under its name (`ctx.timings`)."""
    for i, step in enumerate(steps):
        name = getattr(step, "step_name", None) or getattr(step, "__name__", "step")
        ctx.fraction = i / len(steps)
        ctx.say(name)
        t0, c0 = time.perf_counter(), time.process_time()
        step(ctx)
        ctx.timings[name] = ctx.timings.get(name, 0.0) + time.perf_counter() - t0
        ctx.cpu_timings[name] = ctx.cpu_timings.get(name, 0.0) + time.process_time() - c0
        ctx.peak_rss_mb[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ctx.fraction = 1.0
    ctx.say("готово")
    return ctx
