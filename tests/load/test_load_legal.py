"""`sbyt load` of legal entities migrated from the old system: counterparties of every kind (a sole
trader without KPP, a company with two KPP, a managing company, a budget school), their bank accounts,
contracts of every kind as signed or terminated, objects (a non-residential premise of an apartment
building), supply points with their facts (a ≥ 670 kW point, a transit pair), measuring complexes bound
to АСКУЭ; every bad row with its exact message, all or nothing, the same files twice write nothing;
the loaded contracts go on through `sbyt contract` and the 80020 import binds to the loaded meters."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.load import write_templates
from sbyt.console.cli.main import app
from sbyt.core.loading.entities.legal import LEGAL
from sbyt.core.store import open_store

runner = CliRunner()
SARANSK = "80020_7703311228_20100714_12373_2100000600.xml"
# measuring points and channels of the sample: a plant (up to 7 795 kW an hour) and a shop fed through its network
HEAD_CODE, HEAD_CHANNEL, TRANSIT_CODE, TRANSIT_CHANNEL = "132070043107101", "02", "132070043107201", "01"

FILES = {
    "counterparties": """inn;kpp;kind;ogrn;manager;registered
7736207543;770401001;legal;1027700229193;;2010-01-01
7736207543;784201001;ЮРИДИЧЕСКОЕ ЛИЦО;1027700229193;;2012-03-01
132612345663;;sole_trader;304132612345673;;2010-01-01
1326004563;132601001;manager;1131326004567;M01;2013-05-01
1314001230;131401001;budget;1021300000017;;2010-01-01
7713076301;771301001;legal;;;2009-12-01
""",
    "counterparty_facts": """inn;kpp;valid_from;valid_to;name;short_name;legal_address;postal_address;mobile;email;budget_level;financing_group;consumer_group
7736207543;770401001;2010-01-01;2015-06-01;ООО «Яндекс»;Яндекс;г. Москва, ул. Льва Толстого, д. 16;;8 (912) 345-67-89;energo@yandex.example;;;прочие
7736207543;770401001;2015-06-01;;ООО «ЯНДЕКС»;Яндекс;119021, г. Москва, ул. Льва Толстого, д. 16;;+7 912 345-67-00;energo@yandex.example;;;прочие
7736207543;784201001;2012-03-01;;ООО «Яндекс», филиал в Санкт-Петербурге;;г. Санкт-Петербург, Пискарёвский пр., д. 2;;+79110000001;spb@yandex.example;;;прочие
132612345663;;2010-01-01;;ИП Кузнецов Пётр Иванович;ИП Кузнецов;г. Саранск, ул. Ленина, д. 10к2, пом. 1Н;;+7 927 111-22-33;kuznetsov@mail.example;;;прочие
1326004563;132601001;2013-05-01;;ООО «УК Уют»;УК Уют;г. Саранск, ул. Ленина, д. 1;;+7 927 000-00-01;uk@uyut.example;;;исполнители коммунальных услуг
1314001230;131401001;2010-01-01;;МБОУ «Средняя школа № 5»;Школа № 5;г. Саранск, ул. Школьная, д. 5;;+7 927 000-00-05;school5@edu.example;local;местный бюджет;бюджетные потребители
7713076301;771301001;2009-12-01;;АО «Саранский завод»;Завод;г. Саранск, ул. Заводская, д. 1;а/я 1;+7 927 000-00-07;energo@zavod.example;;;промышленность
""",
    "counterparty_banks": """inn;kpp;bik;bank_name;account;corr_account;valid_from;valid_to
7736207543;770401001;044525225;ПАО Сбербанк;40702810938000000001;30101810400000000225;2010-01-01;
132612345663;;048952615;Банк;40802810500000001234;30101810100000000615;2010-01-01;
1314001230;131401001;004525988;УФК по г. Москве;03234643450000007300;40102810545370000003;2010-01-01;
""",
    "contracts": """number;inn;kpp;kind;payment_scheme;state;applied_on;signed_on;doc_no;starts;ends;terminated_on;terminated_from;termination_reason;edo
Д-1;7736207543;770401001;supply;;signed;2010-01-11;2010-01-25;ЭС-1/2010;2010-02-01;;;;;да
Д-2;132612345663;;sale;p81;signed;;2010-01-15;;2010-01-15;;;;;нет
Д-3;1326004563;;manager;;signed;2013-05-06;2013-05-20;;2013-06-01;;;;;
Д-4;1314001230;;supply;;terminated;2010-01-12;2010-01-29;;2010-02-01;;2019-11-15;2019-12-01;ликвидация учреждения;
Д-5;7713076301;;supply;;подписан;2009-12-10;2009-12-25;;2010-01-01;;;;;
Д-6;7736207543;784201001;supply;;signed;2012-03-05;2012-03-20;;2012-04-01;2030-01-01;;;;
""",
    "calc_objects": """code;contract;name;address;building;premise_no;opened;closed
