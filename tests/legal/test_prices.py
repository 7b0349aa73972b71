"""`sbyt prices` (issue 14, item 1): the legal-entity price data as import batches — each kind imports,
every bad row is named with its file (sheet) and row, the same file twice is refused, a newer file
replaces the rows of its keys, the final price of categories 1–2 (W8, W9), the SO hour notation (W12),
the АТС calcfacthour layout with the 0–23 mapping, a missing working day and an hour outside the SO
window (W13), hourly plans of categories 5–6, the templates."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.prices import components_of, final_price, parse_windows
from sbyt.core.reference import install_reference
from sbyt.core.store import open_store

runner = CliRunner()

# November 2026 by the production calendar: 4 November is a holiday.
NOV_WORKDAYS = [2, 3, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 23, 24, 25, 26, 27, 30]


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    r = cli(db, *args)
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    """November 2026 open; SO windows 2025–2026 shipped by `install_reference`. Built once per
    module, in file mode (`cli_mode` is function-scoped), and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.duckdb"
    store = open_store(path)
    install_reference(store)
    store.close()
    ok(str(path), "period", "open", "2026-11")
    return path


@pytest.fixture
def db(_template, db_path):
    shutil.copyfile(_template, db_path)
    return str(db_path)


def write_csv(path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def write_xlsx(path, sheets: dict[str, list[list[object]]]) -> str:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sh = book.create_sheet(name)
        for r in rows:
            sh.append(r)
    buf = BytesIO()
    book.save(buf)
    path.write_bytes(buf.getvalue())
    return str(path)


def q(db: str, sql: str, params=None) -> list[tuple]:
    with open_store(db, read_only=True) as st:
        return st.all(sql, params)


W8 = ["period;category;voltage;component;zones;zone;value",
      # ПАО «РЭСК», April 2013: wholesale 1 498,97, mark-up 69,53, other services 2,72, transmission by voltage
      *[f"2013-04;1;{v};{c};;;{x}" for v, net in (("ВН", "902,61"), ("СН-I", "1562,57"), ("CH2", "1719,72"),
                                                   ("NN", "2091,43"))
        for c, x in (("оптовая цена", "1498,97"), ("передача", net), ("сбытовая надбавка", "69,53"),
                     ("infra", "2,72"))]]


# ------------------------------------------------------------------------------------------- price table
def test_w8_final_price_of_category_1_through_the_import(db, tmp_path):
    out = ok(db, "prices", "import", write_csv(tmp_path / "w8.csv", W8))
    assert "w8.csv: таблица составляющих цены за 04.2013: записано строк 16 (пакет 1)." in out
    assert "Месяц 04.2013 закрыт: разница войдёт в перерасчёт." in out     # before the store's first month
    with open_store(db, read_only=True) as st:
        lines = {ln.voltage: ln.components for ln in components_of(st, 201304, 1)}
    assert {v: final_price(c) for v, c in lines.items()} == {
        "VN": Decimal("2473.83"), "SN1": Decimal("3133.79"), "SN2": Decimal("3290.94"), "NN": Decimal("3662.65")}
    # a purchase-sale contract pays the grid company itself: no transmission
    assert {final_price(c, "sale") for c in lines.values()} == {Decimal("1571.22")}
    # W8: 10 MWh at СН-II without VAT, VAT 22 % half-up
    amount = final_price(lines["SN2"]) * 10
    assert amount == Decimal("32909.40")
    assert (amount * Decimal("0.22")).quantize(Decimal("0.01")) == Decimal("7240.07")
    shown = json.loads(ok(db, "prices", "show", "--period", "2013-04", "--voltage", "СН-II", "-f", "json"))
    assert shown == [{"ЦК": 1, "напряжение": "SN2", "зона": "", "электроэнергия": "1498.9700",
                      "передача (одноставочный)": "1719.7200", "сбытовая надбавка": "69.5300",
                      "инфраструктурные услуги": "2.7200", "цена, руб./МВт·ч (энергоснабжение)": "3290.9400",
                      "цена без передачи (купля-продажа)": "1571.2200"}]


@pytest.mark.parametrize("region, rows", [
    ("Курская область", [("ВН", "301,43", "15,32", "316.75"), ("СН2", "594,29", "42,41", "636.70"),
                         ("НН", "716,20", "283,57", "999.77")]),
    ("Бурятия", [("СН2", "623,40", "124,77", "748.17"), ("НН", "978,5", "187,8", "1166.30")]),
])
def test_w9_transmission_parts_add_to_the_published_sums(db, tmp_path, region, rows):
    """W9: the two parts of the transmission tariff (maintenance and losses, RUB/MWh) loaded as 'network'
    and 'network_loss' sum to the regulator's published totals to the kopeck."""
    lines = ["period;category;voltage;component;value"]
    for v, upkeep, loss, _ in rows:
        lines += [f"2026-11;1;{v};energy;1000", f"2026-11;1;{v};network;{upkeep}",
                  f"2026-11;1;{v};ставка на потери;{loss}"]
    ok(db, "prices", "import", write_csv(tmp_path / "w9.csv", lines))
    with open_store(db, read_only=True) as st:
        got = {ln.voltage: final_price(ln.components) - final_price(ln.components, "sale")
               for ln in components_of(st, 202611, 1)}
    want = {"ВН": "VN", "СН2": "SN2", "НН": "NN"}
    assert got == {want[v]: Decimal(total) for v, _, _, total in rows}


def test_price_table_bad_rows_are_all_named_and_nothing_is_written(db, tmp_path):
    f = write_csv(tmp_path / "bad.csv", [
        "period;category;voltage;component;zones;zone;value",
        "2026-11;1;ВН;energy;;;1498,97",
        "2026-11;1;ВН;energy;;;1500",              # 3: repeat of row 2
        "2026-13;1;ВН;markup;;;1",                 # 4: not a month
        "2026-11;7;ВН;markup;;;1",                 # 5: category 7
        "2026-11;1;СН3;markup;;;1",                # 6: voltage
        "2026-11;1;ВН;тариф;;;1",                  # 7: component
        "2026-11;1;ВН;infra;;;1,23456",            # 8: 5 decimals
        "2026-11;1;ВН;network;;;-5",               # 9: negative
        "2026-11;1;ВН;capacity;;;950000",          # 10: capacity in category 1
        "2026-11;2;НН;energy;3;1;1200",            # 11: zone 2, 3 of the 3-zone variant missing
        "2026-11;4;СН2;network_capacity;;;1100000",  # 12: category 4 without a capacity rate
        "2026-11;1;НН;markup;;;70",                # 13: no energy for 1 ЦК НН
    ])
    r = cli(db, "prices", "import", f)
    assert r.exit_code == 1, r.output
    assert r.output.splitlines() == [
        "Ошибка: bad.csv: найдено ошибок 11. Ничего не записано.",
        "bad.csv:3:component: повтор: эта составляющая уже есть в строке 2",
        "bad.csv:4:period: ожидается месяц ГГГГ-ММ: «2026-13»",
        "bad.csv:5:category: значение «7» больше 6",
        "bad.csv:6:voltage: недопустимое значение «СН3» (допустимо: VN — ВН, SN1 — СН1, SN2 — СН2, NN — НН)",
        "bad.csv:7:component: недопустимое значение «тариф» (допустимо: energy — электроэнергия, capacity — мощность, "
        "network — передача (одноставочный), network_capacity — передача: ставка на содержание сетей, network_loss — "
        "передача: ставка на потери, markup — сбытовая надбавка, infra — инфраструктурные услуги)",
        "bad.csv:8:value: не число (до 4 знаков после запятой): «1,23456»",
        "bad.csv:9:value: значение «-5» меньше 0",
        "bad.csv:10:component: ставка за мощность (руб./МВт в месяц) есть только у категорий 3–6",
        "bad.csv:11:zone: 11.2026, 2 ЦК НН: электроэнергия 3-зонного варианта указана не для всех зон 1…3",
        "bad.csv:12:component: 11.2026, 4 ЦК СН2: нет ставки за мощность (capacity)",
        "bad.csv:13:component: 11.2026, 1 ЦК НН: нет составляющей «электроэнергия»",
    ]
    assert q(db, "SELECT count(*) FROM price_component") == [(0,)]
    assert q(db, "SELECT count(*) FROM import_batch WHERE kind = 'price_table'") == [(0,)]


def test_same_file_twice_is_refused_and_a_newer_file_replaces_its_keys(db, tmp_path):
    first = write_csv(tmp_path / "nov.csv", ["period;category;voltage;component;value",
                                             *[f"2026-11;1;{v};{c};{x}" for v in ("ВН", "СН2")
                                               for c, x in (("energy", "1500"), ("network", "900"),
                                                            ("markup", "70"))]])
    out = ok(db, "prices", "import", first)
    assert "Месяц" not in out                               # November is open
    r = cli(db, "prices", "import", first)
    assert r.exit_code == 3
    assert "Файл nov.csv уже загружен (пакет 1, файл nov.csv, тот же SHA-256): повторная загрузка запрещена." in r.output
    newer = write_csv(tmp_path / "nov-corrected.csv", ["period;category;voltage;component;value",
                                                       "2026-11;1;СН2;energy;1510,5", "2026-11;1;СН2;infra;2,72"])
    out = ok(db, "prices", "import", newer)
    assert ("nov-corrected.csv: таблица составляющих цены за 11.2026: записано строк 2, заменено строк прежних файлов 3"
            " (пакет 2).") in out
    assert q(db, "SELECT voltage, component, value, batch_id FROM price_component ORDER BY voltage, component") == [
        ("SN2", "energy", Decimal("1510.5000"), 2), ("SN2", "infra", Decimal("2.7200"), 2),
        ("VN", "energy", Decimal("1500.0000"), 1), ("VN", "markup", Decimal("70.0000"), 1),
        ("VN", "network", Decimal("900.0000"), 1)]
    listed = json.loads(ok(db, "prices", "list", "--period", "2026-11", "-f", "json"))
    assert [(b["пакет"], b["строк"], b["действует"], b["содержание"]) for b in listed] == [
        (2, 2, 2, "1 ЦК СН2"), (1, 6, 3, "1 ЦК ВН, СН2"), (0, 540, 540, "справочник sbyt: плановые часы СО")]


def test_category_2_zones_and_categories_3_6_rates(db, tmp_path):
    f = write_csv(tmp_path / "z.csv", [
        "период;категория;напряжение;составляющая;зон;зона;значение",
        "2026-11;2;НН;energy;2;1;1800", "2026-11;2;НН;energy;2;2;900", "2026-11;2;НН;network;;;2000",
        "2026-11;2;НН;energy;3;1;2000", "2026-11;2;НН;energy;3;2;1500", "2026-11;2;НН;energy;3;3;800",
        "2026-11;2;НН;markup;;;70",
        "2026-11;4;СН2;capacity;;;950000", "2026-11;4;СН2;network_capacity;;;1100000",
        "2026-11;4;СН2;network_loss;;;150,25"])
    ok(db, "prices", "import", f)
    shown = json.loads(ok(db, "prices", "show", "--period", "2026-11", "-f", "json"))
    assert [(r["зона"], r["цена, руб./МВт·ч (энергоснабжение)"], r["цена без передачи (купля-продажа)"])
            for r in shown["final"]] == [("день (2 зоны)", "3870.0000", "1870.0000"), ("ночь (2 зоны)", "2970.0000", "970.0000"),
                                         ("пик (3 зоны)", "4070.0000", "2070.0000"), ("полупик (3 зоны)", "3570.0000", "1570.0000"),
                                         ("ночь (3 зоны)", "2870.0000", "870.0000")]
    assert shown["rates"] == [{"ЦК": 4, "напряжение": "SN2", "мощность": "950000.0000",
                               "передача: ставка на содержание сетей": "1100000.0000",
                               "передача: ставка на потери": "150.2500"}]


# ------------------------------------------------------------------------------------------- hourly rates
def _days(year: int, month: int) -> list[date]:
    d, out = date(year, month, 1), []
    while d.month == month:
        out.append(d)
        d += timedelta(days=1)
    return out


def _rate(day: date, hour: int) -> Decimal:
    return Decimal(3000) + day.day + Decimal(hour) / 100


def test_hourly_rates_xlsx_one_sheet_per_category_voltage_rate(db, tmp_path):
    head = ["Ставка для фактических почасовых объемов покупки электрической энергии"]
    block = [head, [], ["Дата", *range(1, 25)], *[[d, *[float(_rate(d, h)) for h in range(1, 25)]]
                                                  for d in _days(2026, 11)]]
    bad = [r[:] for r in block]
    bad[4][5] = "12,3,4"                 # sheet row 5 (02.11.2026), hour 5
    bad[6][0] = None                      # sheet row 7: no date
    f = write_xlsx(tmp_path / "hours.xlsx", {"Описание": [["про файл"]], "3 ЦК СН2 факт": bad,
                                              "3 ЦК CH-II факт>план": block})
    r = cli(db, "prices", "import", f)
    assert r.exit_code == 1, r.output
    assert r.output.splitlines() == [
        "Ошибка: hours.xlsx: найдено ошибок 4. Ничего не записано.",
        "hours.xlsx, лист «3 ЦК CH-II факт>план»:4:rate: ставки отклонений от плана (over, under) есть только у "
        "категорий 5 и 6",
        "hours.xlsx, лист «3 ЦК СН2 факт»:4: 3 ЦК СН2 «фактический почасовой объём», 11.2026: нет ставок за 24 ч: "
        "04.11.2026 ч 1, 04.11.2026 ч 2, 04.11.2026 ч 3, 04.11.2026 ч 4, 04.11.2026 ч 5 …",
        "hours.xlsx, лист «3 ЦК СН2 факт»:5:час 5: не число (до 4 знаков после запятой): «12,3,4»",
        "hours.xlsx, лист «3 ЦК СН2 факт»:7: нет даты в колонке A",
    ]
    good = write_xlsx(tmp_path / "hours2.xlsx", {"Описание": [["про файл"]], "3 ЦК СН2 факт": block,
                                                 "5 ЦК ВН факт>план": block})
    out = ok(db, "prices", "import", good)
    assert "записано строк 1440" in out and "Пропущены листы (имя не вида «3 ЦК СН2 факт»): «Описание»." in out
    assert q(db, "SELECT category, voltage, rate, count(*), min(value), max(value) FROM price_hour GROUP BY ALL "
                 "ORDER BY 1") == [(3, "SN2", "fact", 720, Decimal("3001.0100"), Decimal("3030.2400")),
                                   (5, "VN", "over", 720, Decimal("3001.0100"), Decimal("3030.2400"))]
    assert q(db, "SELECT value FROM price_hour WHERE day = '2026-11-07' AND hour = 13 AND category = 3") == [
        (Decimal("3007.1300"),)]
    shown = json.loads(ok(db, "prices", "show", "--period", "2026-11", "--category", "3", "-f", "json"))
    assert shown == [{"ЦК": 3, "напряжение": "SN2", "ставка": "fact", "наименьшая": "3001.0100",
                      "наибольшая": "3030.2400", "средняя": "3015.6250", "часов": 720}]


def test_hourly_rates_csv_long_form_with_a_missing_hour(db, tmp_path):
    lines = ["category;voltage;rate;date;hour;value"]
    lines += [f"4;НН;fact;{d:%d.%m.%Y};{h};{_rate(d, h)}" for d in _days(2026, 11) for h in range(1, 25)
              if (d.day, h) not in ((3, 7), (3, 8))]
    r = cli(db, "prices", "import", write_csv(tmp_path / "long.csv", lines))
    assert r.exit_code == 1
    assert ("long.csv:2: 4 ЦК НН «фактический почасовой объём», 11.2026: нет ставок за 2 ч: 03.11.2026 ч 7, "
            "03.11.2026 ч 8") in r.output
    lines += ["4;НН;fact;03.11.2026;7;3003,07", "4;НН;fact;03.11.2026;8;3003,08"]
    out = ok(db, "prices", "import", write_csv(tmp_path / "long2.csv", lines))
    assert "почасовые ставки (ЦК 3–6) за 11.2026: записано строк 720" in out


# ------------------------------------------------------------------------------------------- АТС peak hours
def calcfacthour(path, days_hours: list[tuple[str, object]]) -> str:
    """The АТС layout: the title, a header cell «Дата», a sub-header, then date | hour."""
    rows: list[list[object]] = [
        ["Ежемесячный отчет по часам пиковой нагрузки для субъектов Российской Федерации"],
        ["Субъект РФ: Московская область"], ["Период: ноябрь 2026"], [], [],
        ["Дата", "Час пиковой нагрузки"], ["дд.мм.гггг", "1–24"],
        *[[d, h] for d, h in days_hours]]
    return write_xlsx(path, {"Лист1": rows})


def test_calcfacthour_imports_with_the_region_from_the_name(db, tmp_path):
    hours = {d: 18 for d in NOV_WORKDAYS} | {12: 23}     # 12.11: hour 23, outside the SO window 8–11, 16–21
    f = calcfacthour(tmp_path / "202611_MOSENERG_46_calcfacthour.xlsx",
                     [(f"{d:02d}.11.2026", h) for d, h in hours.items()])
    out = ok(db, "prices", "import", f)
    assert "часы пиковой нагрузки АТС за 11.2026: записано строк 20 (пакет 1)." in out
    assert "Проверьте (строк 1):" in out
    assert ("12.11.2026: час 23 вне плановых часов пиковой нагрузки СО (8–11, 16–21, 1-я ценовая зона)") in out
    assert q(db, "SELECT region, count(*), min(day), max(day) FROM peak_hour GROUP BY 1") == [
        ("46", 20, date(2026, 11, 2), date(2026, 11, 30))]
    # a corrected file of the same month and region replaces the whole month
    f2 = calcfacthour(tmp_path / "202611_MOSENERG_46_calcfacthour_v2.xlsx",
                      [(f"{d:02d}.11.2026", 19) for d in NOV_WORKDAYS])
    out = ok(db, "prices", "import", f2)
    assert "заменено строк прежних файлов 20" in out and "Проверьте" not in out
    assert q(db, "SELECT DISTINCT hour, batch_id FROM peak_hour") == [(19, 2)]


def test_calcfacthour_hours_0_23_are_mapped_once(db, tmp_path):
    f = calcfacthour(tmp_path / "peak.xlsx", [(f"{d:02d}.11.2026", 0 if d == 2 else 17) for d in NOV_WORKDAYS])
    out = ok(db, "prices", "import", f, "--kind", "peak_hours", "--region", "04")
    assert "Часы в файле 0–23: приняты как 1–24 (час h файла — час h+1, по окончании часа)." in out
    assert q(db, "SELECT region, day, hour FROM peak_hour WHERE day <= '2026-11-03' ORDER BY day") == [
        ("04", date(2026, 11, 2), 1), ("04", date(2026, 11, 3), 18)]
    assert "02.11.2026: час 1 вне плановых часов" in out


def test_calcfacthour_missing_and_extra_days_are_refused(db, tmp_path):
    days = [d for d in NOV_WORKDAYS if d not in (5, 30)] + [7]        # 07.11.2026 is a Saturday
    f = calcfacthour(tmp_path / "202611_MOSENERG_46_calcfacthour.xlsx", [(f"{d:02d}.11.2026", 18) for d in days]
                     + [("02.11.2026", 19), ("01.12.2026", 18)])
    r = cli(db, "prices", "import", f)
    assert r.exit_code == 1
    name = "202611_MOSENERG_46_calcfacthour.xlsx"
    assert r.output.splitlines() == [
        f"Ошибка: {name}: найдено ошибок 4. Ничего не записано.",
        f"{name}:6: нет рабочих дней (2): 05.11.2026, 30.11.2026",
        f"{name}:26:date: 07.11.2026 — нерабочий день по производственному календарю",
        f"{name}:27:date: повтор: этот день уже есть в строке 8",
        f"{name}:28:date: день 01.12.2026 не из месяца 11.2026",
    ]
    assert q(db, "SELECT count(*) FROM peak_hour") == [(0,)]


# ------------------------------------------------------------------------------------------- SO windows
def test_w12_so_window_notation(db, tmp_path):
    feb = parse_windows("8–13, 17–21")
    assert feb == set(range(8, 14)) | set(range(17, 22))
    assert sorted(h - 1 for h in feb) == list(range(7, 13)) + list(range(16, 21))   # hour-beginning, 3yungar
    assert sorted(h - 1 for h in parse_windows("8-21")) == list(range(7, 21))
    # the shipped 2026 windows are in a fresh store
    assert [h for (h,) in q(db, "SELECT hour FROM so_window WHERE period = 202602 AND price_zone = 1 ORDER BY 1")] == \
        sorted(feb)
    f = write_csv(tmp_path / "so2027.csv", ["месяц;ценовая зона;часы", "2027-02;1;8–13, 17–21", "2027-01;1;8-21",
                                            "2027-01;2;21–8", "2027-03;3;8–21", "2027-04;1;8–25",
                                            "2027-05;1;утро"])
    r = cli(db, "prices", "import", f)
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        "Ошибка: so2027.csv: найдено ошибок 4. Ничего не записано.",
        "so2027.csv:4:windows: начало позже конца: «21–8»",
        "so2027.csv:5:price_zone: значение «3» больше 2",
        "so2027.csv:6:windows: час вне 1–24: «8–25»",
        "so2027.csv:7:windows: не диапазон часов: «утро» (ожидается, например, «8–13, 17–21»)",
    ]
    ok(db, "prices", "import", write_csv(tmp_path / "so2027ok.csv", ["month;price_zone;windows",
                                                                     "2027-02;1;8–13, 17–21", "2027-01;1;8-21"]))
    assert q(db, "SELECT period, list(hour ORDER BY hour) FROM so_window WHERE period >= 202701 GROUP BY 1 "
                 "ORDER BY 1") == [(202701, list(range(8, 22))), (202702, sorted(feb))]


