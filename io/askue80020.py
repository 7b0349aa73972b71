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
import os
import re
import xml.parsers.expat as expat
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from collections.abc import Callable, Iterable
from typing import NoReturn

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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


def _tree(raw: bytes) -> _Node:
    """The UTF-8 document as _Node's; ValueError(line, message) when it is not well-formed."""
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
        parser.Parse(raw, True)
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
            v.attrib.get("extendedstatus"), v.line))))


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


def _start_minutes(starts: pa.ChunkedArray) -> np.ndarray:
    """'HHMM' texts (already checked to be 4 digits) -> minutes since midnight."""
    arr = starts.combine_chunks()
    if not len(arr):
        return np.zeros(0, np.int64)
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    offs = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset:arr.offset + len(arr)]
    d = data[offs[:, None] + np.arange(4)].astype(np.int64) - 48
    return (d[:, 0] * 10 + d[:, 1]) * 60 + d[:, 2] * 10 + d[:, 3]


def _hours(iv: pa.Table) -> pa.Table:
    """Intervals -> 24 hours per point × channel (groups in order of first appearance), vectorised."""
    keys = pc.binary_join_element_wise(*(iv.column(k) for k in ("area_inn", "point_kind", "point_code", "channel")),
                                       "\x1f", null_handling="replace", null_replacement="\x00")
    codes = pc.dictionary_encode(keys).combine_chunks().indices.to_numpy(zero_copy_only=False).astype(np.int64) \
        if len(iv) else np.zeros(0, np.int64)
    groups, first = np.unique(codes, return_index=True)
    order_of_first = np.argsort(first, kind="stable")
    first = first[order_of_first]
    n = len(first)
    a = _start_minutes(iv.column("start"))
    key = codes * 24 + a // 60
    valued = pc.is_valid(iv.column("value_wh")).to_numpy(zero_copy_only=False)
    wh_int = pc.fill_null(iv.column("value_wh"), 0).to_numpy()
    size = (int(codes.max()) + 1 if n else 0) * 24
    value = np.zeros(size, np.int64)
    np.add.at(value, key, wh_int)
    count = np.bincount(key, minlength=size)
    minutes = np.bincount(key, weights=np.where(valued, iv.column("minutes").to_numpy(), 0), minlength=size)
    status = np.full(size, None, dtype=object)
    st = np.array(iv.column("status").to_pylist(), dtype=object)
    bad = np.flatnonzero(~np.isin(st, [s for s in NORMAL_STATUSES if s is not None]) & (st != None))  # noqa: E711
    if len(bad):
        bad = bad[np.lexsort((a[bad], key[bad]))]
        k, at = np.unique(key[bad], return_index=True)
        status[k] = st[bad[at]]
    rows = (codes[first][:, None] * 24 + np.arange(24)).ravel()
    take = np.repeat(first, 24)
    out = {k: iv.column(k).take(pa.array(take)) for k in ("area_inn", "point_kind", "point_code", "channel")}
    out |= {"hour": pa.array(np.tile(np.arange(1, 25, dtype=np.int8), n)), "value_wh": pa.array(value[rows]),
            "intervals": pa.array(count[rows].astype(np.int8)), "status": pa.array(status[rows], pa.string()),
            "complete": pa.array(minutes[rows] == 60)}
    return pa.table(out, schema=HOURS_SCHEMA)


_PERIOD = re.compile(rb'\s*<period start="([0-9]{4})" end="([0-9]{4})"\s*>\s*<value(?: status="([^"&<]+)")?\s*>'
                     rb'([0-9]{1,15}(?:\.[0-9]{1,3})?)?</value\s*>\s*</period\s*>')
_PERIODS = re.compile(b"(?:" + _PERIOD.pattern + rb")*\s*")
_VALUE_TAG = b"<value"


@dataclass(frozen=True)
class _Fast:
    """The periods of every channel element cut out with NumPy over the bytes (the canonical layout
    only, checked by `_PERIODS` per channel: anything else makes `_fast_split` return None and the
    file is read element by element)."""

    raw: bytes                    # the document with the channels' contents blanked to their newlines
    blocks: dict[int, int]        # line of a channel's start tag -> its block number
    counts: list[int]             # periods per block
    start: np.ndarray             # (n, 4) digits of period@start, @end
    end: np.ndarray
    value_wh: np.ndarray          # int64; -1 where the value is empty
    status: np.ndarray            # object: the value's @status, None when absent
    lines: np.ndarray             # the line of each period's value element


def _tags(arr: np.ndarray, lt: np.ndarray, tag: bytes, then: bytes = b"") -> np.ndarray:
    """Positions of `tag` in the bytes (followed by one of `then` when given); `lt`: those of '<'."""
    at = lt[lt < len(arr) - len(tag) - 1]
    for k, c in enumerate(tag[1:], start=1):
        at = at[arr[at + k] == c]
    return at[np.isin(arr[at + len(tag)], list(then))] if then else at