OB1;Д-1;Офис;г. Москва, ул. Льва Толстого, д. 16;;;2010-02-01;
OB2;Д-2;Магазин «Продукты»;;B0001;1Н;2010-01-15;
OB3;Д-3;Общее имущество МКД;;B0001;;2013-06-01;
OB4;Д-4;Школа № 5;;;;2010-02-01;
OB5;Д-5;Завод, главный корпус;;;;2010-01-01;
OB6;Д-6;Офис СПб;;;;2012-04-01;
""",
    "legal_points": """code;object;name;grid_company;boundary;head_point;opened;closed
TP1;OB1;ВРУ-0,4 кВ;ПАО «Россети Московский регион»;наконечники кабеля в ВРУ;;2010-02-01;
TP2;OB2;ВРУ магазина;;контакты рубильника в щите завода;TP5;2010-01-15;
TP3;OB3;ВРУ дома;ПАО «Россети Волга»;;;2013-06-01;
TP4;OB4;ТП-12;ПАО «Россети Волга»;;;2010-02-01;
TP5;OB5;ПС 110/10 кВ «Заводская», яч. 5;ПАО «Россети Волга»;зажимы ВЛ-110 кВ;;2010-01-01;
TP6;OB6;ВРУ;;;;2012-04-01;
""",
    "legal_point_facts": """point;valid_from;valid_to;voltage;max_kw;price_category;reliability
TP1;2010-02-01;;NN;150;1;3
TP2;2010-01-15;;НН;120;1;3
TP3;2013-06-01;;NN;250;1;2
TP4;2010-02-01;2015-01-01;SN2;120;1;2
TP4;2015-01-01;;СН2;180,5;2;2
TP5;2010-01-01;;VN;8000;4;1
TP6;2012-04-01;;NN;60,5;1;3
""",
    "legal_meters": f"""point;serial;model;accuracy;digits;ct_ratio;vt_ratio;installed;removed;verified;verification_years;loss_pct;askue_code;askue_channel
TP1;01234567;Меркурий 234;1,0;6;30;1;2010-02-01;;2009-11-20;16;0;;
TP2;S2;Меркурий 230;1,0;6;1;1;2010-01-15;;;;;{TRANSIT_CODE};{TRANSIT_CHANNEL}
TP5;S5;СЭТ-4ТМ.03М;0,5S;8;30;1100;2010-01-01;;2009-10-01;12;1,5;{HEAD_CODE};{HEAD_CHANNEL}
TP4;S4;Меркурий 230;0,5S;6;40;1;2010-02-01;;;;;;
""",
}


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    r = cli(db, *args)
    assert r.exit_code == 0, r.output
    return r.output


def write(d: Path, files: dict[str, str]) -> Path:
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / f"{name}.csv").write_text(text, encoding="utf-8")
    return d


@pytest.fixture
def db(store, db_path, tmp_path: Path) -> str:
    """A store with the households' templates (building B0001 — an apartment building, managing company M01)."""
    store.close()
    base = tmp_path / "base"
    write_templates(base)
    for name in ["opening_balances", *(e.name for e in LEGAL)]:
        (base / f"{name}.csv").unlink()
    with (base / "premises.csv").open("a", encoding="utf-8") as f:
        f.write("B0001;1Н;nonres;;;85,5;1;нет;нет\r\n")
    ok(str(db_path), "load", str(base))
    return str(db_path)


def with_row(name: str, *lines: str, files: dict[str, str] = FILES) -> dict[str, str]:
    return {**files, name: files[name] + "".join(f"{line}\n" for line in lines)}


def errors(db: str, d: Path) -> list[str]:
    r = cli(db, "load", str(d))
    assert r.exit_code == 1, r.output
    lines = r.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Ошибка: Найдено ошибок:"))
    return lines[head:]


LEGAL_TABLES = ["counterparty", "counterparty_fact", "counterparty_bank", "contract", "contract_doc", "calc_object",
                "legal_point", "legal_point_fact", "legal_meter", "import_batch", "audit_log"]


def counts(db: str) -> dict[str, int]:
    with open_store(db) as st:
        return {t: st.scalar(f"SELECT count(*) FROM {t}") for t in LEGAL_TABLES}


