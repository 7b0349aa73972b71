"""The legal-entity price data (migration 094): the supplier's price table of final-price components,
the hourly rates of categories 3–6, the АТС peak hours of a region, the System Operator's planned
peak windows and the hourly plans of categories 5–6 — and the final price of categories 1–2.

Each file is one import batch (`import_batch.kind` = the kind below, the file's SHA-256; the same file
twice is refused). The whole file is validated first — every bad row named with its file (and sheet)
and row, nothing written — then stored in one transaction. A newer file replaces the rows of the keys
it carries (`REPLACES`): a price table the (month, category, voltage level) it lists, hourly rates the
(month, category, voltage level, rate), peak hours the (month, region), SO windows the (month, price
zone), hourly plans the (supply point, day). Prices of a closed month may be corrected — that is what
a recalculation is for — and the report says so. Parsing the files (CSV, XLSX, the АТС .xls) is
`sbyt.io.price_files`; rules and templates: docs/prices.md.

Hours are hour-ending 1–24, Moscow time: hour 8 is 07:00–08:00, the SO window «8–13» is 07:00–13:00.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import pyarrow as pa

from sbyt.core import labels
from sbyt.core.access import requires
from sbyt.core.errors import RefusedError, RowError, SbytError, ValidationError
from sbyt.core.loading.columns import Col, lit, typed_rows
from sbyt.core.period_state import is_closed
from sbyt.core.periods import first_day, last_day, period_label
from sbyt.core.store import Store

KINDS = ("price_table", "price_hours", "peak_hours", "so_windows", "hour_plan")
KIND_TITLES = {
    "price_table": "таблица составляющих цены",
    "price_hours": "почасовые ставки (ЦК 3–6)",
    "peak_hours": "часы пиковой нагрузки АТС",
    "so_windows": "плановые часы пиковой нагрузки СО",
    "hour_plan": "почасовые плановые объёмы (ЦК 5–6)",
}
VOLTAGES = ("VN", "SN1", "SN2", "NN")
COMPONENTS = ("energy", "capacity", "network", "network_capacity", "network_loss", "markup", "infra")
RATES = ("fact", "over", "under")
# Transmission components: left out of the price of a purchase-sale contract (the consumer pays the
# grid company itself).
TRANSMISSION = ("network", "network_capacity", "network_loss")
PER_MWH = ("energy", "network", "network_loss", "markup", "infra")   # RUB/MWh; the others RUB/MW·month
SCALE = 4

_MONTH = dict(pattern="[0-9]{4}-(0[1-9]|1[0-2])", pattern_doc="ожидается месяц ГГГГ-ММ")

PRICE_TABLE_COLUMNS = (
    Col("period", "text", True, "Месяц, к которому относятся цены, ГГГГ-ММ", "2026-11", **_MONTH),
    Col("category", "int", True, "Ценовая категория, 1–6", "1", min=1, max=6),
    Col("voltage", "enum", True, "Уровень напряжения: ВН, СН1 (СН-I), СН2 (СН-II), НН", "СН2", enum=VOLTAGES,
        domain="voltage"),
    Col("component", "enum", True, "Составляющая цены: код или название (см. docs/prices.md)", "energy",
        enum=COMPONENTS, domain="price_component"),
    Col("zones", "int", False, "Вариант зон суток 2-й категории: 2 или 3; пусто или 0 — без зон", "0", min=0, max=3,
        default="0"),
    Col("zone", "int", False, "Зона суток 1…zones (2-я категория, электроэнергия); пусто или 0 — все зоны", "0",
        min=0, max=3, default="0"),
    Col("value", "dec4", True, "Значение без НДС: руб./МВт·ч (мощность и содержание сетей — руб./МВт в месяц), "
        "до 4 знаков после запятой", "1498,97", min=0),
)
PRICE_HOURS_COLUMNS = (
    Col("category", "int", True, "Ценовая категория, 3–6", "3", min=3, max=6),
    Col("voltage", "enum", True, "Уровень напряжения: ВН, СН1, СН2, НН", "СН2", enum=VOLTAGES, domain="voltage"),
    Col("rate", "enum", True, "Ставка: fact (факт), over (факт больше плана), under (план больше факта)", "fact",
        enum=RATES, domain="price_rate"),
    Col("date", "date", True, "День", "2026-11-01"),
    Col("hour", "int", True, "Час 1–24 (по окончании часа, московское время: 1 = 00:00–01:00)", "1", min=1, max=24),
    Col("value", "dec4", True, "Ставка, руб./МВт·ч без НДС, до 4 знаков после запятой", "3125,4512", min=0),
)
PEAK_HOURS_COLUMNS = (
    Col("date", "date", True, "Рабочий день", "05.11.2026"),
    Col("hour", "int", True, "Час пиковой нагрузки 1–24 (0–23 — пересчитывается в 1–24)", "14", min=0, max=24),
)
SO_WINDOWS_COLUMNS = (
    Col("month", "text", True, "Месяц ГГГГ-ММ", "2026-02", **_MONTH),
    Col("price_zone", "int", True, "Ценовая зона: 1 или 2", "1", min=1, max=2),
    Col("windows", "text", True, "Плановые часы пиковой нагрузки, часы 1–24 по окончании часа включительно",
        "8–13, 17–21"),
)
HOUR_PLAN_COLUMNS = (
    Col("point", "text", True, "Код точки поставки (ценовая категория 5 или 6)", "TP1"),
    Col("date", "date", True, "День", "2026-11-01"),
    Col("hour", "int", True, "Час 1–24 (по окончании часа)", "1", min=1, max=24),
    Col("kwh", "dec3", True, "Плановый объём, кВт·ч, до 3 знаков после запятой", "125,5", min=0),
)
COLUMNS = {"price_table": PRICE_TABLE_COLUMNS, "price_hours": PRICE_HOURS_COLUMNS, "peak_hours": PEAK_HOURS_COLUMNS,
           "so_windows": SO_WINDOWS_COLUMNS, "hour_plan": HOUR_PLAN_COLUMNS}
# The keys a newer file replaces (columns of the target table).
REPLACES = {"price_table": ("price_component", ("period", "category", "voltage")),
            "price_hours": ("price_hour", ("period", "category", "voltage", "rate")),
            "peak_hours": ("peak_hour", ("period", "region")),
            "so_windows": ("so_window", ("period", "price_zone")),
            "hour_plan": ("hour_plan", ("point_id", "day"))}


@dataclass
class PriceInput:
    """One parsed price file (`sbyt.io.price_files`): text columns named as `COLUMNS[kind]` plus `_row`;
    `places[_row]` says where the row is in the file («f.xlsx, лист «3 ЦК СН2 факт»», sheet row) when the
    rows are not the file's own row numbers (None: `_row` is the row of `file`)."""

    kind: str
    file: str
    sha256: str
    rows: pa.Table
    places: list[tuple] | None = None       # (where, row) or (where, row, column shown for value/hour)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    head: tuple[str, int] | None = None     # where a file-level problem is reported (the header row)
    period: int | None = None               # peak hours: the month of the file name
    region: str | None = None               # peak hours: the АТС region code


