"""`sbyt explain CONTRACT|POINT`: every legal-entity line of a month with its formula and numbers in
Russian, the peak hours and days the capacity used, the SO window, and the price table it came from.

The lines are those billed (`legal_charge` of the month, draft or posted); the hours behind the
capacity lines are gathered again for the contract (`sbyt.calc.legal_gather`), so for a closed month
whose hourly data changed since, the days shown are today's data and the next run's recalculation
shows the difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import numpy as np

from sbyt.calc.explain_format import NBSP, kwh, num, rub
from sbyt.calc.legal_gather import HOURLY_CATEGORIES, VOLTAGE_RU, gather_legal
from sbyt.core.errors import NotFoundError
from sbyt.core.labels import label, zone_label
from sbyt.core.period_state import open_period
from sbyt.core.periods import period_label
from sbyt.core.store import Store

SOURCE_RU = {"hourly": "почасовые данные АСКУЭ", "integral": "интегральные показания × КТТ × КТН",
             "contract_volume": "договорный объём (нет данных учёта)", "tariff": "по тарифу населения",
             "act": "по акту", "odn": "объём дома для СОИ", "penalty": "пени", "recalc": "перерасчёт"}


def mw(value: Decimal) -> str:
    """MW with at least three decimals: 0.11 -> «0,110»."""
    d = Decimal(value).normalize()
    if d.as_tuple().exponent > -3:
        d = d.quantize(Decimal("0.001"))
    whole, _, frac = format(abs(d), "f").partition(".")
    return ("−" if d < 0 else "") + f"{int(whole):,}".replace(",", NBSP) + "," + frac


def rate(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    d = Decimal(value).quantize(Decimal("0.01")) if Decimal(value) == Decimal(value).quantize(Decimal("0.01")) \
        else Decimal(value).normalize()
    text = f"{abs(int(d)):,}".replace(",", NBSP) + "," + format(d, "f").split(".")[1]
    return ("−" if d < 0 else "") + f"{text}{NBSP}{unit}"


@dataclass
class LegalLine:
    point: str | None
    component: str
    method: str
    for_period: int
    text: str
    volume_wh: int
    amount_kop: int
    vat_kop: int
    vat_included: bool


@dataclass
class PeakDay:
    point: str
    day: str
    peak_hour: int
    peak_kw: Decimal
    max_hour: int | None
    max_kw: Decimal | None


@dataclass
class LegalExplanation:
    contract: str | None
    counterparty: str
    period: int
    lines: list[LegalLine]
    notes: list[str] = field(default_factory=list)
    days: list[PeakDay] = field(default_factory=list)


def find_legal(store: Store, what: str) -> tuple[int | None, int | None]:
    """(contract id, point id) named by a contract number or a supply point code; (None, None) if neither."""
    cid = store.scalar("SELECT id FROM contract WHERE number = ?", [what])
    if cid is not None:
        return int(cid), None
    row = store.one("SELECT p.id, o.contract_id FROM legal_point p JOIN calc_object o ON o.id = p.object_id"
                    " WHERE p.code = ?", [what])
    if row is not None:
        return int(row[1]), int(row[0])
    return None, None


def _line_text(r: dict) -> str:
    comp, method = r["component"], r["method"]
    vol = kwh(r["volume_wh"])
    q = r["quantity"]
    amount = rub(r["amount_kop"] - (r["vat_kop"] if r["vat_included"] else 0))
    head = label("charge_component", comp)
    if r["zone"] and r["category"] == 2:
        zones = 3 if r["zone_variant"] == 3 else 2
        head += f", зона «{zone_label(zones, r['zone'])}»"
    if method == "recalc":
        return f"{head}: перерасчёт за {period_label(r['for_period'])} — {amount}" + \
            (f" ({r['reason']})" if r["reason"] else "")
    if comp == "penalty":
        return f"Пени: 1/130 ключевой ставки за каждый день просрочки платежей по графику — {amount} " \
               f"(дней с начислением: {r['days'] or 0}; расшифровка по дням: legal_penalty_detail)"
    if comp in ("household", "manager"):
        text = f"{head}: {vol} × {rate(r['price'], '₽/кВт·ч')} = {rub(r['amount_kop'])}, в т. ч. НДС {rub(r['vat_kop'])}"
        return text + (f"; {r['reason']}" if r["reason"] else "")
    if comp in ("capacity", "network_capacity"):
        what = "потребления в час пиковой нагрузки АТС" if comp == "capacity" else \
            "максимумов в плановые часы СО"
        return (f"{head}: {mw(q)} МВт × {rate(r['price'], '₽/МВт·мес')} = {amount} "
                f"(среднее за {r['days']} раб. дн. {what})")
    if comp in ("energy", "network_loss", "network_deduct", "unmetered", "noncontracted") and r["price"] is not None:
        text = f"{head}: {num(Decimal(q).normalize())} МВт·ч × {rate(r['price'], '₽/МВт·ч')} = {amount}"
        if comp == "network_deduct":
            text += " (договор купли-продажи: без услуг по передаче)"
        if r["reason"]:
            text += f"; {r['reason']}"
        return text
    if comp == "energy":
        mean = Decimal(r["amount_kop"]) / 100 / (Decimal(r["volume_wh"]) / 1_000_000) if r["volume_wh"] else None
        avg = f", средняя ставка {rate(mean.quantize(Decimal('0.01')), '₽/МВт·ч')}" if mean is not None else ""
        return f"{head}: Σ по часам месяца объём × почасовая ставка = {amount} (объём {vol}{avg})"
    if comp in ("over", "under"):
        return f"{head}: Σ по часам {vol} × почасовая ставка отклонения = {amount}"
    return f"{head}: {vol} — {amount}"


LINES_SQL = """
SELECT c.*, p.code AS point_code, coalesce(lr.zones, 0) AS zone_variant,
       b.file_name AS price_file, b.id AS price_batch