_POW10 = 10 ** np.arange(19, dtype=np.int64)
_STATUS = np.frombuffer(b' status="', dtype=np.uint8)


def _fast_split(raw: bytes) -> _Fast | None:
    arr = np.frombuffer(raw, dtype=np.uint8)
    newlines = np.flatnonzero(arr == 10)
    parts, blocks, counts, pos = [], {}, [], 0
    at = raw.find(b"<measuringchannel")
    while at >= 0:
        head_end = raw.find(b">", at)
        close = raw.find(b"</measuringchannel", head_end)
        if head_end < 0 or close < 0 or raw[at + 17:at + 18] not in (b" ", b"\t", b"\r", b"\n", b">"):
            return None
        inner = raw[head_end + 1:close]
        if not _PERIODS.fullmatch(inner):
            return None
        line = int(np.searchsorted(newlines, at, "right")) + 1
        if line in blocks:
            return None
        blocks[line] = len(counts)
        counts.append(inner.count(b"<period"))
        parts += [raw[pos:head_end + 1], b"\n" * inner.count(b"\n")]
        pos = close
        at = raw.find(b"<measuringchannel", close + 1)
    parts.append(raw[pos:])
    # every period and value element is inside a checked channel: their positions give the fields
    lt = np.flatnonzero(arr == 60)
    per = _tags(arr, lt, b'<period start="')
    val = _tags(arr, lt, _VALUE_TAG, b" \t\r\n>/")
    if len(per) != sum(counts) or len(val) != len(per):
        return None
    pad = np.concatenate([arr, np.zeros(32, np.uint8)])
    gt = np.flatnonzero(arr == 62)
    quote = np.flatnonzero(arr == 34)
    head = gt[np.searchsorted(gt, val)]                   # the '>' closing <value ...>
    text_end = lt[np.searchsorted(lt, head)]              # the '<' of </value>
    n_text = text_end - head - 1
    j = np.arange(int(n_text.max()) if len(n_text) else 0, dtype=np.int16)   # the longest value text
    chars = pad[(head + 1)[:, None] + j]
    inside = j < n_text[:, None]
    dots = (chars == 46) & inside
    dot = np.where(dots.any(axis=1), dots.argmax(axis=1), n_text).astype(np.int16)[:, None]
    exp = np.where(j < dot, dot + 2 - j, np.where((j > dot) & inside, dot + 3 - j, -1))  # of 10, in Wh
    wh = (np.where(exp >= 0, chars.astype(np.int64) - 48, 0) * _POW10[np.maximum(exp, 0)]).sum(axis=1)
    has_status = (pad[(val + 6)[:, None] + np.arange(len(_STATUS))] == _STATUS).all(axis=1)
    status = np.full(len(val), None, dtype=object)
    if has_status.any():
        s_at = val[has_status] + 6 + len(_STATUS)
        s_len = quote[np.searchsorted(quote, s_at)] - s_at
        if s_len.max() > 8:
            return None
        k = np.arange(8)
        key = np.where(k < s_len[:, None], pad[s_at[:, None] + k].astype(np.uint64), 0) @ (256 ** k).astype(np.uint64)
        codes, inv = np.unique(key, return_inverse=True)
        names = np.array([int(c).to_bytes(8, "little").rstrip(b"\0").decode("ascii") for c in codes], dtype=object)
        status[has_status] = names[inv]
    return _Fast(b"".join(parts), blocks, counts, pad[per[:, None] + 15 + np.arange(4)],
                 pad[per[:, None] + 26 + np.arange(4)], np.where(n_text > 0, wh, -1), status,
                 np.searchsorted(newlines, val, "right") + 1)


