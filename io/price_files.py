"""Price files of the legal-entity accrual, parsed into `sbyt.core.prices.PriceInput` (which validates and
stores them); the templates to fill. Layouts (docs/prices.md):

* price table — long CSV/XLSX `period;category;voltage;component;zones;zone;value`;
* hourly rates of categories 3–6 — XLSX with one sheet per (category, voltage, rate) named
  «3 ЦК СН2 факт» («факт>план», «план>факт» for categories 5–6), rows = days (the date in column A),
  columns = hours 1–24, like the supplier's published block; or a long CSV
  `category;voltage;rate;date;hour;value`;
* АТС peak hours — the market operator's `<YYYYMM>_<PARTICIPANT>_<REGION>_calcfacthour.xls` (title
  «Ежемесячный отчет по часам пиковой нагрузки…», a header cell «Дата», data rows date | hour), also
  .xlsx/.csv of that layout;
* SO windows — `month;price_zone;windows` («8–13, 17–21»);
* hourly plans of categories 5–6 — `point;date;hour;kwh`.

Spellings are forgiven where people and other programs differ: voltage «СН-II», «CH2» in Latin
letters, «SN2»; Russian column names; a month typed into Excel as a date. Nothing here touches the
database or the file system. XLSX and the АТС .xls are read by python-calamine.
"""

from __future__ import annotations

import csv
import hashlib
import io as _stdio
import re
from datetime import date

import pyarrow as pa

from sbyt.core import labels
from sbyt.core.errors import RowError, SbytError, ValidationError
from sbyt.core.periods import days_in, first_day, parse_period, period_label
from sbyt.core.prices import COLUMNS, KIND_TITLES, KINDS, PriceInput
from sbyt.io.tabular import _cell_text, _decode, _delimiter, csv_bytes

# Column aliases (compared by `labels.normalize`) -> the canonical names of `sbyt.core.prices.COLUMNS`.
ALIASES: dict[str, tuple[str, ...]] = {
    "period": ("период", "месяц цен", "расчетный период"),
    "month": ("месяц",),
    "category": ("категория", "ценовая категория", "цк"),
    "voltage": ("напряжение", "уровень напряжения", "ун"),
    "component": ("составляющая", "компонент", "составляющая цены"),
    "zones": ("зон", "число зон", "вариант зон"),
    "zone": ("зона", "зона суток"),
    "value": ("значение", "цена", "ставка, руб./мвт·ч", "руб./мвт·ч"),
    "rate": ("вид ставки", "ставка"),
    "date": ("дата", "день"),
    "hour": ("час",),
    "price_zone": ("ценовая зона", "зона рынка"),
    "windows": ("часы", "плановые часы", "окна", "часы пиковой нагрузки"),
    "point": ("точка поставки", "код точки поставки", "тп"),
    "kwh": ("квт·ч", "квт*ч", "квтч", "план, квт·ч", "плановый объем", "объем, квт·ч", "объем"),
}
_CANON: dict[str, str] = {}
for _name, _aliases in ALIASES.items():
    for _a in (_name, *_aliases):
        _CANON[labels.normalize(_a)] = _name

# Voltage spellings after `_voltage_key` (Latin look-alikes made Cyrillic, dashes and spaces dropped).
_VOLTAGE = {"ВН": "VN", "СН1": "SN1", "СНI": "SN1", "СН2": "SN2", "СНII": "SN2", "НН": "NN",
            "VN": "VN", "SN1": "SN1", "SNI": "SN1", "SN2": "SN2", "SNII": "SN2", "NN": "NN"}
_LATIN = str.maketrans({"C": "С", "H": "Н", "B": "В", "c": "С", "h": "Н"})
# Component words beyond the labels of 094 (`price_component`).
_COMPONENT = {"оптовая цена": "energy", "средневзвешенная цена": "energy", "энергия": "energy",
              "мощность": "capacity", "ставка за мощность": "capacity", "передача": "network",
              "услуги по передаче": "network", "тариф на передачу": "network",
              "содержание сетей": "network_capacity", "ставка на содержание": "network_capacity",
              "потери": "network_loss", "ставка на потери": "network_loss", "надбавка": "markup",
              "сбытовая надбавка гп": "markup", "инфраструктура": "infra", "иные услуги": "infra",
              "прочие услуги": "infra", "услуги инфраструктуры": "infra"}
_RATE = {"факт": "fact", "фактический": "fact", "факт>план": "over", "факт > план": "over", "превышение факта": "over",
         "план>факт": "under", "план > факт": "under", "превышение плана": "under"}