def test_so_windows_replace_the_shipped_month(db, tmp_path):
    out = ok(db, "prices", "import", write_csv(tmp_path / "so.csv", ["month;price_zone;windows", "2026-11;1;9–12"]))
    assert "заменено строк прежних файлов 10" in out
    assert [h for (h,) in q(db, "SELECT hour FROM so_window WHERE period = 202611 AND price_zone = 1 ORDER BY 1")] == \
        [9, 10, 11, 12]


# ------------------------------------------------------------------------------------------- hourly plans
@pytest.fixture
def points(db):
    ok(db, "counterparty", "add", "7736207543", "--kpp", "770401001", "--name", "ООО «Завод»", "--date", "2026-01-01")
    ok(db, "contract", "apply", "Д-1", "--counterparty", "7736207543", "--date", "2026-01-11")
    ok(db, "contract", "object", "Д-1", "--code", "OB1", "--name", "Завод", "--date", "2026-01-11")
    for point, cat in (("TP5", "5"), ("TP1", "1")):
        ok(db, "contract", "point", "OB1", "--code", point, "--voltage", "СН2", "--max-kw", "500", "--category", cat,
           "--date", "2026-01-11")
    return db


def test_hourly_plans_of_categories_5_6(points, tmp_path):
    db = points
    r = cli(db, "prices", "import", write_csv(tmp_path / "plan.csv", [
        "точка поставки;дата;час;квт·ч", "TP5;01.11.2026;1;125,125", "TP1;01.11.2026;1;10", "TPX;01.11.2026;1;10",
        "TP5;01.11.2026;1;5", "TP5;01.11.2026;2;1,2345"]))
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        "Ошибка: plan.csv: найдено ошибок 4. Ничего не записано.",
        "plan.csv:3:point: точка поставки TP1 на 01.11.2026 в 1-й ценовой категории: плановые объёмы — только для "
        "категорий 5 и 6",
        "plan.csv:4:point: нет точки поставки «TPX»",
        "plan.csv:5:hour: повтор: этот час точки поставки уже есть в строке 2",
        "plan.csv:6:kwh: не число (до 3 знаков после запятой): «1,2345»",
    ]
    out = ok(db, "prices", "import", write_csv(tmp_path / "plan2.csv", [
        "point;date;hour;kwh", *[f"TP5;0{d}.11.2026;{h};{100 + h},125" for d in (1, 2) for h in range(1, 25)]]))
    assert "почасовые плановые объёмы (ЦК 5–6) за 11.2026: записано строк 48" in out
    assert q(db, "SELECT sum(value_wh), min(value_wh) FROM hour_plan") == [(2 * (24 * 100_125 + 300_000), 101_125)]
    out = ok(db, "prices", "import", write_csv(tmp_path / "plan3.csv", ["point;date;hour;kwh", "TP5;02.11.2026;5;0"]))
    assert "заменено строк прежних файлов 24" in out
    assert q(db, "SELECT day, count(*) FROM hour_plan GROUP BY 1 ORDER BY 1") == [
        (date(2026, 11, 1), 24), (date(2026, 11, 2), 1)]