def test_a_migration_loads_as_the_cli_would_have_entered_it(db, tmp_path: Path) -> None:
    r = cli(db, "load", str(write(tmp_path / "legal", FILES)))
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[-9:] == [
        "counterparties.csv: строк 6, новых 6, изменённых 0, без изменений 0",
        "counterparty_facts.csv: строк 7, новых 7, изменённых 0, без изменений 0",
        "counterparty_banks.csv: строк 3, новых 3, изменённых 0, без изменений 0",
        "contracts.csv: строк 6, новых 6, изменённых 0, без изменений 0",
        "calc_objects.csv: строк 6, новых 6, изменённых 0, без изменений 0",
        "legal_points.csv: строк 6, новых 6, изменённых 0, без изменений 0",
        "legal_point_facts.csv: строк 7, новых 7, изменённых 0, без изменений 0",
        "legal_meters.csv: строк 4, новых 4, изменённых 0, без изменений 0",
        "Загружено (пакет 2).",
    ]
    with open_store(db) as st:
        assert st.all("SELECT id, kind, inn, kpp, ogrn, manager_id, registered::VARCHAR, created_by FROM counterparty"
                      " ORDER BY id") == [
            (1, "legal", "7736207543", "770401001", "1027700229193", None, "2010-01-01", st.user),
            (2, "legal", "7736207543", "784201001", "1027700229193", None, "2012-03-01", st.user),
            (3, "sole_trader", "132612345663", None, "304132612345673", None, "2010-01-01", st.user),
            (4, "manager", "1326004563", "132601001", "1131326004567", 1, "2013-05-01", st.user),
            (5, "budget", "1314001230", "131401001", "1021300000017", None, "2010-01-01", st.user),
            (6, "legal", "7713076301", "771301001", None, None, "2009-12-01", st.user)]
        # the mobile number normalised as `sbyt counterparty add` stores it
        assert st.all("SELECT counterparty_id, valid_from::VARCHAR, valid_to::VARCHAR, mobile, budget_level,"
                      " financing_group FROM counterparty_fact ORDER BY 1, 2") == [
            (1, "2010-01-01", "2015-06-01", "+79123456789", None, None),
            (1, "2015-06-01", None, "+79123456700", None, None),
            (2, "2012-03-01", None, "+79110000001", None, None),
            (3, "2010-01-01", None, "+79271112233", None, None),
            (4, "2013-05-01", None, "+79270000001", None, None),
            (5, "2010-01-01", None, "+79270000005", "local", "местный бюджет"),
            (6, "2009-12-01", None, "+79270000007", None, None)]
        assert st.all("SELECT id, counterparty_id, bik, account, corr_account, valid_from::VARCHAR, valid_to"
                      " FROM counterparty_bank ORDER BY id") == [
            (1, 1, "044525225", "40702810938000000001", "30101810400000000225", "2010-01-01", None),
            (2, 3, "048952615", "40802810500000001234", "30101810100000000615", "2010-01-01", None),
            (3, 5, "004525988", "03234643450000007300", "40102810545370000003", "2010-01-01", None)]
        assert st.all("SELECT number, counterparty_id, kind, payment_scheme, state, applied_on::VARCHAR,"
                      " complete_on::VARCHAR, signed_on::VARCHAR, starts::VARCHAR, ends::VARCHAR,"
                      " terminated_from::VARCHAR, edo FROM contract ORDER BY id") == [
            ("Д-1", 1, "supply", "p82", "signed", "2010-01-11", "2010-01-11", "2010-01-25", "2010-02-01", None, None, True),
            ("Д-2", 3, "sale", "p81", "signed", "2010-01-15", "2010-01-15", "2010-01-15", "2010-01-15", None, None, False),
            ("Д-3", 4, "manager", "p81", "signed", "2013-05-06", "2013-05-06", "2013-05-20", "2013-06-01", None, None,
             False),
            ("Д-4", 5, "supply", "p82", "terminated", "2010-01-12", "2010-01-12", "2010-01-29", "2010-02-01", None,
             "2019-12-01", False),
            ("Д-5", 6, "supply", "p82", "signed", "2009-12-10", "2009-12-10", "2009-12-25", "2010-01-01", None, None,
             False),
            ("Д-6", 2, "supply", "p82", "signed", "2012-03-05", "2012-03-05", "2012-03-20", "2012-04-01", "2030-01-01",
             None, False)]
        assert st.all("SELECT o.code, k.number, b.code, o.premise_no FROM calc_object o JOIN contract k"
                      " ON k.id = o.contract_id LEFT JOIN building b ON b.id = o.building_id ORDER BY o.id") == [
            ("OB1", "Д-1", None, None), ("OB2", "Д-2", "B0001", "1Н"), ("OB3", "Д-3", "B0001", None),
            ("OB4", "Д-4", None, None), ("OB5", "Д-5", None, None), ("OB6", "Д-6", None, None)]
        assert st.all("SELECT p.code, h.code FROM legal_point p LEFT JOIN legal_point h ON h.id = p.head_point_id"
                      " WHERE p.head_point_id IS NOT NULL") == [("TP2", "TP5")]
        # the terminated contract's point facts end on its termination date, as `sbyt contract terminate` does
        assert st.all("SELECT p.code, f.valid_from::VARCHAR, f.valid_to::VARCHAR, f.voltage, f.max_kw,"
                      " f.price_category, f.reliability, f.doc_id FROM legal_point_fact f"
                      " JOIN legal_point p ON p.id = f.point_id WHERE p.code IN ('TP4', 'TP5') ORDER BY 1, 2") == [
            ("TP4", "2010-02-01", "2015-01-01", "SN2", Decimal("120.000"), 1, 2, None),
            ("TP4", "2015-01-01", "2019-12-01", "SN2", Decimal("180.500"), 2, 2, None),
            ("TP5", "2010-01-01", None, "VN", Decimal("8000.000"), 4, 1, None)]
        assert st.all("SELECT p.code, m.serial, m.model, m.accuracy, m.digits, m.ct_ratio, m.vt_ratio,"
                      " m.installed::VARCHAR, m.verified::VARCHAR, m.verify_years, m.loss_pct, m.askue_code,"
                      " m.askue_channel FROM legal_meter m JOIN legal_point p ON p.id = m.point_id ORDER BY m.id") == [
            ("TP1", "01234567", "Меркурий 234", "1,0", 6, 30, 1, "2010-02-01", "2009-11-20", 16, Decimal("0.000"),
             None, None),
            ("TP2", "S2", "Меркурий 230", "1,0", 6, 1, 1, "2010-01-15", None, None, Decimal("0.000"),
             TRANSIT_CODE, TRANSIT_CHANNEL),
            ("TP5", "S5", "СЭТ-4ТМ.03М", "0,5S", 8, 30, 1100, "2010-01-01", "2009-10-01", 12, Decimal("1.500"),
             HEAD_CODE, HEAD_CHANNEL),
            ("TP4", "S4", "Меркурий 230", "0,5S", 6, 40, 1, "2010-02-01", None, None, Decimal("0.000"), None, None)]
        batch = st.one("SELECT id, kind, file_name, rows FROM import_batch WHERE id = 2")
        assert batch == (2, "load", "legal", 45)
        audit = st.all("SELECT action, entity, entity_id, new_value FROM audit_log WHERE entity = 'load'"
                       " ORDER BY id")[-1]
        assert audit[:3] == ("command", "load", "2")
        assert json.loads(audit[3])["changes"]["contracts"] == {"inserted": 6, "updated": 0}
    # the history of a migrated contract: its documents as the CLI lists them
    out = ok(db, "contract", "history", "Д-4", "--format", "csv")
    assert out.splitlines()[1:] == [
        f"2010-01-12;заявка;;;;перенесено из прежней системы;{st.user}",
        f"2010-01-29;подписание;;2010-02-01;;перенесено из прежней системы;{st.user}",
        f"2019-11-15;расторжение;;2019-12-01;;ликвидация учреждения;{st.user}"]
    assert ok(db, "contract", "history", "Д-1", "--format", "csv").splitlines()[2].startswith(
        "2010-01-25;подписание;ЭС-1/2010;2010-02-01;")
    # the counterparty is found by its INN, the sole trader without KPP
    assert "ИП Кузнецов Пётр Иванович" in ok(db, "counterparty", "find", "132612345663")