@dataclass
class PriceReport:
    kind: str
    file: str
    batch_id: int
    rows: int
    replaced: int                   # rows of earlier files replaced
    periods: list[int]
    closed: list[int]               # months among `periods` already closed
    notes: list[str]
    warnings: list[str]

    def lines(self) -> list[str]:
        """The report as the operator reads it."""
        months = (f"{period_label(self.periods[0])}–{period_label(self.periods[-1])} ({len(self.periods)} мес.)"
                  if len(self.periods) > 3 else ", ".join(period_label(p) for p in self.periods))
        out = [f"{self.file}: {KIND_TITLES[self.kind]} за {months}: записано строк {self.rows}"
               + (f", заменено строк прежних файлов {self.replaced}" if self.replaced else "")
               + f" (пакет {self.batch_id})."]
        out += self.notes
        for p in self.closed:
            out.append(f"Месяц {period_label(p)} закрыт: разница войдёт в перерасчёт.")
        if self.warnings:
            out.append(f"Проверьте (строк {len(self.warnings)}):")
            out += [f"  {w}" for w in self.warnings]
        return out


# ------------------------------------------------------------------------------------------- helpers
def _err(inp: PriceInput, row: int, message: str, column: str | None = None) -> RowError:
    if inp.places is None:
        return RowError(inp.file, row, message, column)
    place = inp.places[row]
    if len(place) > 2 and column in ("value", "hour"):
        column = place[2]          # a sheet of hourly rates: the cell's hour column
    return RowError(place[0], place[1], message, column)


def _file_err(inp: PriceInput, message: str) -> RowError:
    where, n = inp.head or (inp.file, 1)
    return RowError(where, n, message)


def _typed(store: Store, inp: PriceInput) -> tuple[pa.Table, list[RowError], pa.Table]:
    """Typed rows without the rows that have a format error (the later checks see valid rows only), and
    the format errors, and all typed rows (invalid cells NULL)."""
    import pyarrow.compute as pc

    columns = COLUMNS[inp.kind]
    rows, errors = typed_rows(store.con, inp.rows.select(["_row", *[c.name for c in columns]]), columns, inp.file)
    every = rows
    if errors:
        bad = pa.array(sorted({e.row for e in errors}), pa.int64())
        rows = rows.filter(pc.invert(pc.is_in(rows.column("_row"), value_set=bad)))
    return rows, [_err(inp, e.row, e.message, e.column) for e in errors], every