HOURS_SHEET = re.compile(r"^\s*([0-9])\s*ЦК\s+(\S+)\s+(.+?)\s*$", re.IGNORECASE)
ATS_NAME = re.compile(r"^(\d{6})_([A-Za-z0-9]+)_([0-9]+)_calcfacthour", re.IGNORECASE)
ATS_TITLE = "Ежемесячный отчет по часам пиковой нагрузки для субъектов Российской Федерации"
RATE_WORDS = {"fact": "факт", "over": "факт>план", "under": "план>факт"}

Grid = list[list[str | None]]


def voltage_code(text: str | None) -> str | None:
    """«СН-II», «CH2» (Latin), «SN2», «сн 2» -> 'SN2'; the text itself when not a voltage level."""
    if text is None:
        return None
    return _VOLTAGE.get(re.sub(r"[\s\-–.]", "", text.translate(_LATIN)).upper(), text)


def _component_code(text: str | None) -> str | None:
    return None if text is None else _COMPONENT.get(labels.normalize(text), text)


def _rate_code(text: str | None) -> str | None:
    return None if text is None else _RATE.get(labels.normalize(text).replace(" ", ""),
                                              _RATE.get(labels.normalize(text), text))


def _month_text(text: str | None) -> str | None:
    """«2026-11», «11.2026», «202611», a date «2026-11-01» -> «2026-11»; else the text."""
    if text is None:
        return None
    t = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-01(?:[ T]00:00(?::00)?)?", t)
    if m:
        t = f"{m.group(1)}-{m.group(2)}"
    try:
        p = parse_period(t)
    except ValueError:
        return text
    return f"{p // 100}-{p % 100:02d}"


_FIXES = {"voltage": voltage_code, "component": _component_code, "rate": _rate_code, "period": _month_text,
          "month": _month_text}