def test_the_same_files_twice_write_nothing(db, tmp_path: Path) -> None:
    d = write(tmp_path / "legal", FILES)
    ok(db, "load", str(d))
    before = counts(db)
    r = cli(db, "load", str(d))
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[-2:] == ["legal_meters.csv: строк 4, новых 0, изменённых 0, без изменений 4",
                                          "Изменений нет: всё уже загружено."]
    assert counts(db) == before


def test_a_corrected_file_replaces_the_contract_and_its_documents(db, tmp_path: Path) -> None:
    ok(db, "load", str(write(tmp_path / "legal", FILES)))
    fixed = FILES["contracts"].replace("Д-5;7713076301;;supply;;подписан;2009-12-10;2009-12-25;;2010-01-01;;;;;",
                                       "Д-5;7713076301;;supply;;signed;2009-12-10;2009-12-28;Э-5;2010-01-01;;;;;")
    r = cli(db, "load", str(write(tmp_path / "fix", {"contracts": fixed})))
    assert r.exit_code == 0, r.output
    assert "contracts.csv: строк 6, новых 0, изменённых 1, без изменений 5" in r.stderr
    with open_store(db) as st:
        assert st.scalar("SELECT id FROM contract WHERE number = 'Д-5'") == 5
        assert st.all("SELECT d.kind, d.doc_date::VARCHAR, d.doc_no FROM contract_doc d JOIN contract k"
                      " ON k.id = d.contract_id WHERE k.number = 'Д-5' ORDER BY d.id") == [
            ("application", "2009-12-10", None), ("signed", "2009-12-28", "Э-5")]