def _problems(inp: PriceInput, found: list[tuple]) -> list[RowError]:
    """(`_row`, 'column|message') rows of a check query -> row errors."""
    out = []
    for row, problem in found:
        col, _, msg = problem.partition("|")
        out.append(_err(inp, row, msg, col or None))
    return out


def _raise(inp: PriceInput, errors: list[RowError]) -> None:
    if errors:
        order = [c.name for c in COLUMNS[inp.kind]]
        errors.sort(key=lambda e: (e.file, e.row, order.index(e.column) if e.column in order else -1))
        raise ValidationError(errors, f"{inp.file}: найдено ошибок {len(errors)}. Ничего не записано.")


def hours_text(hours: Iterable[int]) -> str:
    """{8, 9, 10, 17, 18} -> «8–10, 17–18» (hour-ending runs)."""
    hs = sorted(set(hours))
    runs: list[list[int]] = []
    for h in hs:
        if runs and h == runs[-1][1] + 1:
            runs[-1][1] = h
        else:
            runs.append([h, h])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


_WINDOW = re.compile(r"^\s*(\d{1,2})\s*(?:[-–—]\s*(\d{1,2})\s*)?$")


def parse_windows(text: str) -> set[int]:
    """The SO notation «8–13, 17–21» (en dash or hyphen; hour-ending, inclusive) -> {8..13} ∪ {17..21}.
    ValueError with a Russian message."""
    hours: set[int] = set()
    parts = [p for p in re.split(r"[,;]", text)]
    if not text.strip():
        raise ValueError("не указаны часы")
    for part in parts:
        m = _WINDOW.match(part)
        if not m:
            raise ValueError(f"не диапазон часов: «{part.strip()}» (ожидается, например, «8–13, 17–21»)")
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) else a
        if not (1 <= a <= 24 and 1 <= b <= 24):
            raise ValueError(f"час вне 1–24: «{part.strip()}»")
        if a > b:
            raise ValueError(f"начало позже конца: «{part.strip()}»")
        hours.update(range(a, b + 1))
    return hours


def final_price(components: Mapping[str, Decimal] | Iterable[tuple[str, Decimal]], contract_kind: str = "supply"
                ) -> Decimal:
    """The final price of categories 1–2 (RUB/MWh without VAT): the exact sum of the per-MWh components
    of one category, voltage level and zone (energy, transmission, mark-up, infrastructure), without
    transmission for a purchase-sale contract (`contract_kind` 'sale'). Components per MW·month
    (capacity, network maintenance rate) are not part of a per-MWh price: an error."""
    items = components.items() if isinstance(components, Mapping) else components
    total = Decimal(0)
    for code, value in items:
        if code not in PER_MWH:
            raise SbytError(f"Составляющая «{labels.label('price_component', code)}» — руб./МВт в месяц, "
                            "в одноставочную цену (руб./МВт·ч) не входит.")
        if contract_kind == "sale" and code in TRANSMISSION:
            continue
        total += Decimal(value)
    return total