FROM legal_charge c
LEFT JOIN legal_point p ON p.id = c.point_id
LEFT JOIN (SELECT point_id, max(zone) AS zones FROM legal_charge WHERE period = $period AND category = 2
           GROUP BY point_id) lr ON lr.point_id = c.point_id
LEFT JOIN (SELECT DISTINCT ON (category, voltage) category, voltage, batch_id FROM price_component
           WHERE period = $period ORDER BY category, voltage, batch_id DESC) pc
       ON pc.category = c.category AND pc.voltage = c.voltage
LEFT JOIN import_batch b ON b.id = pc.batch_id
WHERE c.period = $period AND c.contract_id = $contract AND ($point IS NULL OR c.point_id = $point)
ORDER BY c.point_id NULLS LAST, c.for_period, c.component, c.zone, c.id
"""


def explain_legal(store: Store, contract_id: int, point_id: int | None, period: int | None) -> LegalExplanation:
    p = period or open_period(store)
    number, cp_name = store.one("""
        SELECT k.number, f.name FROM contract k JOIN counterparty_fact f ON f.counterparty_id = k.counterparty_id
        WHERE k.id = ? ORDER BY f.valid_from DESC LIMIT 1""", [contract_id])
    cur = store.con.execute(LINES_SQL, {"period": p, "contract": contract_id, "point": point_id})
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    lines = [LegalLine(r["point_code"], r["component"], r["method"], r["for_period"],
                       _line_text(r), int(r["volume_wh"]), int(r["amount_kop"]), int(r["vat_kop"]),
                       bool(r["vat_included"])) for r in rows]
    x = LegalExplanation(number, cp_name, p, lines)
    if not rows:
        return x
    vat = next((r["vat_rate"] for r in rows if r["vat_rate"] is not None and not r["vat_included"]), None)
    if vat is not None:
        x.notes.append(f"Цены без НДС; НДС {num(Decimal(vat).normalize())} % начислен сверху на каждую строку.")
    for (cat, volt), (batch, file) in sorted({(r["category"], r["voltage"]): (r["price_batch"], r["price_file"])
                                             for r in rows if r["price_batch"] is not None}.items()):
        x.notes.append(f"Цены {cat} ЦК {VOLTAGE_RU.get(volt, volt)}: таблица «{file}» (пакет {batch}).")
    for r in rows:
        if r["point_code"] and r["component"] == "energy" and r["method"] in SOURCE_RU:
            x.notes.append(f"Точка {r['point_code']} ({r['category']} ЦК, {VOLTAGE_RU.get(r['voltage'], '')}): "
                           f"объём — {SOURCE_RU[r['method']]}.")
    if any(r["component"] in ("capacity", "network_capacity") for r in rows):
        _days(store, x, contract_id, point_id, p)
    return x


def _days(store: Store, x: LegalExplanation, contract_id: int, point_id: int | None, period: int) -> None:
    """The peak hour and window maximum of every working day, per capacity point."""
    g = gather_legal(store, period, [contract_id])
    window = [h + 1 for h in np.flatnonzero(g.window)]
    if window:
        x.notes.append(f"Плановые часы пиковой нагрузки СО ({g.price_zone}-я ценовая зона), часы по окончании, МСК: "
                       + _ranges(window) + ".")
    x.notes.append(f"Рабочих дней по производственному календарю: {int(g.working.sum())}; час пик АТС — "
                   f"регион {g.region or '—'}.")
    if g.offset_hours:
        x.notes.append(f"Данные АСКУЭ сдвинуты на {g.offset_hours} ч к московскому времени.")
    for i in range(g.n):
        if point_id is not None and int(g.point_id[i]) != point_id:
            continue
        if int(g.category[i]) not in HOURLY_CATEGORIES or g.profile_row[i] < 0:
            continue
        code = store.scalar("SELECT code FROM legal_point WHERE id = ?", [int(g.point_id[i])])
        hours = g.hours_wh[g.profile_row[i]].reshape(-1, 24)
        for d in np.flatnonzero(g.working):
            ph = int(g.peak[d])
            row = hours[d]
            mx_h = None
            if g.window.any():
                inside = np.flatnonzero(g.window)
                mx_h = int(inside[np.argmax(row[inside])]) + 1
            x.days.append(PeakDay(code, f"{g.start + timedelta(days=int(d)):%d.%m.%Y}", ph,
                                  Decimal(int(row[ph - 1])) / 1000 if ph else Decimal(0), mx_h,
                                  Decimal(int(row[mx_h - 1])) / 1000 if mx_h else None))
        if 0 < g.measured_hours[i] < g.hours:
            x.notes.append(f"Точка {code}: нет почасовых данных за {g.hours - g.measured_hours[i]} ч из {g.hours} "
                           "(они приняты равными нулю; замещающую информацию загружают файлом АСКУЭ).")
        if g.negative_hours[i]:
            x.notes.append(f"Точка {code}: за вычетом транзита отрицательный объём в {g.negative_hours[i]} ч.")


def _ranges(hours: list[int]) -> str:
    out, start = [], hours[0]
    for a, b in zip(hours, hours[1:] + [None]):
        if b != a + 1:
            out.append(f"{start}–{a}" if start != a else f"{a}")
            start = b
    return ", ".join(out)


def explain_target(store: Store, what: str, period: int | None) -> LegalExplanation:
    contract_id, point_id = find_legal(store, what)
    if contract_id is None:
        raise NotFoundError(f"Нет лицевого счёта, договора или точки поставки «{what}».")
    return explain_legal(store, contract_id, point_id, period)