# ------------------------------------------------------------------------------------------- reading
def sheets(data: bytes, name: str) -> list[tuple[str, Grid]]:
    """The file as text grids: every sheet of an XLSX/XLS (python-calamine), one for a CSV."""
    if name.lower().endswith((".xlsx", ".xls", ".xlsm")):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(_stdio.BytesIO(data))
            return [(s, [[_cell_text(v) for v in row] for row in
                         book.get_sheet_by_name(s).to_python(skip_empty_area=False)]) for s in book.sheet_names]
        except Exception as exc:  # noqa: BLE001 - calamine raises its own error types for broken files
            raise ValidationError([RowError(name, 1, f"не удалось прочитать файл Excel: {exc}")]) from None
    text = _decode(data)
    reader = csv.reader(_stdio.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    return [("", [[(c.strip() or None) for c in row] for row in reader])]


def _canonical(cell: str | None) -> str:
    return _CANON.get(labels.normalize(cell or ""), labels.normalize(cell or ""))


def detect(name: str, grids: list[tuple[str, Grid]]) -> str | None:
    """The kind of a price file from its name and content, None when unclear."""
    if "calcfacthour" in name.lower():
        return "peak_hours"
    if any(HOURS_SHEET.match(s) for s, _ in grids):
        return "price_hours"
    first = grids[0][1] if grids else []
    if any(c and "пиковой нагрузки" in c.lower() for row in first[:15] for c in row):
        return "peak_hours"
    head = next((r for r in first if any(r)), [])
    names = {_canonical(c) for c in head}
    if "component" in names:
        return "price_table"
    if "rate" in names or {"category", "hour"} <= names:
        return "price_hours"
    if "windows" in names:
        return "so_windows"
    if "point" in names:
        return "hour_plan"
    return None


def _long(kind: str, file: str, grid: Grid) -> tuple[pa.Table, list[RowError]]:
    """A long table (the header in the first non-empty row) -> text columns of the kind and `_row`."""
    columns = [c.name for c in COLUMNS[kind]]
    label = file
    errors: list[RowError] = []
    start = next((i for i, r in enumerate(grid) if any(r)), None)
    if start is None:
        return pa.table({"_row": pa.array([], pa.int64()), **{c: pa.array([], pa.string()) for c in columns}}), [
            RowError(label, 1, "файл пуст")]
    head = [_canonical(c) for c in grid[start]]
    while head and head[-1] == "":
        head.pop()
    for i, h in enumerate(head):
        if h and h not in columns:
            errors.append(RowError(label, start + 1, f"неизвестная колонка (ожидаются: {', '.join(columns)})",
                                   grid[start][i]))
        elif h and head.index(h) != i:
            errors.append(RowError(label, start + 1, "колонка указана дважды", h))
    for c in COLUMNS[kind]:
        if c.required and c.name not in head:
            errors.append(RowError(label, start + 1, "нет обязательной колонки", c.name))
    index = {h: i for i, h in reversed(list(enumerate(head))) if h in columns}
    numbers: list[int] = []
    cols: dict[str, list[str | None]] = {c: [] for c in columns}
    for n, row in enumerate(grid[start + 1:], start=start + 2):
        if not any(row):
            continue
        if len(row) > len(head) and any(row[len(head):]):
            errors.append(RowError(label, n, f"лишние значения: в строке {len(row)} полей, в заголовке {len(head)}"))
            continue
        numbers.append(n)
        for c in columns:
            i = index.get(c)
            v = row[i] if i is not None and i < len(row) else None
            cols[c].append(_FIXES[c](v) if c in _FIXES else v)
    table = pa.table({"_row": pa.array(numbers, pa.int64()), **{c: pa.array(v, pa.string()) for c, v in cols.items()}})
    return table, errors


def _hours_sheets(file: str, grids: list[tuple[str, Grid]], notes: list[str]) -> tuple[pa.Table, list, list]:
    """Sheets «3 ЦК СН2 факт» (rows = days, date in column A, hours 1–24 in B…Y) -> long rows."""
    errors: list[RowError] = []
    places: list[tuple[str, int, str]] = []
    cols: dict[str, list[str | None]] = {c: [] for c in ("category", "voltage", "rate", "date", "hour", "value")}
    skipped = []
    for sheet, grid in grids:
        m = HOURS_SHEET.match(sheet)
        where = f"{file}, лист «{sheet}»"
        if not m:
            skipped.append(sheet)
            continue
        category, volt, rate = m.group(1), voltage_code(m.group(2)), _rate_code(m.group(3))
        if volt not in ("VN", "SN1", "SN2", "NN"):
            errors.append(RowError(where, 1, f"в имени листа не распознан уровень напряжения «{m.group(2)}» "
                                   "(ВН, СН1, СН2, НН)"))
            continue
        if rate not in RATE_WORDS:
            errors.append(RowError(where, 1, f"в имени листа не распознана ставка «{m.group(3)}» (факт, факт>план, "
                                   "план>факт)"))
            continue
        want = [str(h) for h in range(1, 25)]
        head = next((i for i, r in enumerate(grid) if [(c or "").strip() for c in r[1:25]] == want), None)
        if head is None:
            errors.append(RowError(where, 1, "не найдена строка заголовка: в колонках B…Y должны быть часы 1…24"))
            continue
        for n, row in enumerate(grid[head + 1:], start=head + 2):
            if not any(row):
                continue
            if not row[0]:
                errors.append(RowError(where, n, "нет даты в колонке A"))
                continue
            if len(row) > 25 and any(row[25:]):
                errors.append(RowError(where, n, "значения правее колонки Y (часа 24)"))
            for h in range(1, 25):
                cols["category"].append(category)
                cols["voltage"].append(volt)
                cols["rate"].append(rate)
                cols["date"].append(row[0])
                cols["hour"].append(str(h))
                cols["value"].append(row[h] if h < len(row) else None)
                places.append((where, n, f"час {h}"))
    if skipped:
        notes.append("Пропущены листы (имя не вида «3 ЦК СН2 факт»): " + ", ".join(f"«{s}»" for s in skipped) + ".")
    if not places and not errors:
        errors.append(RowError(file, 1, "нет ни одного листа почасовых ставок (имя листа вида «3 ЦК СН2 факт»)"))
    table = pa.table({"_row": pa.array(range(len(places)), pa.int64()),
                      **{c: pa.array(v, pa.string()) for c, v in cols.items()}})
    return table, errors, places


_DATE_TEXT = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})")


def _peak_grid(file: str, grid: Grid) -> tuple[pa.Table, list[RowError], tuple[str, int] | None]:
    """The calcfacthour layout: the cell «Дата», data rows below it (date | hour), up to the first empty
    row after the data (rows between the header and the first date are sub-headers)."""
    found = next(((i, j) for i, r in enumerate(grid) for j, c in enumerate(r)
                  if c and labels.normalize(c) == "дата"), None)
    if found is None:
        return pa.table({"_row": pa.array([], pa.int64()), "date": pa.array([], pa.string()),
                         "hour": pa.array([], pa.string())}), [
            RowError(file, 1, "не найдена ячейка «Дата» (файл АТС calcfacthour: дата | час пиковой нагрузки)")], None
    i0, j = found
    rows, dates, hours = [], [], []
    started = False
    for n, row in enumerate(grid[i0 + 1:], start=i0 + 2):
        cells = row[j:j + 2] + [None] * (2 - len(row[j:j + 2]))
        if not any(cells):
            if started:
                break
            continue
        if not started and not (cells[0] and _DATE_TEXT.match(cells[0])):
            continue                      # a sub-header under «Дата»
        started = True
        rows.append(n)
        dates.append(cells[0])
        hours.append(cells[1])
    return (pa.table({"_row": pa.array(rows, pa.int64()), "date": pa.array(dates, pa.string()),
                      "hour": pa.array(hours, pa.string())}), [], (file, i0 + 1))