# ------------------------------------------------------------------------------------------- validation
def _price_table(store: Store, inp: PriceInput, rows: pa.Table) -> tuple[pa.Table, list[RowError]]:
    con_tables = {"pt": rows}
    found = store.arrow("""
        WITH t AS (SELECT *, CAST(replace(period, '-', '') AS INTEGER) AS p,
                          min(_row) OVER (PARTITION BY period, category, voltage, component, zones, zone) AS first
                   FROM pt WHERE period IS NOT NULL AND category IS NOT NULL AND voltage IS NOT NULL
                     AND component IS NOT NULL AND zones IS NOT NULL AND zone IS NOT NULL)
        SELECT _row, CASE
            WHEN zones = 1 THEN 'zones|вариант зон суток — 2 или 3 (пусто или 0 — без зон), а не 1'
            WHEN category <> 2 AND (zones <> 0 OR zone <> 0)
                THEN 'zones|зоны суток есть только у 2-й ценовой категории'
            WHEN category = 2 AND component = 'energy' AND zones = 0
                THEN 'zones|электроэнергия 2-й ценовой категории указывается по зонам суток: zones 2 или 3, zone 1…zones'
            WHEN component <> 'energy' AND (zones <> 0 OR zone <> 0)
                THEN 'zone|по зонам суток указывается только электроэнергия; у остальных составляющих zones и zone — 0'
            WHEN zones > 0 AND NOT zone BETWEEN 1 AND zones
                THEN 'zone|зона ' || zone || ' вне 1…' || zones
            WHEN component = 'energy' AND category > 2
                THEN 'component|электроэнергия категорий 3–6 — почасовые ставки (файл почасовых ставок), а не строка таблицы'
            WHEN component = 'capacity' AND category <= 2
                THEN 'component|ставка за мощность (руб./МВт в месяц) есть только у категорий 3–6'
            WHEN component = 'network_capacity' AND category NOT IN (4, 6)
                THEN 'component|ставка на содержание сетей (руб./МВт в месяц) есть только у категорий 4 и 6'
            WHEN _row <> first THEN 'component|повтор: эта составляющая уже есть в строке ' || first
            END AS problem
        FROM t WHERE problem IS NOT NULL
        UNION ALL
        -- what a key (month, category, voltage) must carry: categories 1–2 the energy (every zone of
        -- category 2), categories 3–6 the capacity rate
        SELECT min(_row), 'component|' || substr(period, 6, 2) || '.' || substr(period, 1, 4) || ', ' || category
                || ' ЦК ' || CASE voltage WHEN 'VN' THEN 'ВН' WHEN 'SN1' THEN 'СН1' WHEN 'SN2' THEN 'СН2' ELSE 'НН' END
                || ': ' || CASE
                WHEN category <= 2 AND count(*) FILTER (WHERE component = 'energy') = 0
                    THEN 'нет составляющей «электроэнергия»'
                WHEN category > 2 AND count(*) FILTER (WHERE component = 'capacity') = 0
                    THEN 'нет ставки за мощность (capacity)'
                END
        FROM pt WHERE period IS NOT NULL AND category IS NOT NULL AND voltage IS NOT NULL AND component IS NOT NULL
            AND zones IS NOT NULL AND zone IS NOT NULL
        GROUP BY period, category, voltage
        HAVING (category <= 2 AND count(*) FILTER (WHERE component = 'energy') = 0)
            OR (category > 2 AND count(*) FILTER (WHERE component = 'capacity') = 0)
        UNION ALL
        -- category 2: each zone variant given (2 and/or 3 zones) with every zone of it
        SELECT min(_row), 'zone|' || substr(period, 6, 2) || '.' || substr(period, 1, 4) || ', 2 ЦК '
                || CASE voltage WHEN 'VN' THEN 'ВН' WHEN 'SN1' THEN 'СН1' WHEN 'SN2' THEN 'СН2' ELSE 'НН' END
                || ': электроэнергия ' || zones || '-зонного варианта указана не для всех зон 1…' || zones
        FROM pt WHERE category = 2 AND component = 'energy' AND zones IN (2, 3) AND zone BETWEEN 1 AND zones
            AND period IS NOT NULL AND voltage IS NOT NULL
        GROUP BY period, voltage, zones HAVING count(DISTINCT zone) <> zones
        ORDER BY 1""", con_tables).to_pylist()
    errors = _problems(inp, [(r["_row"], r["problem"]) for r in found])
    out = store.arrow("""SELECT CAST(replace(period, '-', '') AS INTEGER) AS period, CAST(category AS TINYINT) AS category,
                                voltage, component, CAST(zones AS TINYINT) AS zones, CAST(zone AS TINYINT) AS zone,
                                CAST(value AS DECIMAL(18, 4)) AS value
                         FROM pt ORDER BY _row""", con_tables)
    return out, errors


def _price_hours(store: Store, inp: PriceInput, rows: pa.Table, every: pa.Table) -> tuple[pa.Table, list[RowError]]:
    """`every`: all rows, a bad cell included — an hour with a format error is reported once, not as missing."""
    tables = {"ph": rows}
    found = store.arrow("""
        WITH t AS (SELECT *, min(_row) OVER (PARTITION BY category, voltage, rate, date, hour) AS first
                   FROM ph WHERE category IS NOT NULL AND voltage IS NOT NULL AND rate IS NOT NULL
                     AND date IS NOT NULL AND hour IS NOT NULL)
        SELECT _row, 'hour|повтор: ставка за этот день и час уже есть в строке ' || first AS problem
        FROM t WHERE _row <> first
        UNION ALL
        SELECT min(_row), 'rate|ставки отклонений от плана (over, under) есть только у категорий 5 и 6'
        FROM ph WHERE rate <> 'fact' AND category IN (3, 4) GROUP BY category, voltage, rate
        ORDER BY 1""", tables).to_pylist()
    errors = _problems(inp, [(r["_row"], r["problem"]) for r in found])
    # Every day × hour of the month for each (category, voltage, rate) the file carries.
    missing = store.arrow("""
        WITH b AS (SELECT category, voltage, rate, year(date) * 100 + month(date) AS p, min(_row) AS first_row,
                          count(DISTINCT (date, hour)) AS n
                   FROM ph WHERE category IS NOT NULL AND voltage IS NOT NULL AND rate IS NOT NULL
                     AND date IS NOT NULL AND hour IS NOT NULL GROUP BY ALL),
        want AS (SELECT b.*, CAST(g.d AS DATE) AS day, h.hour
                 FROM b, generate_series(make_date(b.p // 100, b.p % 100, 1),
                                          make_date(b.p // 100, b.p % 100, 1) + INTERVAL 1 MONTH - INTERVAL 1 DAY,
                                          INTERVAL 1 DAY) g(d), range(1, 25) h(hour)
                 WHERE b.n < 24 * (date_diff('day', make_date(b.p // 100, b.p % 100, 1),
                                             make_date(b.p // 100, b.p % 100, 1) + INTERVAL 1 MONTH)))
        SELECT first_row, category, voltage, rate, p, count(*) AS n,
               list(strftime(day, '%d.%m.%Y') || ' ч ' || hour ORDER BY day, hour)[1:5] AS some
        FROM want w ANTI JOIN ph_all x ON x.category = w.category AND x.voltage = w.voltage AND x.rate = w.rate
            AND x.date = w.day AND x.hour = w.hour
        GROUP BY ALL ORDER BY first_row""", {"ph": rows, "ph_all": every}).to_pylist()
    for m in missing:
        more = " …" if m["n"] > 5 else ""
        errors.append(_err(inp, m["first_row"], f"{m['category']} ЦК {labels.label('voltage', m['voltage'])} "
                           f"«{labels.label('price_rate', m['rate'])}», {period_label(m['p'])}: нет ставок за "
                           f"{m['n']} ч: {', '.join(m['some'])}{more}"))
    out = store.arrow("""SELECT year(date) * 100 + month(date) AS period, CAST(category AS TINYINT) AS category,
                                voltage, rate, date AS day, CAST(hour AS TINYINT) AS hour,
                                CAST(value AS DECIMAL(18, 4)) AS value
                         FROM ph ORDER BY category, voltage, rate, day, hour""", tables, large=True)
    return out, errors