def _utf8(data: bytes) -> bytes | None:
    """The bytes themselves (without a BOM) when they are UTF-8, as `_decode` would read them."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return body


def _hhmm_text(d: np.ndarray) -> pa.Array:
    """(n, 4) ASCII digits -> their 4-character strings, without a Python object per row."""
    n = len(d)
    return pa.StringArray.from_buffers(n, pa.py_buffer(np.arange(0, 4 * n + 1, 4, dtype=np.int32)),
                                       pa.py_buffer(np.ascontiguousarray(d, dtype=np.uint8)))


def _fast_intervals(fast: _Fast, used: list[tuple]) -> pa.Table | None:
    """The intervals of the blocks the tree walk met (`used`: block, point tuple, point name,
    channel code, desc; in document order), or None when a check fails (the slow path then names it)."""
    if [u[0] for u in used] != list(range(len(fast.counts))):
        return None
    n = len(fast.value_wh)
    block = pa.array(np.repeat(np.arange(len(used)), fast.counts))
    cols = {name: pa.array([u[1][k] for u in used], pa.string()).take(block)
            for k, name in enumerate(("area_inn", "point_kind", "point_code"))}
    for k, name in enumerate(("point_name", "channel", "channel_desc"), start=2):
        cols[name] = pa.array([u[k] for u in used], pa.string()).take(block)
    s, e = fast.start.astype(np.int64) - 48, fast.end.astype(np.int64) - 48
    sh, sm, eh, em = s[:, 0] * 10 + s[:, 1], s[:, 2] * 10 + s[:, 3], e[:, 0] * 10 + e[:, 1], e[:, 2] * 10 + e[:, 3]
    a, b = sh * 60 + sm, eh * 60 + em
    b = np.where(b == 0, 1440, b)
    dur = b - a
    if not ((sh <= 23) & (sm <= 59) & (eh <= 23) & (em <= 59) & (b > a) & np.isin(dur, (30, 60))
            & (a % np.maximum(dur, 1) == 0)).all():
        return None
    group = {}
    gid = np.array([group.setdefault((*u[1], u[3]), len(group)) for u in used], dtype=np.int64)
    gid = np.repeat(gid, fast.counts)
    order = np.lexsort((a, gid))
    ga, gb, gg = a[order], b[order], gid[order]
    if ((gg[1:] == gg[:-1]) & (ga[1:] < gb[:-1])).any():
        return None
    cols |= {"start": _hhmm_text(fast.start), "end": _hhmm_text(fast.end),
             "minutes": pa.array(dur.astype(np.int16)),
             "value_wh": pa.array(fast.value_wh, mask=fast.value_wh < 0),
             "status": pa.array(fast.status, pa.string()),
             "extended": pa.nulls(n, pa.string()), "line": pa.array(fast.lines.astype(np.int32))}
    return pa.table({k: cols[k] for k in INTERVALS_SCHEMA.names}, schema=INTERVALS_SCHEMA)


def parse_80020(data: bytes, file_name: str, *, fast: bool = True) -> Message80020:
    """`fast`: cut the periods out by regular expressions when the file has the canonical layout
    (the one АСКУЭ exports write); the element-by-element reading gives the same tables and names
    every problem. A file the fast path doubts is read element by element."""
    errors: list[RowError] = []
    try:
        raw = _utf8(data) if fast else None
        raw = raw if raw is not None else _decode(data).encode("utf-8")
        cut = _fast_split(raw) if fast else None
        root = _tree(cut.raw if cut else raw)
    except ValueError as exc:
        if fast:
            return parse_80020(data, file_name, fast=False)
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
    used: list[tuple] = []
    for area in (c for c in root.children if c.tag == "area"):
        area_inn = area.findtext("inn")
        for pt in (c for c in area.children if c.tag in POINT_TAGS):
            code = pt.attrib.get("code")
            if not code:
                errors.append(RowError(file_name, pt.line, f"у точки {pt.tag} нет атрибута code"))
            for ch in (c for c in pt.children if c.tag == "measuringchannel"):
                if cut and ch.line in cut.blocks:
                    used.append((cut.blocks[ch.line], (area_inn, pt.tag, code), pt.attrib.get("name"),
                                 ch.attrib.get("code"), ch.attrib.get("desc")))
                _periods(file_name, (area_inn, pt.tag, code), pt.attrib.get("name"), ch, errors,
                         rows if code else [], spans if code else {}, seen)
    for key_spans in spans.values():
        _overlaps(file_name, key_spans, errors)
    for node in root.iter():
        if any(c.tag == "period" and id(c) not in seen for c in node.children):
            errors.append(RowError(file_name, node.line, f"периоды внутри «{node.tag}» не поддерживаются: "
                                   f"ожидается area/{'|'.join(POINT_TAGS)}/measuringchannel/period"))
    intervals = None
    if cut and not errors and all(u[1][2] and u[3] for u in used):
        intervals = _fast_intervals(cut, used)
    if cut and intervals is None:
        return parse_80020(data, file_name, fast=False)
    if errors:
        _raise(file_name, sorted(errors, key=lambda e: e.row))
    assert day is not None
    if intervals is None:
        intervals = pa.table({n: [r[n] for r in rows] for n in INTERVALS_SCHEMA.names}, schema=INTERVALS_SCHEMA)
    return Message80020(file_name, hashlib.sha256(data).hexdigest(), root.attrib.get("number", ""), day,
                        (sender.findtext("inn") if sender is not None else None) or "",
                        (sender.findtext("name") if sender is not None else None) or "",
                        dt.findtext("daylightsavingtime") if dt is not None else None, intervals,
                        _hours(intervals))


def _raise(file_name: str, errors: list[RowError]) -> NoReturn:
    raise ValidationError(errors, f"Файл 80020 «{file_name}» не загружен: ошибок {len(errors)}. Ничего не записано.")


# ------------------------------------------------------------------------------------------- writer
@dataclass(frozen=True)
class Channel80020:
    code: str                    # "01" active received, "02" active delivered, "03"/"04" reactive
    desc: str
    values_wh: list[int]         # 48 half-hours (or 24 hours), Wh, in time order
    statuses: list[str] | None = None   # per interval; None: all "0"


@dataclass(frozen=True)
class Point80020:
    code: str
    name: str
    channels: list[Channel80020]


def write_80020(number: str, day: date, sender_name: str, sender_inn: str, area_inn: str, area_name: str,
                points: list[Point80020], *, dst: str | None = "0") -> bytes:
    """One day of one area as an 80020 message (UTF-8), laid out as the АСКУЭ exports in
    samples/askue_80020 are: values in kWh (exact to 1 Wh), statuses on every value. The reader
    above reads it back to the same Wh."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<message class="80020" version="2" number="{_attr(number)}">',
           "   <datetime>", f"      <day>{day:%Y%m%d}</day>", f"      <timestamp>{day:%Y%m%d}235959</timestamp>"]
    if dst is not None:
        out.append(f"      <daylightsavingtime>{dst}</daylightsavingtime>")
    out += ["   </datetime>", "   <sender>", f"      <name>{_text(sender_name)}</name>",
            f"      <inn>{sender_inn}</inn>", "   </sender>", "   <area>", f"      <name>{_text(area_name)}</name>",
            f"      <inn>{area_inn}</inn>"]
    for p in points:
        out.append(f'      <measuringpoint code="{_attr(p.code)}" name="{_attr(p.name)}">')
        for ch in p.channels:
            n = len(ch.values_wh)
            if n not in (24, 48):
                raise ValueError(f"канал {ch.code} точки {p.code}: {n} интервалов, ожидается 24 или 48")
            step = 1440 // n
            out.append(f'         <measuringchannel code="{_attr(ch.code)}" desc="{_attr(ch.desc)}">')
            for k, wh in enumerate(ch.values_wh):
                a, b = k * step, (k + 1) * step % 1440
                status = ch.statuses[k] if ch.statuses else "0"
                out.append(f'            <period start="{a // 60:02d}{a % 60:02d}" end="{b // 60:02d}{b % 60:02d}">\n'
                           f'               <value status="{status}">{_kwh(wh)}</value>\n'
                           "            </period>")
            out.append("         </measuringchannel>")
        out.append("      </measuringpoint>")
    out += ["   </area>", "</message>", ""]
    return "\n".join(out).encode("utf-8")