# ------------------------------------------------------------------------------------------- templates, detection
def test_templates_fill_and_import(db, tmp_path):
    from openpyxl import load_workbook

    for kind in ("price_table", "price_hours", "so_windows", "hour_plan", "peak_hours"):
        ok(db, "prices", "template", kind, str(tmp_path / f"{kind}.csv"))
        ok(db, "prices", "template", kind, str(tmp_path / f"{kind}.xlsx"), "--period", "2026-11")
    assert (tmp_path / "price_table.csv").read_bytes() == \
        "\ufeffperiod;category;voltage;component;zones;zone;value\r\n".encode()
    book = load_workbook(tmp_path / "price_hours.xlsx")
    assert book.sheetnames == ["3 ЦК СН2 факт", "5 ЦК СН2 факт", "5 ЦК СН2 факт>план", "5 ЦК СН2 план>факт",
                               "Описание"]
    # the peak-hours template is the АТС layout with the month's working days: fill the hours, import
    book = load_workbook(tmp_path / "peak_hours.xlsx")
    sh = book.active
    filled = 0
    for row in sh.iter_rows(min_row=6):
        if row[0].value:
            row[1].value = 18
            filled += 1
    assert filled == 20
    book.save(tmp_path / "filled.xlsx")
    out = ok(db, "prices", "import", str(tmp_path / "filled.xlsx"), "--region", "46")
    assert "часы пиковой нагрузки АТС за 11.2026: записано строк 20" in out
    r = cli(db, "prices", "template", "price_table", str(tmp_path / "x.txt"))
    assert r.exit_code == 1 and "Шаблон записывается в .xlsx или .csv" in r.output