def _price_zone(store: Store, period: int) -> int:
    """The supplier's price zone (dated rule legal.price_zone; the 1st zone when the rule is absent)."""
    on = first_day(period)
    value = store.scalar("SELECT value FROM dated_rule WHERE code = 'legal.price_zone' AND valid_from <= ?"
                         " AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1", [on, on])
    return int(value) if value is not None else 1


def _peak_hours(store: Store, inp: PriceInput, rows: pa.Table) -> tuple[pa.Table, list[RowError], list[str]]:
    errors: list[RowError] = []
    warnings: list[str] = []
    good = [r for r in rows.to_pylist() if r["date"] is not None and r["hour"] is not None]
    hours = {r["hour"] for r in good}
    shift = 0
    if 0 in hours and 24 not in hours:
        shift = 1
        inp.notes.append("Часы в файле 0–23: приняты как 1–24 (час h файла — час h+1, по окончании часа).")
    elif 0 in hours:
        errors += [_err(inp, r["_row"], "час 0 в файле, где есть и час 24: нотация часов неясна", "hour")
                   for r in good if r["hour"] == 0]
    months = sorted({r["date"].year * 100 + r["date"].month for r in good})
    period = inp.period
    if period is None:
        if len(months) > 1:
            raise ValidationError([_file_err(inp, "дни разных месяцев: " + ", ".join(map(period_label, months))
                                             + " (один файл — один месяц)")])
        if not months:
            _raise(inp, errors or [_file_err(inp, "в файле нет ни одного дня")])
        period = months[0]
    lo, hi = first_day(period), last_day(period)
    if not inp.region:
        inp.region = store.scalar("SELECT text_value FROM dated_rule WHERE code = 'legal.ats_region' AND valid_from <= ?"
                                  " AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1", [lo, lo])
        if not inp.region:
            raise SbytError(f"{inp.file}: не указан регион АТС. Имя файла АТС — «ГГГГММ_УЧАСТНИК_РЕГИОН_calcfacthour.xls»; "
                            "для другого имени укажите --region КОД (например, --region 46).")
        inp.notes.append(f"Регион АТС не указан в имени файла: принят регион гарантирующего поставщика {inp.region} "
                         "(правило legal.ats_region).")
    if not store.scalar("SELECT count(*) FROM production_calendar WHERE day BETWEEN ? AND ?", [lo, hi]):
        raise SbytError(f"Производственного календаря на {period_label(period)} нет в базе: выполните «sbyt init».")
    tables = {"pk": rows}
    found = store.arrow(f"""
        WITH t AS (SELECT p.*, c.working, min(_row) OVER (PARTITION BY p.date) AS first
                   FROM pk p LEFT JOIN production_calendar c ON c.day = p.date
                   WHERE p.date IS NOT NULL)
        SELECT _row, CASE
            WHEN date NOT BETWEEN DATE '{lo}' AND DATE '{hi}'
                THEN 'date|день ' || strftime(date, '%d.%m.%Y') || ' не из месяца {period_label(period)}'
            WHEN _row <> first THEN 'date|повтор: этот день уже есть в строке ' || first
            WHEN NOT working THEN 'date|' || strftime(date, '%d.%m.%Y')
                || ' — нерабочий день по производственному календарю'
            END AS problem
        FROM t WHERE problem IS NOT NULL ORDER BY _row""", tables).to_pylist()
    errors += _problems(inp, [(r["_row"], r["problem"]) for r in found])
    missing = [r["day"] for r in store.arrow(f"""
        SELECT day FROM production_calendar WHERE working AND day BETWEEN DATE '{lo}' AND DATE '{hi}'
            AND day NOT IN (SELECT date FROM pk WHERE date IS NOT NULL) ORDER BY day""", tables).to_pylist()]
    if missing:
        errors.append(_file_err(inp, f"нет рабочих дней ({len(missing)}): "
                                + ", ".join(f"{d:%d.%m.%Y}" for d in missing)))
    out = store.arrow(f"""SELECT {period} AS period, {lit(inp.region)} AS region, date AS day,
                                 CAST(hour + {shift} AS TINYINT) AS hour
                          FROM pk WHERE date IS NOT NULL AND hour IS NOT NULL ORDER BY date""", tables)
    zone = _price_zone(store, period)
    window = {h for (h,) in store.all("SELECT hour FROM so_window WHERE period = ? AND price_zone = ?",
                                      [period, zone])}
    if window:
        for r in out.to_pylist():
            if r["hour"] not in window:
                warnings.append(f"{r['day']:%d.%m.%Y}: час {r['hour']} вне плановых часов пиковой нагрузки СО "
                                f"({hours_text(window)}, {zone}-я ценовая зона)")
    else:
        inp.notes.append(f"Плановых часов СО на {period_label(period)} ({zone}-я ценовая зона) в базе нет: "
                         "часы пиковой нагрузки с ними не сверены.")
    return out, errors, warnings


