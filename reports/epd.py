"""The household payment document (ЕПД, Minstroy order 43/пр): one A4 page per account and month.

The page is split into what is the same for every account of a print run (frames, titles, labels,
table grids, the supplier's details: `draw_static`) and what is the account's own (`draw_account`).
The static part is drawn once per run and its bytes are reused on every page; all regions have
fixed sizes so that the static part never depends on the account (a table with more rows than
its slots ends with «… ещё N»).

The page takes its QR payload as bytes; `sbyt.reports.epd_qr` builds it from the document with
`sbyt.io.qr_gost56042`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from sbyt.core.labels import label, zone_label
from sbyt.core.periods import add_months, period_label, period_title
from sbyt.reports.epd_data import HISTORY_MONTHS, Epd, Supplier
from sbyt.reports.forms import Canvas, Column, Typeface, date_ru, money, price, volume, whole
from sbyt.reports.forms.qrcode import qr_matrix
from sbyt.reports.forms.widgets import bar_chart, bar_chart_axis, box, qr, table_grid, table_header, table_rows

MatrixFn = Callable[[bytes], Sequence[Sequence[int]]]

L = 8.0            # left margin
W = 194.0          # content width
S = 7.0            # body text size, pt
LEAD = 3.3         # body line step, mm

PENALTY_BASIS = "ЖК РФ ст.155 п.14"     # the «method» column of a penalty line: its legal basis
SHORT_MONTHS = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]

# Section 3 columns.
CHARGES = (
    Column("Вид коммунальной услуги", 40), Column("Ед. изм.", 9, "C"),
    Column("Объём: индивид. потребление", 15, "R"), Column("Объём: общедомовые нужды", 15, "R"),
    Column("Способ расчёта", 25, "C"), Column("Тариф, руб./ед.", 12, "R"),
    Column("Начислено по тарифу, руб.", 17, "R"), Column("в т.ч. повыш. коэфф., руб.", 15, "R"),
    Column("Перерас- чёты, руб.", 16, "R"), Column("Льготы, руб.", 11, "R"),
    Column("Итого, руб.", 19, "R"),
)
READINGS = (
    Column("Прибор учёта (заводской №)", 50), Column("Модель", 40), Column("Зона", 18, "C"),
    Column("Предыдущее показание", 28, "R"), Column("Дата", 20, "C"),
    Column("Текущее показание (заполните)", 38),
)
SUMMARY = (Column("", W - 19, "L"), Column("", 19, "R"))
RECALCS = (
    Column("Месяц", 18, "C"), Column("Услуга", 40), Column("Объём, кВт·ч", 20, "R"),
    Column("Сумма, руб.", 22, "R"), Column("Основание перерасчёта", 94),
)

# Vertical layout (mm from the top).
Y_TITLE = 8.0
Y_S1, H_S1 = 16.0, 30.0
Y_S2, H_S2 = 48.0, 42.0
Y_RD, H_RD = 92.0, 22.5
RD_ROWS = 3
Y_S3 = 116.5
S3_HEADER = 8.0
S3_ROW = 4.0
S3_ROWS = 13
S3_SUMMARY = 4          # the last rows: totals, a label spanning all columns but the last
H_S4 = 38.0
RC_ROWS = 4
ROW = 4.0
STRIP = S * 0.55

Y_S3_END = Y_S3 + STRIP + S3_HEADER + S3_ROWS * S3_ROW
Y_S4 = Y_S3_END + 2.0
Y_S6 = Y_S4 + H_S4 + 2.0
H_S6 = STRIP + 5.0 + RC_ROWS * ROW
Y_S5 = Y_S6 + H_S6 + 2.0
H_S5 = STRIP + 4.5
Y_FOOT = Y_S5 + H_S5 + 2.0

CHART = (L + 116, Y_S4 + STRIP + 1, W - 118, H_S4 - STRIP - 2)   # x, y, w, h of the bar chart
QR_SIZE = 36.0
QR_X = L + W - QR_SIZE - 2.0


def _baseline(y: float, i: int) -> float:
    return y + LEAD * (i + 1) - 0.5


# ------------------------------------------------------------------------------------------- static
def draw_static(c: Canvas, supplier: Supplier, period: int, reading_days: tuple[int, int] = (20, 25)) -> None:
    """Everything of the page that is the same for all accounts of the period."""
    title = f"ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ за {period_title(period)} г."
    c.text(L, Y_TITLE + 4, title, size=11, bold=True)
    c.text(L, Y_TITLE + 7.3, "для внесения платы за коммунальную услугу «электроснабжение» (форма по приказу "
           "Минстроя России № 43/пр)", size=6)

    # Section 1: payer (left) and supplier (right).
    lw = 112.0
    y = box(c, L, Y_S1, lw, H_S1, "Раздел 1. Сведения о плательщике")
    labels = ("Плательщик:", "", "Адрес:", "", "", "Площадь, м²:", "Лицевой счёт:")
    for i, lab in enumerate(labels):
        if lab:
            c.text(L + 1.5, _baseline(y, i), lab, size=S)
    c.text(L + 40, _baseline(y, 5), "Проживает, чел.:", size=S)
    c.text(L + 76, _baseline(y, 5), "Зарегистрировано:", size=S)
    c.text(L + 62, _baseline(y, 6), "Период:", size=S)
    c.text(L + 76, _baseline(y, 6), period_label(period), size=S, bold=True)

    sx, sw = L + lw + 2.0, W - lw - 2.0
    y = box(c, sx, Y_S1, sw, H_S1, "Исполнитель услуги (гарантирующий поставщик)")
    lines = c.wrap(supplier.name, sw - 3, S, True, max_lines=2)
    for i, ln in enumerate(lines):
        c.text(sx + 1.5, _baseline(y, i), ln, size=S, bold=True)
    n = len(lines)
    for ln in c.wrap(supplier.address, sw - 3, S - 0.5, max_lines=2):
        c.text(sx + 1.5, _baseline(y, n), ln, size=S - 0.5)
        n += 1
    contact = [f"ИНН {supplier.inn}  КПП {supplier.kpp}"]
    if supplier.phone:
        contact.append(f"тел. {supplier.phone}")
    site = "  ".join(v for v in (supplier.email, supplier.website) if v)
    if site:
        contact.append(site)
    for ln in contact:
        if n > 6:
            break
        c.text(sx + 1.5, _baseline(y, n), c.fit(ln, sw - 3, S - 0.5), size=S - 0.5)
        n += 1

    # Section 2: payment details and the QR code.
    y = box(c, L, Y_S2, W, H_S2, "Раздел 2. Информация для внесения платы получателю платежа")
    rows = (
        ("Получатель платежа:", supplier.name),
        ("ИНН / КПП получателя:", f"{supplier.inn} / {supplier.kpp}"),
        ("Расчётный счёт:", supplier.bank_account),
        ("Банк получателя:", supplier.bank_name),
        ("БИК / корр. счёт:", f"{supplier.bic} / {supplier.corr_account}"),
        ("Номер платёжного документа:", ""),
        ("Назначение платежа:", ""),
    )
    vw = QR_X - L - 48
    for i, (lab, val) in enumerate(rows):
        c.text(L + 1.5, _baseline(y, i), lab, size=S)
        if val:
            c.text(L + 44, _baseline(y, i), c.fit(val, vw, S), size=S)
    c.text(L + 1.5, _baseline(y, 8) + 1.0, "Сумма к оплате, руб.:", size=9, bold=True)
    c.text(L + 96, _baseline(y, 8) + 1.0, "Оплатить до:", size=S)
    c.text(QR_X - 1, Y_S2 + H_S2 - 1.2, "Оплата по QR-коду (ГОСТ Р 56042-2014)", size=5)

    # Meter readings to report for the next month.
    y = box(c, L, Y_RD, W, H_RD, "Показания индивидуальных приборов учёта: передайте с {} по {} число месяца".format(*reading_days))
    top = y
    y = table_header(c, L, y, READINGS, 5.0, size=5.8)
    y = table_rows(c, L, y, READINGS, [("",) * len(READINGS)] * RD_ROWS, ROW)
    table_grid(c, L, top, y, READINGS)

    # Section 3: charges.
    y = box(c, L, Y_S3, W, Y_S3_END - Y_S3, "Раздел 3. Расчёт размера платы за коммунальную услугу")
    top = y
    y = table_header(c, L, y, CHARGES, S3_HEADER, size=5.6)
    y = table_rows(c, L, y, CHARGES, [("",) * len(CHARGES)] * (S3_ROWS - S3_SUMMARY), S3_ROW)
    table_grid(c, L, top, y, CHARGES)
    top = y
    y = table_rows(c, L, y, SUMMARY, [("", "")] * S3_SUMMARY, S3_ROW)
    table_grid(c, L, top, y, SUMMARY)

    # Section 4 (reference) and the consumption chart.
    rw = 112.0
    box(c, L, Y_S4, rw, H_S4, "Раздел 4. Справочная информация")
    box(c, L + rw + 2, Y_S4, W - rw - 2, H_S4, "Потребление за 12 месяцев, кВт·ч")
    months = [add_months(period, i - HISTORY_MONTHS + 1) for i in range(HISTORY_MONTHS)]
    bar_chart_axis(c, *CHART, [f"{SHORT_MONTHS[p % 100 - 1]}{p // 100 % 100:02d}" if p % 100 == 1
                               else SHORT_MONTHS[p % 100 - 1] for p in months], size=5.0)

    # Section 6: recalculations with reasons; section 5: instalments.
    y = box(c, L, Y_S6, W, H_S6, "Раздел 6. Сведения о перерасчётах (доначислениях +, уменьшениях −)")
    top = y
    y = table_header(c, L, y, RECALCS, 5.0, size=5.8)
    y = table_rows(c, L, y, RECALCS, [("",) * len(RECALCS)] * RC_ROWS, ROW)
    table_grid(c, L, top, y, RECALCS)
    y = box(c, L, Y_S5, W, H_S5, "Раздел 5. Сведения о рассрочке и (или) отсрочке оплаты")
    c.text(L + 1.5, y + 3.2, "Рассрочка и отсрочка не предоставлялись.", size=6.5)

    foot = (
        "Плата вносится ежемесячно до срока, указанного в разделе 2. За несвоевременную и (или) неполную оплату "
        "начисляются пени (ч. 14 ст. 155 ЖК РФ). Показания приборов учёта можно передать в личном кабинете, "
        f"по телефону {supplier.phone or 'поставщика'} или по e-mail {supplier.email or 'поставщика'}. "
        "Отрицательная сумма означает переплату (аванс), она учитывается в следующих периодах."
    )
    c.paragraph(L, Y_FOOT, W, foot, size=6)


# ------------------------------------------------------------------------------------------ account
def _charge_table(epd: Epd) -> tuple[list[tuple[str, ...]], list[tuple[str, str]]]:
    """Section 3: service rows and the four summary rows."""
    rows: list[tuple[str, ...]] = []
    recalc_by_service: dict[str, int] = defaultdict(int)
    for r in epd.recalcs:
        recalc_by_service[r.service] += r.amount_kop
    seen: set[str] = set()
    for r in epd.rows:
        name = label("service", r.service)
        zone = zone_label(r.zones, r.zone)
        if zone:
            name = f"{name}, {zone}"
        recalc = 0
        if r.service not in seen:
            seen.add(r.service)
            recalc = recalc_by_service.pop(r.service, 0)
        if r.service == "penalty":
            rows.append((name, "руб.", "", "", PENALTY_BASIS, "", money(r.amount_kop), "", money(recalc, True), "",
                         money(r.amount_kop + recalc)))
            continue
        ind = r.service != "odn"
        method = label("accrual_method", r.method)
        if r.factor_milli and r.factor_milli > 1000:
            method = f"{method} ×{r.factor_milli / 1000:g}".replace(".", ",")
        rows.append((
            name, "кВт·ч", volume(r.volume_wh) if ind else "", "" if ind else volume(r.volume_wh), method,
            price(r.price), money(r.amount_kop), money(r.factor_kop, True), money(recalc, True), "",
            money(r.amount_kop + recalc),
        ))
    for service, amount in recalc_by_service.items():  # recalculations of a service not billed this month
        rows.append((label("service", service), "", "", "", label("accrual_method", "recalc"), "", "", "", money(amount), "",
                     money(amount)))
    if epd.other_kop:
        rows.append(("Прочие корректировки", "руб.", "", "", "", "", "", "", "", "", money(epd.other_kop)))
    limit = S3_ROWS - S3_SUMMARY
    if len(rows) > limit:
        rows = rows[:limit - 1] + [(f"… ещё строк: {len(rows) - limit + 1}",) + ("",) * 10]
    summary = [
        ("Всего начислено за расчётный период", money(epd.accrued_kop)),
        ("Аванс (переплата) на начало периода" if epd.opening_kop < 0 else "Задолженность на начало периода",
         money(epd.opening_kop)),
        ("Оплачено в расчётном периоде", money(-epd.paid_kop)),
        ("Аванс на конец периода, к оплате 0,00" if epd.closing_kop < 0 else "ИТОГО К ОПЛАТЕ",
         money(epd.closing_kop)),
    ]
    return rows, summary


def _fitting(c: Canvas, text: str, w: float, lines: int, bold: bool) -> tuple[float, list[str]]:
    """The largest of 7, 6.3 and 5.6 pt at which `text` wraps into `lines` lines (cut at the smallest)."""
    for size in (S, S - 0.7, S - 1.4):
        out = c.wrap(text, w, size, bold)
        if len(out) <= lines:
            return size, out
    return S - 1.4, c.wrap(text, w, S - 1.4, bold, max_lines=lines)


def draw_account(c: Canvas, epd: Epd, matrix: Sequence[Sequence[int]]) -> None:
    """The account's own text and figures over the static part."""
    c.text(L + W, Y_TITLE + 4, f"№ {epd.doc_no}", size=9, bold=True, align="R")

    # Section 1.
    y = Y_S1 + STRIP
    vx, vw = L + 20.5, 112.0 - 22
    size, name = _fitting(c, epd.holder_name, vw, 2, True)
    for i, ln in enumerate(name):
        c.text(vx, _baseline(y, i), ln, size=size, bold=True)
    size, address = _fitting(c, epd.address, vw, 3, False)
    for i, ln in enumerate(address):
        c.text(vx, _baseline(y, 2 + i), ln, size=size)
    area = f"{epd.area:.2f}".replace(".", ",")
    c.text(vx, _baseline(y, 5), area, size=S)
    c.text(L + 63, _baseline(y, 5), str(epd.residents), size=S)
    c.text(L + 108, _baseline(y, 5), str(epd.registered), size=S, align="R")
    c.text(vx, _baseline(y, 6), epd.number, size=8.5, bold=True)

    # Section 2.
    y = Y_S2 + STRIP
    vw2 = QR_X - L - 48
    c.text(L + 44, _baseline(y, 5), epd.doc_no, size=S)
    c.text(L + 44, _baseline(y, 6), c.fit(purpose(epd), vw2, S), size=S)
    c.text(L + 44, _baseline(y, 8) + 1.0, money(epd.to_pay_kop), size=12, bold=True)
    c.text(L + 114, _baseline(y, 8) + 1.0, date_ru(epd.due_date), size=S, bold=True)
    if epd.closing_kop < 0:
        c.text(L + 1.5, _baseline(y, 9) + 1.2, f"Переплата (аванс): {money(-epd.closing_kop)} руб.", size=S)
    qr(c, QR_X + 2, Y_S2 + STRIP + 1.5, QR_SIZE - 4 - STRIP, matrix)

    # Meter readings fields.
    rows = []
    for m in epd.meters:
        for zone, value, read_on in m.last:
            rows.append((m.serial, m.model, zone_label(m.zones, zone) or "—",
                         whole(value), date_ru(read_on), ""))
    if not rows:
        rows.append(("Прибор учёта не установлен", "", "", "", "", ""))
    if len(rows) > RD_ROWS:
        rows = rows[:RD_ROWS - 1] + [(f"… ещё {len(rows) - RD_ROWS + 1}", "", "", "", "", "")]
    y = Y_RD + STRIP + 5.0
    table_rows(c, L, y, READINGS, rows, ROW, size=6.5)

    # Section 3.
    rows3, summary = _charge_table(epd)
    y = table_rows(c, L, Y_S3 + STRIP + S3_HEADER, CHARGES, rows3, S3_ROW, size=6.2)
    y = Y_S3 + STRIP + S3_HEADER + (S3_ROWS - S3_SUMMARY) * S3_ROW
    table_rows(c, L, y, SUMMARY, summary, S3_ROW, size=6.5, bold=(True,) * S3_SUMMARY)

    # Section 4: reference.
    y = Y_S4 + STRIP
    ref = reference_lines(epd)
    for i, ln in enumerate(ref[:10]):
        c.text(L + 1.5, _baseline(y, i), c.fit(ln, 109, 6.3), size=6.3)
    bar_chart(c, *CHART, list(epd.history), [volume(round(v, -3)) if v > 0 else "" for v in epd.history],
              size=5.0)

    # Section 6: recalculations.
    rows6 = [(period_label(r.for_period), label("service", r.service), volume(r.volume_wh, True),
              money(r.amount_kop), r.reason) for r in epd.recalcs]
    if len(rows6) > RC_ROWS:
        rest = sum(r.amount_kop for r in epd.recalcs[RC_ROWS - 1:])
        rows6 = rows6[:RC_ROWS - 1] + [("", f"… ещё {len(rows6) - RC_ROWS + 1}", "", money(rest), "")]
    table_rows(c, L, Y_S6 + STRIP + 5.0, RECALCS, rows6, ROW, size=6.2)