def test_kind_is_detected_or_asked_for(tmp_path):
    from sbyt.io.price_files import detect, sheets

    def kind(name: str, text: str) -> str | None:
        return detect(name, sheets(text.encode(), name))

    assert kind("a.csv", "period;category;voltage;component;value\n") == "price_table"
    assert kind("a.csv", "category;voltage;rate;date;hour;value\n") == "price_hours"
    assert kind("a.csv", "month;price_zone;windows\n") == "so_windows"
    assert kind("a.csv", "Точка поставки;Дата;Час;кВт·ч\n") == "hour_plan"
    assert kind("202611_X_46_calcfacthour.csv", "Дата;Час\n") == "peak_hours"
    assert kind("a.csv", "Ежемесячный отчет по часам пиковой нагрузки\n\nДата;Час\n") == "peak_hours"
    assert kind("a.csv", "x;y\n") is None


def test_voltage_spellings():
    from sbyt.io.price_files import voltage_code

    assert [voltage_code(v) for v in ("ВН", "BH", "СН-I", "CH-I", "СН1", "SN1", "СН-II", "CH2", "сн 2", "SN2", "НН",
                                      "HH", "NN", "VN", "СН3")] == \
        ["VN", "VN", "SN1", "SN1", "SN1", "SN1", "SN2", "SN2", "SN2", "SN2", "NN", "NN", "NN", "VN", "СН3"]


def test_final_price_refuses_a_per_mw_component():
    from sbyt.core.errors import SbytError

    with pytest.raises(SbytError, match="руб./МВт в месяц"):
        final_price({"energy": Decimal(1), "capacity": Decimal(950000)})