def parse(data: bytes, name: str, kind: str | None = None, region: str | None = None) -> PriceInput:
    """A price file -> `PriceInput` (the kind detected unless given). Layout problems are in `errors`."""
    grids = sheets(data, name)
    kind = kind or detect(name, grids)
    if kind is None:
        raise SbytError(f"{name}: не удалось определить вид файла цен; укажите --kind "
                        f"({', '.join(f'{k} — {KIND_TITLES[k]}' for k in KINDS)}).")
    if kind not in KINDS:
        raise SbytError(f"Вид файла цен: {', '.join(KINDS)}, а не «{kind}».")
    sha = hashlib.sha256(data).hexdigest()
    notes: list[str] = []
    if kind == "price_hours" and any(HOURS_SHEET.match(s) for s, _ in grids):
        rows, errors, places = _hours_sheets(name, grids, notes)
        return PriceInput(kind, name, sha, rows, places, errors, notes)
    if kind == "peak_hours":
        rows, errors, head = _peak_grid(name, grids[0][1] if grids else [])
        m = ATS_NAME.match(name.rsplit("/", 1)[-1])
        period = None
        if m:
            try:
                period = parse_period(m.group(1))
            except ValueError:
                errors.append(RowError(name, 1, f"в имени файла не месяц: «{m.group(1)}»"))
        return PriceInput(kind, name, sha, rows, None, errors, notes, head, period,
                          region or (m.group(3) if m else None))
    rows, errors = _long(kind, name, grids[0][1] if grids else [])
    return PriceInput(kind, name, sha, rows, None, errors, notes)


# ------------------------------------------------------------------------------------------- templates
TEMPLATE_HEADS = {k: [c.name for c in COLUMNS[k]] for k in KINDS if k != "peak_hours"}


def template(kind: str, name: str, period: int | None = None) -> bytes:
    """An empty template of a kind to fill: CSV (long layouts) or XLSX (by the name's suffix). The hourly
    rates' XLSX and the peak hours carry the days of `period` (the working days for peak hours)."""
    if kind not in KINDS:
        raise SbytError(f"Шаблон: {', '.join(KINDS)}, а не «{kind}».")
    xlsx = name.lower().endswith(".xlsx")
    if not xlsx and not name.lower().endswith(".csv"):
        raise SbytError(f"Шаблон записывается в .xlsx или .csv, а не «{name}».")
    if kind == "peak_hours":
        return _peak_template(period, xlsx)
    if kind == "price_hours" and xlsx:
        return _hours_template(period)
    heads = TEMPLATE_HEADS[kind]
    if not xlsx:
        return csv_bytes(heads, [])
    return _book([("Данные", [heads], None)], kind)


def _book(sheets_: list[tuple[str, Grid | list[list[object]], int | None]], kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, rows, bold_row in sheets_:
        sh = book.create_sheet(title)
        for r in rows:
            sh.append(list(r))
        for cell in sh[bold_row or 1]:
            cell.font = Font(bold=True)
        sh.column_dimensions["A"].width = 14
    about = book.create_sheet("Описание")
    about.append(["Колонка", "Обязательная", "Что указать", "Пример"])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for c in COLUMNS[kind]:
        about.append([c.name, "да" if c.required else "нет", c.doc, c.example])
    about.append([])
    about.append([f"Загрузка: sbyt prices import ФАЙЛ --kind {kind}. Ошибка в любой строке — файл не загружается, "
                  "выводится каждая ошибка с номером строки; тот же файл повторно не загружается. Подробно: "
                  "docs/prices.md."])
    about.column_dimensions["C"].width = 90
    buf = _stdio.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _days(period: int | None) -> list[date]:
    if period is None:
        return []
    d0 = first_day(period)
    return [date(d0.year, d0.month, k) for k in range(1, days_in(period) + 1)]


def _hours_template(period: int | None) -> bytes:
    head: list[object] = ["Дата", *range(1, 25)]
    rows: list[list[object]] = [head, *[[d] for d in _days(period)]]
    return _book([(f"{c} ЦК СН2 {w}", rows, 1) for c, w in ((3, "факт"), (5, "факт"), (5, "факт>план"),
                                                             (5, "план>факт"))], "price_hours")


def _peak_template(period: int | None, xlsx: bool) -> bytes:
    from sbyt.core.workdays import is_working_day

    days = [d for d in _days(period) if is_working_day(d)]
    month = f" за {period_label(period)}" if period else ""
    rows: list[list[object]] = [[ATS_TITLE], [f"Часы пиковой нагрузки{month}"], [], ["Дата", "Час"], [],
                                *[[f"{d:%d.%m.%Y}", None] for d in days]]
    if not xlsx:
        buf = _stdio.StringIO()
        csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows([["" if v is None else v for v in r]
                                                                        for r in rows])
        return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")
    return _book([("Часы пиковой нагрузки", rows, 4)], "peak_hours")
