"""`sbyt explain`: every accrual line of an account in a month with its method, formula and the
reason for the method, in Russian (the line texts come from `sbyt.calc.explain_format`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sbyt.calc.explain_format import format_line, rub
from sbyt.calc.penalty_explain import penalty_reason
from sbyt.core.errors import NotFoundError
from sbyt.core.periods import first_day, period_label
from sbyt.core.period_state import open_period
from sbyt.core.reference import rule_int
from sbyt.core.rollover import rollover_volume
from sbyt.core.store import Store


# ------------------------------------------------------------------------------------ why this method
# `accrual_line.method_reason` (set by the volume kernel where it chooses the method; codes in
# `sbyt.calc.lines.METHOD_REASONS`) -> the operator's sentence. {months}: the line's average base;
# {min_months}/{max_months}: the dated rules average.min_months / average.max_consecutive of the month.
METHOD_REASONS = {
    "reading": "по показаниям: показание за месяц передано",
    "no_reading_average": "по среднему: показаний за месяц нет, среднемесячный расход за {months} мес.",
    "broken_average": "по среднему: прибор учёта неисправен или утрачен, среднемесячный расход за {months} мес.",
    "no_meter": "по нормативу: прибора учёта нет",
    "no_reading_short": "по нормативу: показаний за месяц нет, история показаний меньше {min_months} мес.",
    "no_reading_expired": "по нормативу: показаний нет больше {max_months} мес. подряд "
                          "(по среднему — не дольше {max_months} мес.)",
    "broken_short": "по нормативу: прибор учёта неисправен или утрачен, история показаний меньше {min_months} мес.",
    "broken_expired": "по нормативу: прибор учёта неисправен или утрачен, показаний нет больше {max_months} мес. "
                      "подряд (по среднему — не дольше {max_months} мес.)",
    "tampering": "по нормативу: вмешательство в работу прибора учёта (акт), повышающий коэффициент",
}


def method_reason(store: Store, line: dict) -> str | None:
    """Why the line has its method, in Russian; None for lines without a stored reason."""
    code = line.get("method_reason")
    if code is None:
        return None
    on = first_day(line["for_period"])
    return METHOD_REASONS[code].format(months=line.get("base_months"),
                                       min_months=rule_int(store, "average.min_months", on, 3),
                                       max_months=rule_int(store, "average.max_consecutive", on, 3))


# ------------------------------------------------------------------------------------ the service
@dataclass(frozen=True)
class ExplainedLine:
    service: str
    method: str
    for_period: int
    text: str
    volume_wh: int
    amount_kop: int
    vat_kop: int
    status: str
    reason: str | None = None      # why this method (`method_reason`)


@dataclass(frozen=True)
class Explanation:
    account: str
    holder: str
    period: int
    lines: list[ExplainedLine]

    @property
    def total_kop(self) -> int:
        return sum(x.amount_kop for x in self.lines)

    @property
    def vat_kop(self) -> int:
        return sum(x.vat_kop for x in self.lines)

    def text(self) -> str:
        out = [f"Лицевой счёт {self.account} ({self.holder}), {period_label(self.period)}"]
        if not self.lines:
            out.append("Начислений нет.")
        for x in self.lines:
            mark = "" if x.for_period == self.period else f" [за {period_label(x.for_period)}]"
            out.append(f"  {x.text}{mark}")
            if x.reason:
                out.append(f"    ({x.reason})")
        out.append(f"Итого: {rub(self.total_kop)}, в т. ч. НДС {rub(self.vat_kop)}")
        return "\n".join(out)


def explain(store: Store, account: str, period: int | None = None) -> Explanation:
    row = store.one("SELECT id, holder_name FROM account WHERE number = ?", [account.strip()])
    if row is None:
        raise NotFoundError(f"Лицевой счёт {account} не найден")
    acc_id, holder = row
    p = open_period(store) if period is None else period
    cur = store.execute("""
        SELECT l.*, m.zones AS _zones FROM accrual_line l LEFT JOIN meter m ON m.id = l.meter_id
        WHERE l.account_id = ? AND l.period = ?
        ORDER BY l.service, (l.method IN ('recalc', 'manual')), l.for_period, l.seg_from, l.zone, l.id""",
                        [acc_id, p])
    names = [d[0] for d in cur.description]
    lines = []
    for values in cur.fetchall():
        line = dict(zip(names, values))
        if line["method"] == "readings" and line["prev_value"] is not None:
            diff = line["cur_value"] - line["prev_value"]
            if diff < 0:
                digits = store.scalar("SELECT digits FROM meter WHERE id = ?", [line["meter_id"]])
                diff = max(rollover_volume(line["prev_value"], line["cur_value"], digits), 0)
            line["_reading_wh"] = diff * (line.get("ratio") or 1) * 1000
        if line["method"] == "penalty" and not line.get("reason"):
            line["reason"] = penalty_reason(store, line["period"], acc_id)
        lines.append(ExplainedLine(line["service"], line["method"], line["for_period"], format_line(line),
                                   line["volume_wh"], line["amount_kop"], line["vat_kop"], line["status"],
                                   method_reason(store, line)))
    return Explanation(account.strip(), holder, p, lines)
