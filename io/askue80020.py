"""АСКУЭ message «80020» (ATS XML of half-hourly/hourly energy per metering point): bytes in, tables out.

`parse_80020(data, file_name) -> Message80020`, pure (no database). Every problem of the file is
collected and raised as one `ValidationError` (sbyt.core.errors; `errors` = one `RowError` per
problem with the source line); nothing is returned then. Layout: docs/research/formats.md § 2.

XML is read with the standard library's expat (lxml is not installed): our own start/end handlers
build a small tree and record `CurrentLineNumber` of every start tag, so each point, period and
value has its source line. DOCTYPE is refused (no entities). Encoding: the bytes are tried as
UTF-8, otherwise the declared encoding, otherwise CP1251 (a real sample has its declaration blanked
to spaces while its bytes are CP1251); the text is handed to expat as UTF-8 with the declaration
overridden, so the line numbers are those of the file.

What the two real samples (samples/askue_80020) show:
- 2010 ГТ-ТЭЦ Саранск (Oracle Reports, CP1251, CRLF): 1 area, 8 `measuringpoint`s × channels
  01..04, 48 half-hour periods each (0000–0030 … 2330–0000), all `status="0"`, integer values;
  `<daylightsavingtime>1</daylightsavingtime>`.
- 2021 test file (UTF-8, named …_20190101_… but `<day>20210320</day>`): 2 areas holding the same
  point code 531a68_1 (so a point is keyed by area INN + code), a `deliverypoint` with 45 of 48
  half-hours (19:00–20:30 missing), hourly channels 03..05 (0000–0100 … 2300–0000), statuses 0, 16
  and 18, `daylightsavingtime` 1 in 2021, when Russia had no clock change at all: the flag is
  kept as stated (`dst`), never used to shift times. No `period@summer`, no `extendedstatus` and
  no unit anywhere: values are kWh (kvarh on reactive channels 03/04), stored ×1000 as (var)Wh.
- Summer/winter time: the last period ends at "0000" (midnight). On a historical clock-change day
  the repeated hour is told apart by `period@summer` (formats.md); such a day is refused here.

Points are `measuringpoint`, `accountpoint` and `deliverypoint` (same children). Any `period`
elsewhere (`deliverygroup`, `peretok`, …) is an error rather than silently dropped data.
A value may be empty (non-commercial): value_wh is null and the hour is not complete.

Hours: hour h (1..24, ATS notation) holds the intervals starting in [h-1:00, h:00). `intervals`
counts them, value_wh sums the non-empty ones, `complete` = the valued intervals cover 60 minutes.
Status rule: status "0" and an absent status are normal; the hour's status is the status of the
first (earliest) interval of the hour that is not normal, null when all are normal (the codes
16/18 have no known order, so "worst" cannot be decided; "first" is deterministic). Every hour
1..24 of every point × channel is emitted, missing hours with 0 Wh, 0 intervals, complete False.
"""

from __future__ import annotations

import hashlib
import re
import xml.parsers.expat as expat
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NoReturn

import pyarrow as pa

from sbyt.core.errors import RowError, ValidationError

POINT_TAGS = ("measuringpoint", "accountpoint", "deliverypoint")
NORMAL_STATUSES = (None, "0")

INTERVALS_SCHEMA = pa.schema([
    ("area_inn", pa.string()), ("point_kind", pa.string()), ("point_code", pa.string()),
    ("point_name", pa.string()), ("channel", pa.string()), ("channel_desc", pa.string()),
    ("start", pa.string()), ("end", pa.string()), ("minutes", pa.int16()), ("value_wh", pa.int64()),
    ("status", pa.string()), ("extended", pa.string()), ("line", pa.int32()),
])
HOURS_SCHEMA = pa.schema([
    ("area_inn", pa.string()), ("point_kind", pa.string()), ("point_code", pa.string()),
    ("channel", pa.string()), ("hour", pa.int8()), ("value_wh", pa.int64()), ("intervals", pa.int8()),
    ("status", pa.string()), ("complete", pa.bool_()),
])


@dataclass(frozen=True)
class Message80020:
    file_name: str
    sha256: str            # of the bytes
    number: str            # message @number
    day: date              # the data day (datetime/day)
    sender_inn: str
    sender_name: str
    dst: str | None        # datetime/daylightsavingtime as stated, None when absent
    intervals: pa.Table    # INTERVALS_SCHEMA: one row per point × channel × period, in file order
    hours: pa.Table        # HOURS_SCHEMA: 24 rows per point × channel


