"""АСКУЭ 80020 files into hourly volumes of measuring complexes (`sbyt readings import FILE.xml ...`):
the real samples import, a broken or altered file imports nothing and names the line, the same file
twice is refused; gaps are substituted and marked, an hour over the maximum capacity is rejected."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.store import open_store
from sbyt.io.askue80020 import parse_80020

runner = CliRunner()
SARANSK = "80020_7703311228_20100714_12373_2100000600.xml"
TEST2021 = "80020_7713076301_20190101_6599155.xml"


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    r = cli(db, *args)
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture
def db(store, db_path):
    store.close()
    db = str(db_path)
    ok(db, "counterparty", "add", "7736207543", "--kpp", "770401001", "--name", "ООО «Завод»", "--date", "2010-01-01")
    ok(db, "contract", "apply", "Д-1", "--counterparty", "7736207543", "--date", "2010-01-11")
    ok(db, "contract", "object", "Д-1", "--code", "OB1", "--name", "Завод", "--date", "2010-01-11")
    return db


def bind(db: str, point: str, code: str, channel: str, max_kw: str = "5000") -> None:
    ok(db, "contract", "point", "OB1", "--code", point, "--voltage", "ВН", "--max-kw", max_kw, "--category", "4",
       "--date", "2010-01-11")
    ok(db, "contract", "meter", point, "--serial", f"S{point}", "--installed", "2010-01-11", "--askue", code,
       "--channel", channel)


def test_the_saransk_sample_imports_and_twice_is_refused(db, samples):
    src = samples / "askue_80020" / SARANSK
    msg = parse_80020(src.read_bytes(), SARANSK)
    codes = sorted(set(msg.hours.column("point_code").to_pylist()))
    for k, code in enumerate(codes[:3]):
        bind(db, f"TP{k}", code, "01")
    out = ok(db, "readings", "import", str(src))
    assert "Не привязаны к приборам учёта (пропущены): точек 5:" in out
    assert "Файлов 80020: 1; часов 72: измерено 72, замещено 0, отклонено 0." in out
    expected = sum(Decimal(v) for v in _values(src, codes[0], "01")) * 1000
    with open_store(db) as st:
        got = st.scalar("SELECT sum(value_wh) FROM meter_hour h JOIN legal_meter m ON m.id = h.meter_id"
                        " WHERE m.askue_code = ?", [codes[0]])
        assert st.scalar("SELECT count(*) FROM import_batch WHERE kind = 'askue_80020'") == 1
    assert got == expected
    r = cli(db, "readings", "import", str(src))
    assert r.exit_code == 3 and "уже загружен" in r.output and "повторная загрузка запрещена" in r.output


def _values(path: Path, code: str, channel: str) -> list[str]:
    """The raw <value> texts of one point and channel (an independent reading of the file)."""
    import xml.etree.ElementTree as ET

    text = path.read_bytes().decode("cp1251")
    root = ET.fromstring(text.split("?>", 1)[1] if text.startswith("<?xml") else text)
    out = []
    for mp in root.iter("measuringpoint"):
        if mp.get("code") != code:
            continue
        for ch in mp.iter("measuringchannel"):
            if ch.get("code") == channel:
                out += [p.find("value").text for p in ch.iter("period")]
    return out


def test_a_gap_is_substituted_and_an_hour_over_capacity_rejected(db, samples):
    src = samples / "askue_80020" / TEST2021
    bind(db, "TPD", "333258", "01")
    bind(db, "TPA", "531a68_1", "01", max_kw="0.001")
    out = ok(db, "readings", "import", str(src))
    with open_store(db) as st:
        gaps = st.all("SELECT h.hour, h.status, h.reason FROM meter_hour h JOIN legal_meter m ON m.id = h.meter_id"
                      " WHERE m.askue_code = '333258' AND h.status <> 'measured' ORDER BY h.hour")
        over = st.scalar("SELECT count(*) FROM meter_hour h JOIN legal_meter m ON m.id = h.meter_id"
                         " WHERE m.askue_code = '531a68_1' AND h.status = 'rejected'")
    assert [(h, s) for h, s, _ in gaps] == [(20, "substituted"), (21, "substituted")]
    assert gaps[0][2] == "нет данных за час (интервалов: 0)"
    assert over > 0 and "отклонено" in out


def test_a_truncated_or_altered_file_imports_nothing_and_names_the_line(db, samples, tmp_path):
    src = samples / "askue_80020" / SARANSK
    data = src.read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: len(data) // 2])
    good = tmp_path / SARANSK
    shutil.copyfile(src, good)
    bind(db, "TP0", "131040001114001", "01")
    r = cli(db, "readings", "import", str(good), str(cut))
    assert r.exit_code == 1
    assert "Файлы 80020 не загружены: ошибок 1. Ничего не записано." in r.output
    assert "cut.xml:" in r.output
    bad = tmp_path / "bad.xml"
    text = data.decode("cp1251")
    first = text.index("<value")
    first = text.index(">", first) + 1
    bad.write_bytes((text[:first] + "abc" + text[text.index("<", first):]).encode("cp1251"))
    r = cli(db, "readings", "import", str(bad))
    assert r.exit_code == 1 and "«abc» не число" in r.output and "bad.xml:" in r.output
    with open_store(db) as st:
        assert st.scalar("SELECT count(*) FROM meter_hour") == 0
        assert st.scalar("SELECT count(*) FROM import_batch") == 0


def test_a_transit_pair_the_head_is_billed_its_meter_less_the_sub_consumer(db, samples):
    """Two points of the Saransk file: TPH is the head, TPS the transit consumer behind it."""
    import json

    src = samples / "askue_80020" / SARANSK
    bind(db, "TPH", "131040001114001", "02", max_kw="20000")
    ok(db, "contract", "point", "OB1", "--code", "TPS", "--voltage", "СН2", "--max-kw", "5000", "--category", "4",
       "--head", "TPH", "--date", "2010-01-11")
    ok(db, "contract", "meter", "TPS", "--serial", "SS", "--installed", "2010-01-11", "--askue", "131040001114002",
       "--channel", "02")
    ok(db, "readings", "import", str(src))
    head = [Decimal(v) for v in _values(src, "131040001114001", "02")]
    sub = [Decimal(v) for v in _values(src, "131040001114002", "02")]
    hours = json.loads(ok(db, "contract", "volumes", "TPH", "--from", "2010-07-14", "--to", "2010-07-14",
                          "--hourly", "-f", "json"))
    assert len(hours) == 24
    for h in hours:
        k = h["Час"]
        assert Decimal(h["Измерено, кВт·ч"]) == head[2 * k - 2] + head[2 * k - 1]
        assert Decimal(h["Транзит, кВт·ч"]) == sub[2 * k - 2] + sub[2 * k - 1]
        assert Decimal(h["К оплате, кВт·ч"]) == Decimal(h["Измерено, кВт·ч"]) - Decimal(h["Транзит, кВт·ч"])
    day = json.loads(ok(db, "contract", "volumes", "TPH", "--from", "2010-07-14", "--to", "2010-07-14", "-f", "json"))
    assert Decimal(day[0]["К оплате, кВт·ч"]) == sum(head) - sum(sub)
    alone = json.loads(ok(db, "contract", "volumes", "TPS", "--from", "2010-07-14", "--to", "2010-07-14", "-f", "json"))
    assert Decimal(alone[0]["К оплате, кВт·ч"]) == sum(sub)