def _so_windows(store: Store, inp: PriceInput, rows: pa.Table) -> tuple[pa.Table, list[RowError]]:
    errors: list[RowError] = []
    seen: dict[tuple[int, int], int] = {}
    periods, zones, hours = [], [], []
    for r in rows.to_pylist():
        if r["month"] is None or r["price_zone"] is None or r["windows"] is None:
            continue
        p = int(r["month"].replace("-", ""))
        key = (p, r["price_zone"])
        if key in seen:
            errors.append(_err(inp, r["_row"], f"повтор: {r['month']}, {r['price_zone']}-я ценовая зона уже в строке "
                               f"{seen[key]}", "month"))
            continue
        seen[key] = r["_row"]
        try:
            hs = parse_windows(r["windows"])
        except ValueError as exc:
            errors.append(_err(inp, r["_row"], str(exc), "windows"))
            continue
        for h in sorted(hs):
            periods.append(p)
            zones.append(r["price_zone"])
            hours.append(h)
    out = pa.table({"period": pa.array(periods, pa.int32()), "price_zone": pa.array(zones, pa.int8()),
                    "hour": pa.array(hours, pa.int8())})
    return out, errors


def _hour_plan(store: Store, inp: PriceInput, rows: pa.Table) -> tuple[pa.Table, list[RowError]]:
    tables = {"hp": rows}
    found = store.arrow("""
        WITH t AS (SELECT h.*, p.id AS point_id, f.price_category,
                          min(h._row) OVER (PARTITION BY h.point, h.date, h.hour) AS first
                   FROM hp h LEFT JOIN legal_point p ON p.code = h.point
                   LEFT JOIN legal_point_fact f ON f.point_id = p.id AND f.valid_from <= h.date
                       AND (f.valid_to IS NULL OR f.valid_to > h.date)
                   WHERE h.point IS NOT NULL AND h.date IS NOT NULL AND h.hour IS NOT NULL)
        SELECT _row, CASE
            WHEN point_id IS NULL THEN 'point|нет точки поставки «' || point || '»'
            WHEN price_category IS NULL THEN 'date|точка поставки ' || point || ' на ' || strftime(date, '%d.%m.%Y')
                || ' не действует'
            WHEN price_category NOT IN (5, 6) THEN 'point|точка поставки ' || point || ' на '
                || strftime(date, '%d.%m.%Y') || ' в ' || price_category
                || '-й ценовой категории: плановые объёмы — только для категорий 5 и 6'
            WHEN _row <> first THEN 'hour|повтор: этот час точки поставки уже есть в строке ' || first
            END AS problem
        FROM t WHERE problem IS NOT NULL ORDER BY _row""", tables).to_pylist()
    errors = _problems(inp, [(r["_row"], r["problem"]) for r in found])
    out = store.arrow("""SELECT p.id AS point_id, h.date AS day, CAST(h.hour AS TINYINT) AS hour,
                                CAST(h.kwh * 1000 AS BIGINT) AS value_wh,
                                year(h.date) * 100 + month(h.date) AS period
                         FROM hp h JOIN legal_point p ON p.code = h.point ORDER BY 1, 2, 3""", tables, large=True)
    return out, errors


