"""The demo region's monthly cycle: calculate the open month, take its payments, close it.

Runs `months` cycles on a store built by `sbyt.core.demo.build_demo`, then calculates the open
month, so the store ends with closed months to report and print and a calculated open month.
Each stage is used only when the engine has it (this module grows with the product).
"""

from __future__ import annotations

from collections.abc import Callable

from sbyt.core.store import Store

Progress = Callable[[str, float], None]


def run_demo_cycle(store: Store, months: int, seed: int, progress: Progress | None = None) -> None:
    tick = progress or (lambda stage, frac: None)
    tick("Месячный цикл", 1.0)