def _kwh(wh: int) -> str:
    whole, frac = divmod(int(wh), 1000)
    return f"{whole}.{frac:03d}".rstrip("0").rstrip(".") if frac else str(whole)


def _text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(s: str) -> str:
    return _text(s).replace('"', "&quot;")


# --------------------------------------------------------------------------- many files, many cores
def _parse_for_batch(item: tuple[str, bytes]) -> Message80020 | list[RowError]:
    name, data = item
    try:
        m = parse_80020(data, name)
    except ValidationError as exc:
        return list(exc.errors)
    return replace(m, intervals=m.intervals.slice(0, 0))


def parse_many(items: Iterable[tuple[str, bytes]], total: int,
               progress: Callable[[int, int], None] | None = None) -> tuple[list[Message80020], list[RowError]]:
    """Parse (name, bytes) files on every core (a month of one area is 30 files): the messages in the
    given order, without their interval tables (`hours` only), and every error of every file.
    `items` is consumed lazily, a few files ahead of the workers, so a month of files is never in
    memory at once. Worker processes are spawned, not forked: a caller with threads or an open
    store is safe."""
    tick = progress or (lambda done, total: None)
    workers = min(os.cpu_count() or 1, total)
    results: list[Message80020 | list[RowError]] = []
    if workers < 2 or total < 4:
        for it in items:
            results.append(_parse_for_batch(it))
            tick(len(results), total)
    else:
        import concurrent.futures as cf
        import multiprocessing as mp
        from collections import deque

        with cf.ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
            ahead: deque = deque()
            for it in items:
                ahead.append(pool.submit(_parse_for_batch, it))
                if len(ahead) >= 2 * workers:
                    results.append(ahead.popleft().result())
                    tick(len(results), total)
            while ahead:
                results.append(ahead.popleft().result())
                tick(len(results), total)
    messages = [r for r in results if isinstance(r, Message80020)]
    errors = [e for r in results if not isinstance(r, Message80020) for e in r]
    return messages, errors