# ------------------------------------------------------------------------------------------- import
def _refuse_twice(store: Store, inp: PriceInput) -> None:
    old = store.one("SELECT id, file_name FROM import_batch WHERE kind = ? AND sha256 = ?", [inp.kind, inp.sha256])
    if old is not None:
        raise RefusedError(f"Файл {inp.file} уже загружен (пакет {old[0]}, файл {old[1]}, тот же SHA-256): "
                           "повторная загрузка запрещена.")


_INSERT = {
    "price_table": "INSERT INTO price_component SELECT period, category, voltage, component, zones, zone, value, {b} FROM _pr_new",
    "price_hours": "INSERT INTO price_hour SELECT period, category, voltage, rate, day, hour, value, {b} FROM _pr_new",
    "peak_hours": "INSERT INTO peak_hour SELECT period, region, day, hour, {b} FROM _pr_new",
    "so_windows": "INSERT INTO so_window SELECT period, price_zone, hour, {b} FROM _pr_new",
    "hour_plan": "INSERT INTO hour_plan SELECT point_id, day, hour, value_wh, {b} FROM _pr_new",
}


def _note(kind: str, new: pa.Table, store: Store) -> str:
    """What the batch covers, for `sbyt prices list`."""
    con = store.con
    if kind == "price_table":
        parts = [f"{c} ЦК {', '.join(labels.label('voltage', v) for v in vs)}" for c, vs in con.sql(
            "SELECT category, list(DISTINCT voltage ORDER BY list_position(['VN', 'SN1', 'SN2', 'NN'], voltage)) "
            "FROM _pr_new GROUP BY 1 ORDER BY 1").fetchall()]
    elif kind == "price_hours":
        parts = [f"{c} ЦК {labels.label('voltage', v)} {r}" for c, v, r in con.sql(
            "SELECT DISTINCT category, voltage, rate FROM _pr_new ORDER BY 1, 2, 3").fetchall()]
    elif kind == "peak_hours":
        parts = [f"регион {r}, рабочих дней {n}" for r, n in con.sql(
            "SELECT region, count(*) FROM _pr_new GROUP BY 1").fetchall()]
    elif kind == "so_windows":
        parts = [f"{period_label(p)} {z}-я зона: {hours_text(hs)}" for p, z, hs in con.sql(
            "SELECT period, price_zone, list(hour) FROM _pr_new GROUP BY 1, 2 ORDER BY 1, 2").fetchall()]
        if len(parts) > 4:
            parts = [f"месяцев {len({p for p, in con.sql('SELECT DISTINCT period FROM _pr_new').fetchall()})}, "
                     f"строк зона×месяц {len(parts)}"]
    else:
        parts = [f"точек поставки {n}, дней {d}" for n, d in con.sql(
            "SELECT count(DISTINCT point_id), count(DISTINCT (point_id, day)) FROM _pr_new").fetchall()]
    return "; ".join(parts)


