"""12 months of consumption: a Sparkline and a labelled bar per month that fits 80 columns."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from sbyt.console.widgets.format import kwh, month


BAR_WIDTH = 40


class ConsumptionChart(Vertical):
    def compose(self) -> ComposeResult:
        yield Sparkline([0], id="chart-spark")
        yield Static("", id="chart-bars", markup=False)

    def show(self, series: list[tuple[int, int]]) -> None:
        values = [wh for _, wh in series] or [0]
        self.query_one(Sparkline).data = [v / 1000 for v in values]
        top = max(values) or 1
        lines = [f"{month(p)} {'█' * max(0, round(wh * BAR_WIDTH / top)):<{BAR_WIDTH}} {kwh(wh)} кВт·ч"
                 for p, wh in series]
        self.query_one("#chart-bars", Static).update("\n".join(lines) or "Начислений ещё нет")
