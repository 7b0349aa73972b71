"""ATS XML 80020 parser (sbyt.io.askue80020) on the real samples, damaged copies and a decimal fixture.

Expected sums are computed here independently of the parser: xml.etree over the same bytes and
Decimal arithmetic on the raw value texts.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from sbyt.core.errors import ValidationError
from sbyt.io.askue80020 import HOURS_SCHEMA, INTERVALS_SCHEMA, parse_80020

DATA = Path(__file__).parent / "data" / "askue80020"
GTTEC = "80020_7703311228_20100714_12373_2100000600.xml"     # CP1251, declaration blanked
RMON = "80020_7713076301_20190101_6599155.xml"               # UTF-8, statuses 16/18


def _raw(samples: Path, name: str) -> bytes:
    return (samples / "askue_80020" / name).read_bytes()


def _errors(data: bytes, name: str = "f.xml") -> list[tuple[int, str]]:
    with pytest.raises(ValidationError) as exc:
        parse_80020(data, name)
    assert all(e.file == name for e in exc.value.errors)
    return [(e.row, e.message) for e in exc.value.errors]


def _hourly_reference(root: ET.Element, area_inn: str, point: str, channel: str) -> dict[int, Decimal]:
    """Hour (1..24) -> kWh summed from the raw texts of one area/point/channel."""
    area = next(a for a in root.iter("area") if a.findtext("inn") == area_inn)
    pt = next(p for p in area if p.get("code") == point)
    ch = next(c for c in pt if c.get("code") == channel)
    out: dict[int, Decimal] = {}
    for per in ch.iter("period"):
        hour = int(per.get("start")[:2]) + 1
        out[hour] = out.get(hour, Decimal(0)) + Decimal(per.find("value").text.replace(",", "."))
    return out


def _period_line(text: str, point: str, channel: str, start: str) -> int:
    """1-based line of `<period start=…>` under the point and channel, found by scanning the text."""
    lines = text.splitlines()
    i = next(n for n, s in enumerate(lines) if f'code="{point}"' in s)
    i = next(n for n in range(i, len(lines)) if f'measuringchannel code="{channel}"' in lines[n])
    return next(n for n in range(i, len(lines)) if f'start="{start}"' in lines[n]) + 1


def test_gttec_2010_half_hourly_8_points_4_channels(samples):
    raw = _raw(samples, GTTEC)
    m = parse_80020(raw, GTTEC)
    assert (m.number, m.day.isoformat(), m.sender_inn, m.sender_name, m.dst) == (
        "12373", "2010-07-14", "7703311228", "ГТ-ТЭЦ Саранск", "1")
    assert m.sha256 == hashlib.sha256(raw).hexdigest()
    assert m.intervals.schema == INTERVALS_SCHEMA and m.hours.schema == HOURS_SCHEMA
    iv = m.intervals.to_pylist()
    assert len(iv) == 1536
    assert len({r["point_code"] for r in iv}) == 8
    assert Counter(r["point_code"] for r in iv) == {p: 4 * 48 for p in {r["point_code"] for r in iv}}
    assert sorted({r["channel"] for r in iv}) == ["01", "02", "03", "04"]
    assert {r["minutes"] for r in iv} == {30} and {r["status"] for r in iv} == {"0"}
    assert {r["extended"] for r in iv} == {None} and {r["area_inn"] for r in iv} == {"1300000206"}
    assert iv[0] == {"area_inn": "1300000206", "point_kind": "measuringpoint", "point_code": "132070043214102",
                     "point_name": "ПС Саранск   фид.N=73  КЛ-3 ГПП2", "channel": "01",
                     "channel_desc": "счетчик, акт. прием", "start": "0000", "end": "0030", "minutes": 30,
                     "value_wh": 0, "status": "0", "extended": None, "line": 19}
    assert iv[-1]["start"] == "2330" and iv[-1]["end"] == "0000"
    text = raw.decode("cp1251")
    assert all("<value" in text.splitlines()[r["line"] - 1] for r in iv)
    hours = m.hours.to_pylist()
    assert len(hours) == 8 * 4 * 24
    assert all(h["complete"] and h["intervals"] == 2 and h["status"] is None for h in hours)
    root = ET.fromstring(text.split("?>", 1)[1])
    for point, channel, day_kwh in [("131040001114001", "02", 189207), ("132070043107201", "03", 1430),
                                    ("132070043214102", "01", 0)]:
        ref = _hourly_reference(root, "1300000206", point, channel)
        got = {h["hour"]: h["value_wh"] for h in hours if (h["point_code"], h["channel"]) == (point, channel)}
        assert got == {hour: int(kwh * 1000) for hour, kwh in ref.items()}
        assert sum(ref.values()) == day_kwh and sum(got.values()) == day_kwh * 1000


def test_rmon_2021_two_areas_same_point_code_deliverypoint_gap_and_statuses(samples):
    raw = _raw(samples, RMON)
    m = parse_80020(raw, RMON)
    assert (m.number, m.day.isoformat(), m.sender_inn, m.sender_name, m.dst) == (
        "6599155", "2021-03-20", "-", "-", "1")
    iv = m.intervals.to_pylist()
    assert len(iv) == 333
    keys = Counter((r["area_inn"], r["point_kind"], r["point_code"], r["channel"], r["minutes"]) for r in iv)
    assert keys == {
        ("1234567890", "measuringpoint", "531a68_1", "01", 30): 48,
        ("1234567890", "measuringpoint", "531a68_1", "02", 30): 48,
        ("1234567890", "measuringpoint", "531a68_1", "03", 60): 24,
        ("9876543210", "measuringpoint", "531a68_1", "01", 30): 48,
        ("9876543210", "measuringpoint", "531a68_1", "02", 30): 48,
        ("9876543210", "measuringpoint", "531a68_1", "03", 60): 24,
        ("9876543210", "measuringpoint", "531a68_1", "04", 60): 24,
        ("9876543210", "measuringpoint", "531a68_1", "05", 60): 24,
        ("9876543210", "deliverypoint", "333258", "01", 30): 45,
    }
    assert {(r["area_inn"], r["point_name"]) for r in iv if r["point_kind"] == "measuringpoint"} == {
        ("1234567890", "Бузулук 2"), ("9876543210", "Владимир 1")}
    assert Counter(r["status"] for r in iv) == {"0": 237, "16": 56, "18": 40}
    hours = m.hours.to_pylist()
    assert len(hours) == 9 * 24
    gaps = [h for h in hours if not h["complete"]]
    assert gaps == [
        {"area_inn": "9876543210", "point_kind": "deliverypoint", "point_code": "333258", "channel": "01",
         "hour": 20, "value_wh": 0, "intervals": 0, "status": None, "complete": False},
        {"area_inn": "9876543210", "point_kind": "deliverypoint", "point_code": "333258", "channel": "01",
         "hour": 21, "value_wh": 2000, "intervals": 1, "status": None, "complete": False},
    ]
    ch03 = [h for h in hours if h["area_inn"] == "1234567890" and h["channel"] == "03"]
    assert [h["status"] for h in ch03[:4]] == ["18", "16", "18", "16"]
    assert all(h["intervals"] == 1 and h["complete"] for h in ch03)
    root = ET.fromstring(raw)
    ref = _hourly_reference(root, "9876543210", "333258", "01")
    got = {h["hour"]: h["value_wh"] for h in hours if h["point_code"] == "333258" and h["intervals"]}
    assert got == {hour: int(kwh * 1000) for hour, kwh in ref.items()}


@pytest.mark.parametrize("name", [GTTEC, RMON])
def test_first_half_of_the_bytes_is_refused_naming_the_line(samples, name):
    half = _raw(samples, name)[: len(_raw(samples, name)) // 2]
    [(row, message)] = _errors(half, name)
    assert row == half.count(b"\n") + 1
    assert message.startswith("повреждённый XML: ") and f"(строка {row}, позиция " in message
    assert "; не закрыт элемент «" in message


def test_altered_copy_lists_the_bad_value_and_the_overlap_with_their_lines(samples):
    raw = _raw(samples, GTTEC)
    text = raw.decode("cp1251")
    bad_value = _period_line(text, "131040001114001", "02", "1000") + 1          # the <value> line
    moved = _period_line(text, "132070043214202", "03", "0130")
    earlier = _period_line(text, "132070043214202", "03", "0100")
    lines = text.split("\r\n")
    old_value = lines[bad_value - 1]
    lines[bad_value - 1] = old_value[: old_value.index(">") + 1] + "abc</value>"
    lines[moved - 1] = lines[moved - 1].replace('start="0130"', 'start="0100"')
    altered = "\r\n".join(lines).encode("cp1251")
    assert earlier < moved < bad_value                                          # errors come in line order
    assert _errors(altered, GTTEC) == [
        (moved, f"период 0100–0200 пересекается с периодом 0100–0130 (строка {earlier})"),
        (bad_value, "значение «abc» не число"),
    ]


def test_half_hour_decimal_fixture_aggregates_to_hours_exactly():
    raw = (DATA / "halfhour_decimal_cp1251.xml").read_bytes()
    m = parse_80020(raw, "halfhour_decimal_cp1251.xml")
    assert (m.number, m.day.isoformat(), m.sender_inn, m.sender_name, m.dst) == (
        "42", "2024-03-01", "7700000000", "ООО «Проба»", "0")
    root = ET.fromstring(raw)
    for channel in ("01",):
        ref = _hourly_reference(root, "7700000001", "770000000100001", channel)
        got = {h["hour"]: h["value_wh"] for h in m.hours.to_pylist() if h["channel"] == channel}
        assert got == {hour: int(kwh * 1000) for hour, kwh in ref.items()}
        assert sum(got.values()) == int(sum(ref.values()) * 1000)
    golden = json.loads((DATA / "halfhour_decimal_hours.json").read_text(encoding="utf-8"))
    assert [[h["channel"], h["hour"], h["value_wh"], h["intervals"], h["status"], h["complete"]]
            for h in m.hours.to_pylist()] == golden
    iv = {(r["channel"], r["start"]): r for r in m.intervals.to_pylist()}
    assert iv["01", "0230"]["value_wh"] == 84035            # "84,035" kWh: a decimal comma
    assert iv["01", "0500"]["value_wh"] == 13000            # "13" kWh
    assert (iv["02", "0600"]["value_wh"], iv["02", "0600"]["status"]) == (None, "1")   # empty value
    assert (iv["02", "1100"]["status"], iv["02", "1100"]["extended"]) == ("16", "2")
    assert iv["02", "0100"]["status"] is None and iv["02", "0100"]["value_wh"] == 3500


def test_every_problem_is_listed_with_its_line_and_exact_message():
    xml = """<?xml version="1.0" encoding="utf-8"?>