def test_every_bad_row_is_reported_and_nothing_is_written(db, db_path: Path, tmp_path: Path) -> None:
    files = with_row("counterparties",
                     "7736207544;770401001;legal;;;2010-01-01",          # a wrong check digit
                     "132612345663;132601001;sole_trader;;;2010-01-01",  # a sole trader with a KPP (and a duplicate)
                     "1326004563;;legal;1131326004568;;2010-01-01",      # no KPP, a wrong OGRN, no facts
                     "7713076301;77130100;legal;;M01;2010-01-01",         # a bad KPP, a manager of a non-manager
                     "500100732259;;sole_trader;;;2010-01-01",            # no facts at registration
                     "50010073225;;sole_trader;;;2010-01-01")             # 11 digits
    files = with_row("counterparty_facts",
                     "7713076301;771301001;2020-01-01;;АО «Завод»;;;;+7 495 123-45-67;zavod@;;;",
                     "7713076301;771301001;2009-12-01;2010-06-01;АО «Завод»;;;;;;municipal;;",
                     "7736207544;770401001;2010-01-01;;ООО «Нет такого»;;;;;;;;",
                     "7736207544;770401001;2010-01-01;;ООО «Нет такого»;;;;;;;;",
                     "500100732259;;2011-01-01;;ИП Иванов;;;;;;;;", files=files)
    files = with_row("counterparty_banks",
                     "7713076301;771301001;044525226;;40702810938000000001;;2010-01-01;",
                     "7713076301;771301001;44525225;;40702810938000000001;;2011-01-01;",
                     "7713076301;771301001;044525225;;40702810938000000001;30101810400000000226;2012-01-01;",
                     "1314001230;131401001;004525988;;40702810938000000001;;2011-01-01;", files=files)
    files = with_row("contracts",
                     "Д-7;7736207543;;supply;;signed;;2010-01-20;;2010-02-01;;;;;",
                     "Д-8;7700000000;;supply;;signed;;2010-01-20;;2010-02-01;;;;;",
                     "Д-9;7736207543;770401002;supply;;signed;;2010-01-20;;2010-02-01;;;;;",
                     "Д-10;1326004563;132601001;supply;;signed;2010-02-01;2010-01-20;;2010-02-01;2010-01-01;;;;",
                     "Д-11;1314001230;;sale;;terminated;;2010-01-20;;2010-02-01;;2010-01-10;2010-01-15;;",
                     "Д-12;1314001230;;sale;;signed;;2010-01-20;;2010-02-01;;;2011-01-01;;",
                     "Д-13;1314001230;;supply;;draft;;2010-01-20;;2010-02-01;;;;;",
                     "Д-1;7713076301;;supply;;signed;;2010-01-20;;2010-02-01;;;;;", files=files)
    files = {**files, "counterparty_facts": files["counterparty_facts"].replace(
        "1326004563;132601001;2013-05-01;;ООО «УК Уют»;УК Уют;г. Саранск, ул. Ленина, д. 1;;+7 927 000-00-01;"
        "uk@uyut.example", "1326004563;132601001;2013-05-01;;ООО «УК Уют»;УК Уют;г. Саранск, ул. Ленина, д. 1;;;")}
    files = with_row("calc_objects",
                     "OB7;Д-99;Склад;;;;2010-01-01;",
                     "OB8;Д-2;Дом;;B0002;;2010-01-01;",
                     "OB9;Д-2;Склад;;;12;2010-01-01;2010-01-01",
                     "OB10;Д-2;Склад;;B0001;12;2010-01-01;",
                     "OB11;Д-2;Склад;;B0001;2Н;2010-01-01;", files=files)
    files = with_row("legal_points",
                     "TP7;OB99;;;;TP99;2010-01-01;",
                     "TP8;OB1;;;;TP8;2010-02-01;",
                     "TP9;OB1;;;;;2010-02-01;", files=files)
    files = with_row("legal_point_facts",
                     "TP7;2010-01-01;;VN;700;3;1",
                     "TP8;2010-02-01;;ВН;0;1;4",
                     "TP8;2010-03-01;;XX;670,0001;1;",
                     "TP4;2019-12-01;;SN2;180;2;2",
                     "TP99;2010-01-01;;NN;1;1;", files=files)
    files = with_row("legal_meters",
                     f"TP7;S7;;;;0;1;2009-01-01;2009-01-01;;;;{HEAD_CODE};{HEAD_CHANNEL}",
                     "TP8;S8;;;;;;2010-02-01;;;;101;X;",
                     "TP99;S9;;;;;;2010-02-01;;;;;;", files=files)
    d = write(tmp_path / "bad", files)
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    assert errors(db, d) == [
        "Ошибка: Найдено ошибок: 68. Ничего не записано.",
        "counterparties.csv:8:inn: ИНН 7736207544: неверная контрольная цифра",
        "counterparties.csv:9:kpp: у индивидуального предпринимателя нет КПП",
        "counterparties.csv:9:registered: нет сведений контрагента (counterparty_facts: наименование) на дату 01.01.2010",
        "counterparties.csv:10:kpp: укажите КПП организации",
        "counterparties.csv:10:ogrn: ОГРН 1131326004568: неверная контрольная цифра",
        "counterparties.csv:10:registered: нет сведений контрагента (counterparty_facts: наименование) на дату 01.01.2010",
        "counterparties.csv:11:kpp: КПП должен состоять из 9 символов (4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры): «77130100»",
        "counterparties.csv:11:manager: управляющую организацию (manager) указывают только у контрагента вида manager",
        "counterparties.csv:11:registered: нет сведений контрагента (counterparty_facts: наименование) на дату 01.01.2010",
        "counterparties.csv:12:registered: нет сведений контрагента (counterparty_facts: наименование) на дату 01.01.2010",
        "counterparties.csv:13:inn: ИНН индивидуального предпринимателя должен состоять из 12 цифр: «50010073225»",
        "counterparties.csv:13:registered: нет сведений контрагента (counterparty_facts: наименование) на дату 01.01.2010",
        "counterparty_facts.csv:9:valid_from: период действия с 01.01.2020 пересекается со строкой 10 (с 01.12.2009)",
        "counterparty_facts.csv:9:mobile: Номер +74951234567 не мобильный: мобильный номер начинается с +7 9",
        "counterparty_facts.csv:9:email: Адрес электронной почты «zavod@» неверен: ожидается вид имя@домен.ru",
        "counterparty_facts.csv:10:budget_level: недопустимое значение «municipal» (допустимо: federal, regional, local)",
        "counterparty_facts.csv:10:valid_from: повтор: запись «7713076301/771301001 / 2009-12-01» уже есть в строке 8",
        "counterparty_facts.csv:10:valid_from: период действия с 01.12.2009 пересекается со строкой 8 (с 01.12.2009)",
        "counterparty_facts.csv:12:valid_from: повтор: запись «7736207544/770401001 / 2010-01-01» уже есть в строке 11",
        "counterparty_facts.csv:12:valid_from: период действия с 01.01.2010 пересекается со строкой 11 (с 01.01.2010)",
        "counterparty_banks.csv:5:account: Счёт 40702810938000000001 не соответствует БИК 044525226: неверный контрольный ключ",
        "counterparty_banks.csv:6:valid_from: период действия с 01.01.2011 пересекается со строкой 5 (с 01.01.2010)",
        "counterparty_banks.csv:6:bik: БИК должен состоять из 9 цифр и начинаться с 0: «44525225»",
        "counterparty_banks.csv:7:valid_from: период действия с 01.01.2012 пересекается со строкой 6 (с 01.01.2011)",
        "counterparty_banks.csv:7:corr_account: Корреспондентский счёт 30101810400000000226 не соответствует БИК 044525225: неверный контрольный ключ",
        "counterparty_banks.csv:8:valid_from: период действия с 01.01.2011 пересекается со строкой 4 (с 01.01.2010)",
        "counterparty_banks.csv:8:account: Счёт в органе Федерального казначейства (БИК 004525988) должен начинаться с 03: «40702810938000000001»",
        "contracts.csv:3:kpp: с ИНН 132612345663 несколько контрагентов (КПП 132601001, без КПП): укажите КПП",
        "contracts.csv:4:kpp: с ИНН 1326004563 несколько контрагентов (КПП 132601001, без КПП): укажите КПП",
        "contracts.csv:6:kpp: с ИНН 7713076301 несколько контрагентов (КПП 77130100, 771301001): укажите КПП",
        "contracts.csv:8:kpp: с ИНН 7736207543 несколько контрагентов (КПП 770401001, 784201001): укажите КПП",
        "contracts.csv:9:inn: нет контрагента «7700000000» ни в файлах, ни в базе",
        "contracts.csv:10:kpp: нет контрагента «7736207543 / 770401002» ни в файлах, ни в базе",
        "contracts.csv:11:signed_on: дата подписания раньше даты заявки (01.02.2010)",
        "contracts.csv:11:ends: срок действия договора кончается раньше начала поставки",
        "contracts.csv:11:state: договор энергоснабжения подписан, а в действующих сведениях контрагента 1326004563/132601001 нет мобильного телефона и адреса электронной почты для уведомлений об ограничении (counterparty_facts: mobile, email)",
        "contracts.csv:12:terminated_from: дата расторжения 15.01.2010 раньше начала поставки 01.02.2010",
        "contracts.csv:12:terminated_on: документ о расторжении 10.01.2010 раньше подписания договора 20.01.2010",
        "contracts.csv:13:terminated_from: дата расторжения указана, а договор не расторгнут (state)",
        "contracts.csv:14:state: недопустимое значение «draft» (допустимо: signed — подписан, terminated — расторгнут)",
        "contracts.csv:15:number: повтор: запись «Д-1» уже есть в строке 2",
        "contracts.csv:15:kpp: с ИНН 7713076301 несколько контрагентов (КПП 77130100, 771301001): укажите КПП",
        "calc_objects.csv:8:contract: нет договора «Д-99» ни в файлах, ни в базе",
        "calc_objects.csv:9:building: нет дома «B0002» ни в файлах, ни в базе",
        "calc_objects.csv:10:premise_no: для номера помещения укажите дом (building)",
        "calc_objects.csv:10:closed: дата исключения не позже даты включения",
        "calc_objects.csv:11:premise_no: помещение 12 дома B0001 не нежилое (premises.kind: nonres)",
        "calc_objects.csv:12:premise_no: нет помещения «B0001 / 2Н» ни в файлах, ни в базе",
        "legal_points.csv:8:object: нет объекта расчёта «OB99» ни в файлах, ни в базе",
        "legal_points.csv:8:head_point: нет точки поставки «TP99» ни в файлах, ни в базе",
        "legal_points.csv:9:head_point: точка поставки не может быть транзитной от самой себя",
        "legal_points.csv:10:opened: нет характеристик точки поставки (legal_point_facts) на дату включения 01.02.2010",
        "legal_point_facts.csv:9:price_category: при максимальной мощности 700 кВт (670 кВт и более) допустимы только ценовые категории 4 и 6",
        "legal_point_facts.csv:10:reliability: значение «4» больше 3",
        "legal_point_facts.csv:10:max_kw: максимальная мощность должна быть больше нуля",
        "legal_point_facts.csv:11:voltage: недопустимое значение «XX» (допустимо: VN — ВН, SN1 — СН1, SN2 — СН2, NN — НН)",
        "legal_point_facts.csv:11:max_kw: не число (до 3 знаков после запятой): «670,0001»",
        "legal_point_facts.csv:11:valid_from: период действия с 01.03.2010 пересекается со строкой 10 (с 01.02.2010)",
        "legal_point_facts.csv:12:valid_from: период действия с 01.12.2019 пересекается со строкой 6 (с 01.01.2015)",
        "legal_point_facts.csv:12:valid_from: характеристики с 01.12.2019 — после расторжения договора № Д-4 (расторгнут с 01.12.2019)",
        "legal_point_facts.csv:13:point: нет точки поставки «TP99» ни в файлах, ни в базе",
        "legal_meters.csv:6:ct_ratio: значение «0» меньше 1",
        f"legal_meters.csv:6:askue_code: точка измерения АСКУЭ {HEAD_CODE}, канал {HEAD_CHANNEL} уже привязана к прибору S5 точки поставки TP5 в строке 4",
        "legal_meters.csv:6:removed: дата снятия не позже даты установки",
        "legal_meters.csv:6:installed: прибор установлен раньше включения точки поставки (01.01.2010)",
        "legal_meters.csv:7:loss_pct: значение «101» больше 100",
        "legal_meters.csv:7:askue_channel: для АСКУЭ укажите и код точки измерения (askue_code), и код канала (askue_channel)",
        "legal_meters.csv:8:point: нет точки поставки «TP99» ни в файлах, ни в базе",
    ]
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def _values(path: Path, code: str, channel: str) -> list[Decimal]:
    """The raw <value> texts of one point and channel (an independent reading of the file)."""
    import xml.etree.ElementTree as ET

    text = path.read_bytes().decode("cp1251")
    root = ET.fromstring(text.split("?>", 1)[1] if text.startswith("<?xml") else text)
    return [Decimal(p.find("value").text) for mp in root.iter("measuringpoint") if mp.get("code") == code
            for ch in mp.iter("measuringchannel") if ch.get("code") == channel for p in ch.iter("period")]