@requires("data.load")
def import_prices(store: Store, inp: PriceInput) -> PriceReport:
    """Validate and store one price file (see the module docstring). All or nothing."""
    if inp.kind not in KINDS:
        raise SbytError(f"Вид файла цен: {', '.join(KINDS)}, а не «{inp.kind}».")
    _refuse_twice(store, inp)
    errors = list(inp.errors)
    if not inp.rows.num_rows and not errors:
        errors.append(_file_err(inp, "в файле нет ни одной строки данных"))
    if errors and not inp.rows.num_rows:
        _raise(inp, errors)
    rows, format_errors, every = _typed(store, inp)
    errors += format_errors
    warnings: list[str] = []
    if inp.kind == "price_table":
        new, more = _price_table(store, inp, rows)
    elif inp.kind == "price_hours":
        new, more = _price_hours(store, inp, rows, every)
    elif inp.kind == "peak_hours":
        new, more, warnings = _peak_hours(store, inp, rows)
    elif inp.kind == "so_windows":
        new, more = _so_windows(store, inp, rows)
    else:
        new, more = _hour_plan(store, inp, rows)
    errors += more
    _raise(inp, errors)
    table, keys = REPLACES[inp.kind]
    con = store.con
    con.register("_pr_new", new)
    try:
        periods = [p for (p,) in con.sql("SELECT DISTINCT period FROM _pr_new ORDER BY 1").fetchall()]
        note = _note(inp.kind, new, store)
        on = " AND ".join(f"t.{k} = k.{k}" for k in keys)
        key_list = ", ".join(keys)
        keyset = f"(SELECT DISTINCT {key_list} FROM _pr_new) k"
        with store.transaction():
            replaced, old = con.execute(f"SELECT count(*), list(DISTINCT t.batch_id ORDER BY t.batch_id) "
                                    f"FROM {table} t, {keyset} WHERE {on}").fetchone()
            replaced, old = int(replaced), old or []
            con.execute(f"DELETE FROM {table} t USING {keyset} WHERE {on}")
            batch_id = store.next_id("import_batch")
            con.execute(_INSERT[inp.kind].format(b=batch_id))
            store.execute("INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows, note)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          [batch_id, inp.kind, inp.file, inp.sha256, store.user, new.num_rows, note])
            store.audit("command", f"{inp.kind}_import", batch_id, new=json.dumps(
                {"file": inp.file, "rows": new.num_rows, "replaced": replaced, "replaced_batches": old,
                 "periods": periods, "warnings": len(warnings)}, ensure_ascii=False))
    finally:
        con.unregister("_pr_new")
    closed = [p for p in periods if is_closed(store, p)]
    return PriceReport(inp.kind, inp.file, batch_id, new.num_rows, replaced, periods, closed, list(inp.notes),
                       warnings)


# ------------------------------------------------------------------------------------------- reading
def list_batches(store: Store, period: int | None = None) -> list[tuple]:
    """The price files in the store, newest first: batch, kind, file, loaded at, by, rows in force (not
    replaced by a newer file), months and what the file covers."""
    union = " UNION ALL ".join(
        f"SELECT batch_id, period, count(*) AS n FROM {t} GROUP BY ALL" for t in
        ("price_component", "price_hour", "peak_hour", "so_window"))
    return store.all(f"""
        WITH live AS ({union}
                      UNION ALL SELECT batch_id, year(day) * 100 + month(day), count(*) FROM hour_plan GROUP BY ALL),
        agg AS (SELECT batch_id, sum(n) AS n, list(DISTINCT period ORDER BY period) AS periods,
                       bool_or(period = ?) AS hit FROM live GROUP BY 1)
        SELECT b.id, b.kind, b.file_name, b.created_at, b.created_by, b.rows, coalesce(a.n, 0), a.periods, b.note
        FROM (SELECT id, kind, file_name, created_at, created_by, rows, note FROM import_batch
              UNION ALL
              SELECT 0, 'so_windows', 'so_windows.csv (поставка sbyt)', NULL, 'sbyt',
                     (SELECT count(*) FROM so_window WHERE batch_id = 0), 'справочник sbyt: плановые часы СО'
              WHERE EXISTS (SELECT 1 FROM so_window WHERE batch_id = 0)) b
        LEFT JOIN agg a ON a.batch_id = b.id
        WHERE b.kind IN ({', '.join(f"'{k}'" for k in KINDS)}) AND (?::INTEGER IS NULL OR a.hit)
        ORDER BY b.id DESC""", [period, period])


@dataclass(frozen=True)
class PriceLine:
    category: int
    voltage: str
    zones: int
    zone: int
    components: dict[str, Decimal]


def components_of(store: Store, period: int, category: int | None = None, voltage: str | None = None
                  ) -> list[PriceLine]:
    """The price table of a month by category, voltage level and zone: each zone line of category 2
    carries its energy and the flat components."""
    rows = store.all("""SELECT category, voltage, component, zones, zone, value FROM price_component
                        WHERE period = ? AND (?::INTEGER IS NULL OR category = ?) AND (?::VARCHAR IS NULL OR voltage = ?)
                        ORDER BY category, voltage, zones, zone""", [period, category, category, voltage, voltage])
    flat: dict[tuple[int, str], dict[str, Decimal]] = {}
    zoned: dict[tuple[int, str], list[tuple[int, int, Decimal]]] = {}
    for cat, volt, comp, zones, zone, value in rows:
        if zones:
            zoned.setdefault((cat, volt), []).append((zones, zone, value))
        else:
            flat.setdefault((cat, volt), {})[comp] = value
    out = []
    order = {v: i for i, v in enumerate(VOLTAGES)}
    for cat, volt in sorted(set(flat) | set(zoned), key=lambda k: (k[0], order[k[1]])):
        base = flat.get((cat, volt), {})
        if (cat, volt) in zoned:
            for zones, zone, value in zoned[(cat, volt)]:
                out.append(PriceLine(cat, volt, zones, zone, {"energy": value, **base}))
        else:
            out.append(PriceLine(cat, volt, 0, 0, dict(base)))
    return out


def hourly_range(store: Store, period: int, category: int | None = None, voltage: str | None = None) -> list[tuple]:
    """Per category, voltage level and rate of a month: the minimum, maximum and mean hourly rate and
    the hours loaded."""
    return store.all("""SELECT category, voltage, rate, min(value), max(value), CAST(avg(value) AS DECIMAL(18, 4)),
                               count(*)
                        FROM price_hour WHERE period = ? AND (?::INTEGER IS NULL OR category = ?)
                            AND (?::VARCHAR IS NULL OR voltage = ?)
                        GROUP BY category, voltage, rate ORDER BY category, list_position(['VN', 'SN1', 'SN2', 'NN'], voltage),
                                 list_position(['fact', 'over', 'under'], rate)""",
                     [period, category, category, voltage, voltage])