@dataclass
class _Node:
    tag: str
    attrib: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def find(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findtext(self, tag: str) -> str | None:
        node = self.find(tag)
        return None if node is None else node.text

    def iter(self):
        yield self
        for c in self.children:
            yield from c.iter()


_DECL_ENC = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":      # a UTF-8 file cut inside a character
            return data[:exc.start].decode("utf-8-sig")
    m = _DECL_ENC.match(data[:200])
    declared = m.group(1).decode("ascii") if m else ""
    try:
        return data.decode(declared if declared.lower().replace("-", "") not in ("", "utf8") else "cp1251")
    except (LookupError, UnicodeDecodeError):
        raise ValueError(f"не удалось прочитать текст файла: не UTF-8 и не {declared or 'CP1251'}") from None


def _tree(text: str) -> _Node:
    """The document as _Node's; ValueError(line, message) when it is not well-formed."""
    parser = expat.ParserCreate(encoding="utf-8")
    parser.buffer_text = True
    stack: list[_Node] = []
    root: list[_Node] = []

    def start(tag, attrib):
        node = _Node(tag, attrib, parser.CurrentLineNumber)
        (stack[-1].children if stack else root).append(node)
        stack.append(node)

    def doctype(*_):
        raise ValueError(parser.CurrentLineNumber, "DOCTYPE в файле 80020 не допускается")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: stack.pop()
    parser.CharacterDataHandler = lambda s: stack[-1].parts.append(s) if stack else None
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as exc:
        where = f"; не закрыт элемент «{stack[-1].tag}» со строки {stack[-1].line}" if stack else ""
        raise ValueError(exc.lineno, f"повреждённый XML: {expat.ErrorString(exc.code)} "
                                     f"(строка {exc.lineno}, позиция {exc.offset + 1}){where}") from None
    return root[0]


def _minutes(hhmm: str | None, is_end: bool) -> int | None:
    if hhmm is None or not re.fullmatch(r"\d{4}", hhmm) or int(hhmm[:2]) > 23 or int(hhmm[2:]) > 59:
        return None
    m = int(hhmm[:2]) * 60 + int(hhmm[2:])
    return 1440 if is_end and m == 0 else m


def _value_wh(text: str) -> int | None:
    """kWh text -> Wh, exact; None for an empty value; ValueError with the Russian message."""
    if text == "":
        return None
    if not re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", text):
        raise ValueError(f"значение «{text}» не число")
    wh = Decimal(text.replace(",", ".")) * 1000
    if wh < 0:
        raise ValueError(f"отрицательное значение «{text}»")
    if wh != wh.to_integral_value():
        raise ValueError(f"значение «{text}» точнее 1 Вт·ч")
    return int(wh)


def _header(root: _Node, file_name: str, errors: list[RowError]) -> tuple[date | None, _Node | None]:
    dt = root.find("datetime")
    day_node = dt.find("day") if dt is not None else None
    if day_node is None:
        errors.append(RowError(file_name, (root if dt is None else dt).line, "нет элемента datetime/day (день данных)"))
        return None, dt
    t = day_node.text
    try:
        if not re.fullmatch(r"\d{8}", t):
            raise ValueError
        return date(int(t[:4]), int(t[4:6]), int(t[6:])), dt
    except ValueError:
        errors.append(RowError(file_name, day_node.line, f"неверная дата дня «{t}» (ожидается ГГГГММДД)"))
        return None, dt


def _periods(file_name: str, point: tuple, name: str | None, ch: _Node, errors: list[RowError],
             rows: list[dict], spans: dict[tuple, list], seen: set[int]) -> None:
    code, desc = ch.attrib.get("code"), ch.attrib.get("desc")
    if not code:
        errors.append(RowError(file_name, ch.line, "у канала measuringchannel нет атрибута code"))
    for p in (c for c in ch.children if c.tag == "period"):
        seen.add(id(p))
        s, e = p.attrib.get("start"), p.attrib.get("end")
        a, b = _minutes(s, False), _minutes(e, True)
        label = f"{s}–{e}"
        if a is None or b is None:
            errors.append(RowError(file_name, p.line, f"неверный период «{label}» (ожидается ЧЧММ–ЧЧММ)"))
            continue
        if b <= a:
            errors.append(RowError(file_name, p.line, f"период {label}: конец не позже начала"))
            continue
        if b - a not in (30, 60):
            errors.append(RowError(file_name, p.line, f"период {label}: длина {b - a} мин, ожидается 30 или 60"))
            continue
        if a % (b - a):
            unit = "часу" if b - a == 60 else "получасу"
            errors.append(RowError(file_name, p.line, f"период {label} не выровнен по {unit}"))
            continue
        spans.setdefault((*point, code), []).append((a, b, p.attrib.get("summer"), p.line, label))
        values = [v for v in p.children if v.tag == "value"]
        if len(values) != 1:
            errors.append(RowError(file_name, p.line, f"период {label}: элементов value {len(values)}, ожидается 1"))
            continue
        v = values[0]
        try:
            wh = _value_wh(v.text)
        except ValueError as exc:
            errors.append(RowError(file_name, v.line, str(exc)))
            continue
        rows.append(dict(zip(INTERVALS_SCHEMA.names, (
            *point, name, code, desc, s, e, b - a, wh, v.attrib.get("status"),
            v.attrib.get("extendedstatus"), v.line)), _a=a))


def _overlaps(file_name: str, spans: list[tuple], errors: list[RowError]) -> None:
    """Duplicate or overlapping periods of one point × channel: one error at the later period's line."""
    last = None
    for sp in sorted(spans, key=lambda x: (x[0], x[3])):
        if last is not None and sp[0] < last[1]:
            if sp[2] != last[2]:
                msg = f"период {sp[4]} повторяется с другим признаком summer: день перевода часов не поддерживается"
            elif sp[:2] == last[:2]:
                msg = f"период {sp[4]} повторяется (уже был в строке {last[3]})"
            else:
                msg = f"период {sp[4]} пересекается с периодом {last[4]} (строка {last[3]})"
            errors.append(RowError(file_name, max(sp[3], last[3]), msg))
        if last is None or sp[1] > last[1]:
            last = sp


def _hours(rows: list[dict]) -> pa.Table:
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["area_inn"], r["point_kind"], r["point_code"], r["channel"]), []).append(r)
    out: dict[str, list] = {n: [] for n in HOURS_SCHEMA.names}
    for key, items in groups.items():
        by_hour: dict[int, list[dict]] = {}
        for r in sorted(items, key=lambda r: r["_a"]):
            by_hour.setdefault(r["_a"] // 60 + 1, []).append(r)
        for h in range(1, 25):
            got = by_hour.get(h, [])
            bad = [r["status"] for r in got if r["status"] not in NORMAL_STATUSES]
            for k, v in zip(HOURS_SCHEMA.names, (
                    *key, h, sum(r["value_wh"] or 0 for r in got), len(got), bad[0] if bad else None,
                    sum(r["minutes"] for r in got if r["value_wh"] is not None) == 60)):
                out[k].append(v)
    return pa.table(out, schema=HOURS_SCHEMA)


def parse_80020(data: bytes, file_name: str) -> Message80020:
    errors: list[RowError] = []
    try:
        root = _tree(_decode(data))
    except ValueError as exc:
        line, msg = exc.args if len(exc.args) == 2 else (1, exc.args[0])
        _raise(file_name, [RowError(file_name, line, msg)])
    if root.tag != "message" or root.attrib.get("class") != "80020":
        _raise(file_name, [RowError(file_name, root.line, f"это не сообщение 80020: корневой элемент «{root.tag}»"
                                                          f", class «{root.attrib.get('class', '')}»")])
    day, dt = _header(root, file_name, errors)
    sender = root.find("sender")
    rows: list[dict] = []
    spans: dict[tuple, list] = {}
    seen: set[int] = set()
    for area in (c for c in root.children if c.tag == "area"):
        area_inn = area.findtext("inn")
        for pt in (c for c in area.children if c.tag in POINT_TAGS):
            code = pt.attrib.get("code")
            if not code:
                errors.append(RowError(file_name, pt.line, f"у точки {pt.tag} нет атрибута code"))
            for ch in (c for c in pt.children if c.tag == "measuringchannel"):
                _periods(file_name, (area_inn, pt.tag, code), pt.attrib.get("name"), ch, errors,
                         rows if code else [], spans if code else {}, seen)
    for key_spans in spans.values():
        _overlaps(file_name, key_spans, errors)
    for node in root.iter():
        if any(c.tag == "period" and id(c) not in seen for c in node.children):
            errors.append(RowError(file_name, node.line, f"периоды внутри «{node.tag}» не поддерживаются: "
                                   f"ожидается area/{'|'.join(POINT_TAGS)}/measuringchannel/period"))
    if errors:
        _raise(file_name, sorted(errors, key=lambda e: e.row))
    assert day is not None
    intervals = pa.table({n: [r[n] for r in rows] for n in INTERVALS_SCHEMA.names}, schema=INTERVALS_SCHEMA)
    return Message80020(file_name, hashlib.sha256(data).hexdigest(), root.attrib.get("number", ""), day,
                        (sender.findtext("inn") if sender is not None else None) or "",
                        (sender.findtext("name") if sender is not None else None) or "",
                        dt.findtext("daylightsavingtime") if dt is not None else None, intervals, _hours(rows))


def _raise(file_name: str, errors: list[RowError]) -> NoReturn:
    raise ValidationError(errors, f"Файл 80020 «{file_name}» не загружен: ошибок {len(errors)}. Ничего не записано.")