def test_the_80020_import_binds_to_the_loaded_meters_and_deducts_the_transit(db, tmp_path: Path, samples) -> None:
    ok(db, "load", str(write(tmp_path / "legal", FILES)))
    src = samples / "askue_80020" / SARANSK
    out = ok(db, "readings", "import", str(src))
    assert "Файлов 80020: 1; часов 48: измерено 48, замещено 0, отклонено 0." in out
    head, transit = sum(_values(src, HEAD_CODE, HEAD_CHANNEL)), sum(_values(src, TRANSIT_CODE, TRANSIT_CHANNEL))
    assert head > transit > 0
    with open_store(db) as st:
        assert st.all("SELECT m.serial, sum(h.value_wh) FROM meter_hour h JOIN legal_meter m ON m.id = h.meter_id"
                      " GROUP BY 1 ORDER BY 1") == [("S2", int(transit * 1000)), ("S5", int(head * 1000))]
        # the shop is a non-residential premise of B0001: its volume enters the building's ОДН balance
        assert st.all("SELECT v.period, p.number, v.volume_wh FROM nonres_volume v JOIN premise p ON p.id = v.premise_id"
                      ) == [(201007, "1Н", int(transit * 1000))]
    rows = ok(db, "contract", "volumes", "TP5", "--from", "2010-07-14", "--to", "2010-07-14", "--format", "csv")
    day = rows.splitlines()[1].split(";")
    assert [Decimal(v.replace(",", ".")) for v in day[1:4]] == [head, transit, head - transit]


