"""`sbyt explain` for penalty lines: the day ranges, rates and fractions behind the amount.

The penalty step stores the ranges in `penalty_detail` and a Russian rendering of them in the line's
`reason`; this formatter prints it. Kept apart from `sbyt.calc.penalty` so that registering it does
not load the Numba kernel.
"""

from __future__ import annotations

from sbyt.calc.explain import formatter, rub


@formatter("penalty")
def explain_penalty(line: dict) -> str:
    detail = line.get("reason")
    if not detail:
        return f"Пени: {rub(line['amount_kop'])}"
    return f"Пени (доля ключевой ставки за каждый день просрочки): {detail} = {rub(line['amount_kop'])}"