def purpose(epd: Epd) -> str:
    return f"Оплата электроэнергии за {period_label(epd.period)}, ЛС {epd.number}"


def reference_lines(epd: Epd) -> list[str]:
    """Section 4: normatives, the readings the month was billed by, building totals."""
    out = []
    if epd.normative_wh is not None:
        out.append(f"Норматив потребления: {volume(epd.normative_wh)} кВт·ч на человека в месяц "
                   f"(комнат: {epd.rooms}).")
    for r in epd.rows:
        zone = zone_label(r.zones, r.zone)
        zone = f" ({zone})" if zone else ""
        if r.method == "readings" and r.cur_value is not None:
            out.append(f"Показания{zone}: предыдущее {whole(r.prev_value)}, текущее {whole(r.cur_value)}, "
                       f"расход {volume(r.volume_wh)} кВт·ч.")
        elif r.method == "normative" and r.residents is not None and r.normative_wh is not None:
            out.append(f"По нормативу{zone}: {r.residents} чел. × {volume(r.normative_wh)} кВт·ч = "
                       f"{volume(r.volume_wh)} кВт·ч.")
        elif r.method == "average":
            out.append(f"По среднему{zone}: {volume(r.volume_wh)} кВт·ч (показания не переданы).")
        if r.factor_milli and r.factor_milli > 1000:
            factor = f"{r.factor_milli / 1000:g}".replace(".", ",")
            out.append(f"Повышающий коэффициент ×{factor}: {money(r.factor_kop)} руб.")
    b = epd.building
    if b is not None:
        if b.common_wh is not None:
            out.append(f"Дом: объём по ОДПУ {volume(b.common_wh)} кВт·ч, на ОДН распределено {volume(b.odn_wh)} кВт·ч.")
        else:
            out.append(f"Дом: на ОДН распределено {volume(b.odn_wh)} кВт·ч (по нормативу).")
        area = f"{b.area_total:.2f}".replace(".", ",")
        common = f"{b.area_common:.2f}".replace(".", ",")
        out.append(f"Площадь помещений дома {area} м², общего имущества {common} м².")
        if b.soi_kwh_per_m2 is not None:
            out.append(f"Норматив на СОИ: {str(b.soi_kwh_per_m2.normalize()).replace('.', ',')} кВт·ч на м² в месяц.")
    if epd.tariff_group:
        out.append(f"Тарифная группа: {epd.tariff_group}.")
    return out


# ------------------------------------------------------------------------------------------- pages
class PageRenderer:
    """Draws ЕПД pages; the static part is drawn once per (supplier, period) and reused."""

    def __init__(self, matrix_fn: MatrixFn = qr_matrix) -> None:
        self.face = Typeface.load()
        self.matrix_fn = matrix_fn
        self._static: dict[tuple[Supplier, int, tuple[int, int]], bytes] = {}
        self._canvas = Canvas(self.face)

    def static(self, epd: Epd) -> bytes:
        key = (epd.supplier, epd.period, epd.reading_days)
        data = self._static.get(key)
        if data is None:
            c = Canvas(self.face)
            draw_static(c, epd.supplier, epd.period, epd.reading_days)
            data = self._static[key] = c.getvalue()
        return data

    def page(self, epd: Epd, payload: bytes) -> tuple[bytes, bytes]:
        """(static part, account part) of the page's content stream."""
        c = self._canvas
        c.reset()
        draw_account(c, epd, self.matrix_fn(payload))
        return self.static(epd), c.getvalue()