def test_the_loaded_contracts_go_on_through_the_cli(db, tmp_path: Path) -> None:
    ok(db, "load", str(write(tmp_path / "legal", FILES)))
    # signed and terminated contracts wait for nothing
    assert ok(db, "contract", "tasks", "--date", "2026-05-20", "--format", "csv").splitlines()[1:] == []
    # a new application of a loaded sole trader (found by INN alone) is a task
    ok(db, "contract", "apply", "Д-20", "--counterparty", "132612345663", "--date", "2026-05-04")
    assert ok(db, "contract", "tasks", "--date", "2026-05-20", "--format", "csv").splitlines()[1:] == [
        "Д-20;132612345663;направить уведомление о недостающих документах;2026-05-12;8"]   # 9 and 11 May are holidays
    # an amendment and a termination of a loaded contract, after its migrated documents
    ok(db, "contract", "amend", "Д-1", "--doc", "ДС-1", "--point", "TP1", "--from", "2026-07-01",
       "--max-kw", "200", "--date", "2026-05-04")
    ok(db, "contract", "terminate", "Д-6", "--from", "2026-06-01", "--reason", "переезд", "--date", "2026-05-04")
    assert [line.split(";")[:4] for line in ok(db, "contract", "history", "Д-6", "--format", "csv").splitlines()[1:]] \
        == [["2012-03-05", "заявка", "", ""], ["2012-03-20", "подписание", "", "2012-04-01"],
            ["2026-05-04", "расторжение", "", "2026-06-01"]]
    with open_store(db) as st:
        assert st.all("SELECT f.valid_from::VARCHAR, f.valid_to::VARCHAR, f.max_kw, f.doc_id IS NOT NULL"
                      " FROM legal_point_fact f JOIN legal_point p ON p.id = f.point_id WHERE p.code = 'TP1'"
                      " ORDER BY 1") == [("2010-02-01", "2026-07-01", Decimal("150.000"), False),
                                         ("2026-07-01", None, Decimal("200.000"), True)]
        assert st.scalar("SELECT state FROM contract WHERE number = 'Д-6'") == "terminated"
    # the АСКУЭ channel bound by the load is refused to a second meter entered by hand
    r = cli(db, "contract", "meter", "TP6", "--serial", "X1", "--installed", "2012-04-01", "--askue", HEAD_CODE,
            "--channel", HEAD_CHANNEL)
    assert r.exit_code == 3 and f"Точка измерения АСКУЭ {HEAD_CODE}, канал {HEAD_CHANNEL} уже привязана." in r.output
    # and a meter entered by hand is refused to the next load that binds the same channel
    ok(db, "contract", "meter", "TP6", "--serial", "X1", "--installed", "2012-04-01", "--askue", HEAD_CODE,
       "--channel", "03")
    d = write(tmp_path / "more", {"legal_meters": "point;serial;installed;askue_code;askue_channel\n"
                                                  f"TP3;S3;2013-06-01;{HEAD_CODE};03\n"})
    assert errors(db, d) == ["Ошибка: Найдено ошибок: 1. Ничего не записано.",
                             f"legal_meters.csv:2:askue_code: точка измерения АСКУЭ {HEAD_CODE}, канал 03 уже "
                             "привязана к прибору X1 точки поставки TP6 в базе"]


def test_the_templates_sample_rows_load_as_one_migration(db, tmp_path: Path) -> None:
    d = tmp_path / "tpl"
    write_templates(d)
    for p in d.iterdir():
        if p.stem not in {e.name for e in LEGAL}:
            p.unlink()
    r = cli(db, "load", str(d))
    assert r.exit_code == 0, r.output
    with open_store(db) as st:
        assert st.all("SELECT k.number, k.state, c.inn, o.code, p.code, m.serial, m.ct_ratio FROM contract k"
                      " JOIN counterparty c ON c.id = k.counterparty_id JOIN calc_object o ON o.contract_id = k.id"
                      " JOIN legal_point p ON p.object_id = o.id JOIN legal_meter m ON m.point_id = p.id") == [
            ("Д-0001", "signed", "7736207543", "OB0001", "TP0001", "01234567", 30)]