<message class="80020" number="7">
  <datetime><day>20240231</day></datetime>
  <area><inn>1</inn>
    <measuringpoint name="без кода">
      <measuringchannel code="01"><period start="0000" end="0030"><value>1</value></period></measuringchannel>
    </measuringpoint>
    <measuringpoint code="P">
      <measuringchannel desc="нет кода"><period start="0000" end="0030"><value>1</value></period></measuringchannel>
      <measuringchannel code="01">
        <period start="0000" end="0045"><value>1</value></period>
        <period start="0100" end="0030"><value>1</value></period>
        <period start="25:0" end="0100"><value>1</value></period>
        <period start="0030" end="0130"><value>1</value></period>
        <period start="0200" end="0230"><value>-1</value></period>
        <period start="0230" end="0300"><value>1.0005</value></period>
        <period start="0300" end="0330"><value>abc</value></period>
        <period start="0330" end="0400"><value>1</value></period>
        <period start="0330" end="0400"><value>2</value></period>
        <period start="0400" end="0430"></period>
      </measuringchannel>
    </measuringpoint>
    <deliverygroup code="G"><period start="0000" end="0100"><value>5</value></period></deliverygroup>
  </area>
</message>
"""
    assert _errors(xml.encode("utf-8")) == [
        (3, "неверная дата дня «20240231» (ожидается ГГГГММДД)"),
        (5, "у точки measuringpoint нет атрибута code"),
        (9, "у канала measuringchannel нет атрибута code"),
        (11, "период 0000–0045: длина 45 мин, ожидается 30 или 60"),
        (12, "период 0100–0030: конец не позже начала"),
        (13, "неверный период «25:0–0100» (ожидается ЧЧММ–ЧЧММ)"),
        (14, "период 0030–0130 не выровнен по часу"),
        (15, "отрицательное значение «-1»"),
        (16, "значение «1.0005» точнее 1 Вт·ч"),
        (17, "значение «abc» не число"),
        (19, "период 0330–0400 повторяется (уже был в строке 18)"),
        (20, "период 0400–0430: элементов value 0, ожидается 1"),
        (23, "периоды внутри «deliverygroup» не поддерживаются: "
             "ожидается area/measuringpoint|accountpoint|deliverypoint/measuringchannel/period"),
    ]


def _one_channel(periods: str, head: str = '<message class="80020" number="1">',
                 dt: str = "<datetime><day>20240301</day></datetime>") -> bytes:
    return (f'<?xml version="1.0"?>\n{head}\n{dt}\n<area><inn>1</inn>\n<accountpoint code="A">\n'
            f'<measuringchannel code="01">\n{periods}\n</measuringchannel></accountpoint></area></message>\n'
            ).encode("utf-8")


def test_envelope_errors_root_class_missing_day_doctype_and_clock_change():
    ok = '<period start="0000" end="0100"><value>0.0010</value></period>'
    assert _errors(_one_channel(ok, head='<message class="80040" number="1">')) == [
        (2, "это не сообщение 80020: корневой элемент «message», class «80040»")]
    assert _errors(b'<?xml version="1.0"?>\n<root/>') == [
        (2, "это не сообщение 80020: корневой элемент «root», class «»")]
    assert _errors(_one_channel(ok, dt="<datetime><timestamp>1</timestamp></datetime>")) == [
        (3, "нет элемента datetime/day (день данных)")]
    assert _errors(b'<?xml version="1.0"?>\n<!DOCTYPE message [<!ENTITY a "b">]>\n<message/>') == [
        (2, "DOCTYPE в файле 80020 не допускается")]
    summer = ('<period start="0200" end="0300" summer="1"><value>1</value></period>\n'
              '<period start="0200" end="0300" summer="0"><value>1</value></period>')
    assert _errors(_one_channel(summer)) == [
        (8, "период 0200–0300 повторяется с другим признаком summer: день перевода часов не поддерживается")]
    m = parse_80020(_one_channel(ok), "a.xml")
    assert m.dst is None and m.intervals.column("value_wh").to_pylist() == [1]
    assert m.intervals.column("point_kind").to_pylist() == ["accountpoint"]
    assert m.hours.num_rows == 24 and m.hours.column("complete").to_pylist() == [True] + [False] * 23


def test_same_data_whatever_the_encoding_and_line_ends_sha256_of_the_bytes(samples):
    raw = _raw(samples, GTTEC)
    base = parse_80020(raw, GTTEC)
    utf8 = raw.decode("cp1251").encode("utf-8")
    lf = raw.replace(b"\r\n", b"\n")
    for copy in (utf8, lf):
        other = parse_80020(copy, GTTEC)
        assert other.intervals.equals(base.intervals) and other.hours.equals(base.hours)
        assert other.sha256 == hashlib.sha256(copy).hexdigest() != base.sha256
    assert isinstance(base.intervals, pa.Table)


def test_a_channel_split_in_two_elements_is_still_checked_for_duplicates():
    periods = ('<period start="0000" end="0030"><value>1</value></period>\n</measuringchannel>\n'
               '<measuringchannel code="01">\n<period start="0000" end="0030"><value>1</value></period>')
    assert _errors(_one_channel(periods)) == [(10, "период 0000–0030 повторяется (уже был в строке 7)")]


def _same(a, b) -> None:
    assert a.intervals.equals(b.intervals) and a.hours.equals(b.hours)
    assert (a.day, a.number, a.sender_inn, a.dst, a.sha256) == (b.day, b.number, b.sender_inn, b.dst, b.sha256)


@pytest.mark.parametrize("name", [GTTEC, RMON])
def test_fast_reading_equals_element_by_element_on_the_real_samples(samples, name):
    raw = _raw(samples, name)
    _same(parse_80020(raw, name), parse_80020(raw, name, fast=False))


def test_written_message_reads_back_exactly_by_both_paths():
    from datetime import date

    from sbyt.io.askue80020 import Channel80020, Point80020, write_80020

    values = [k * 1237 % 50_000 for k in range(48)]
    statuses = ["0"] * 48
    statuses[5], statuses[7] = "16", "18"
    pts = [Point80020("P1", "Щит «А» & Б", [Channel80020("01", "акт. прием", values, statuses),
                                            Channel80020("03", "реакт. прием", [w // 3 for w in values])]),
           Point80020("P2", "Щит 2", [Channel80020("01", "акт. прием", list(range(24)))])]
    raw = write_80020("7", date(2026, 11, 3), "ООО «АСКУЭ»", "7701234567", "7707083893", "Область", pts)
    fast, slow = parse_80020(raw, "w.xml"), parse_80020(raw, "w.xml", fast=False)
    _same(fast, slow)
    h = {(r["point_code"], r["channel"], r["hour"]): r for r in fast.hours.to_pylist()}
    assert h[("P1", "01", 1)]["value_wh"] == values[0] + values[1]
    assert h[("P1", "01", 3)]["status"] == "16" and h[("P1", "01", 4)]["status"] == "18"
    assert h[("P2", "01", 24)]["value_wh"] == 23 and all(r["complete"] for r in h.values())
    assert fast.intervals.column("line").to_pylist()[:2] == [18, 21]


def test_a_file_the_fast_path_doubts_is_read_element_by_element_with_the_same_errors(samples):
    raw = _raw(samples, RMON)
    stray = raw.replace(b"</area>", b"<value>1</value></area>", 1)     # ignored by both paths
    _same(parse_80020(stray, "f.xml"), parse_80020(stray, "f.xml", fast=False))
    bad = raw.replace(b'start="0030"', b'start="0031"', 1)
    assert _errors(bad) == _errors_slow(bad) and _errors(bad)


def _errors_slow(data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(ValidationError) as exc:
        parse_80020(data, "f.xml", fast=False)
    return [(e.row, e.message) for e in exc.value.errors]
