"""Printed forms of a legal-entity contract (`sbyt contract print`): the contract with Appendix 1
«Перечень точек поставки и приборов учёта» and an amendment — the printed text (golden, read back with
pdftotext), the terms by contract kind and payment scheme, the appendix continuing over pages under
its repeated header, the same bytes on every run, and the refusals in Russian with nothing written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.contracts import amendment_card, contract_card
from sbyt.core.store import open_store
from sbyt.reports.contract_print import PAYMENT, clauses, contract_pdf, kw, wrap_cell
from sbyt.reports.forms import Canvas, Typeface

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

NAME = ("Общество с ограниченной ответственностью «Завод металлоконструкций и промышленного оборудования "
        "имени Ивана Петровича Кулибина»")
BOUNDARY = ("на контактных соединениях кабельных наконечников КЛ-10 кВ в РУ-10 кВ ТП-1234, яч. 5, со стороны "
            "потребителя")
SUPPLIER = """INSERT INTO supplier VALUES ('2020-01-01', NULL, 'АО «Энергосбыт Плюс»', '5612042824', '561201001',
    '40702810900000012345', 'ПАО Сбербанк', '044525225', '30101810400000000225',
    '460024, г. Оренбург, ул. Аксакова, д. 3а', '8-800-000-00-00', 'info@sbyt.example', 'sbyt.example')"""
DOCS = "register_extract,authority,title,grid_act,meter_act,capacity_doc"


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    r = cli(db, *args)
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture
def db(store, db_path):
    store.execute("INSERT INTO billing_period (period, status) VALUES (202605, 'open')")
    store.execute(SUPPLIER)
    store.close()
    db = str(db_path)
    ok(db, "counterparty", "add", "7736207543", "--kpp", "770401001", "--ogrn", "1027700229193", "--name", NAME,
       "--short", "ООО «Завод»", "--address", "119021, г. Москва, ул. Льва Толстого, д. 16",
       "--postal", "119021, г. Москва, а/я 12", "--mobile", "+7 912 345-67-89", "--email", "energy@zavod.ru",
       "--date", "2026-04-01")
    ok(db, "counterparty", "bank", "7736207543", "--bik", "044525225", "--account", "40702810500000001234",
       "--corr", "30101810400000000225", "--bank", "ПАО Сбербанк", "--date", "2026-04-01")
    return db


def signed(db: str) -> None:
    """Contract 77-001: two objects; a point with two measuring complexes and a long boundary, a transit
    point without a meter; signed with supply from 01.06.2026; amendment 77-001/001 from 01.07.2026."""
    ok(db, "contract", "apply", "77-001", "--counterparty", "7736207543", "--docs", DOCS, "--date", "2026-04-29")
    ok(db, "contract", "object", "77-001", "--code", "OB1", "--name", "Цех № 3",
       "--address", "г. Москва, ул. Льва Толстого, д. 16, стр. 3", "--date", "2026-05-01")
    ok(db, "contract", "point", "OB1", "--code", "TP1", "--voltage", "СН2", "--max-kw", "150", "--category", "3",
       "--reliability", "2", "--grid", "ПАО «Россети Московский регион»", "--boundary", BOUNDARY,
       "--date", "2026-05-01")
    ok(db, "contract", "meter", "TP1", "--serial", "012345678", "--installed", "2026-05-01",
       "--model", "Меркурий 234 ARTM", "--accuracy", "0,5S", "--ct", "30", "--vt", "100", "--verified", "2026-01-15",
       "--interval", "16", "--loss", "1.25")
    ok(db, "contract", "meter", "TP1", "--serial", "012345679", "--installed", "2026-05-01", "--model", "СЭТ-4ТМ.03М",
       "--accuracy", "0,2S", "--ct", "30", "--vt", "100", "--verified", "2024-02-29", "--interval", "10")
    ok(db, "contract", "object", "77-001", "--code", "OB2", "--name", "Склад",
       "--address", "Московская обл., г. Подольск, ул. Лесная, д. 4", "--date", "2026-05-01")
    ok(db, "contract", "point", "OB2", "--code", "TP2", "--voltage", "НН", "--max-kw", "12.5", "--category", "1",
       "--grid", "АО «Мособлэнерго»", "--boundary", "на зажимах вводного автомата", "--head", "TP1",
       "--date", "2026-05-01")
    ok(db, "contract", "draft", "77-001", "--date", "2026-05-06")
    ok(db, "contract", "approve", "77-001", "--date", "2026-05-07")
    ok(db, "contract", "sign", "77-001", "--start", "2026-06-01", "--date", "2026-05-25")
    ok(db, "contract", "amend", "77-001", "--doc", "77-001/001", "--point", "TP1", "--from", "2026-07-01",
       "--category", "4", "--max-kw", "200", "--date", "2026-06-01")


def pdf_text(path: Path, layout: bool = True) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, check=True).stdout.decode()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SBYT_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@needs_pdftotext
def test_the_contract_with_its_appendix(db, tmp_path):
    signed(db)
    out = tmp_path / "out" / "77-001.pdf"
    assert ok(db, "contract", "print", "77-001", "--out", str(out)) == f"Договор № 77-001: 4 стр. в {out}.\n"
    text = pdf_text(out)
    flat = " ".join(text.split())
    for expected in (
        "ДОГОВОР ЭНЕРГОСНАБЖЕНИЯ № 77-001", "г. Оренбург «25» мая 2026 г.",
        "АО «Энергосбыт Плюс», именуемое в дальнейшем «Гарантирующий поставщик»",
        "имени Ивана Петровича Кулибина», именуемое в дальнейшем «Потребитель»",
        "1.2. Точки поставки, их максимальная мощность",
        "точек поставки — 2, максимальная мощность — 162,5 кВт.",
        "2.1. Исполнение обязательств по Договору начинается с 00 ч 00 мин 01.06.2026",
        "2.2. Договор заключён на неопределённый срок.",
        "не позднее чем за 10 рабочих дней до начала расчётного периода",      # the dated rule
        "30 % стоимости электрической энергии (мощности)",                       # p82
        "на номер мобильного телефона +79123456789 и по адресу электронной почты energy@zavod.ru",
        "9. АДРЕСА, РЕКВИЗИТЫ И ПОДПИСИ СТОРОН",
        "ИНН / КПП: 5612042824 / 561201001", "ИНН / КПП: 7736207543 / 770401001", "ОГРН: 1027700229193",
        "Р/с: 40702810500000001234", "БИК: 044525225", "Почтовый адрес: 119021, г. Москва, а/я 12",
        "Приложение 1 к договору энергоснабжения № 77-001 от 25.05.2026",
        "ПЕРЕЧЕНЬ ТОЧЕК ПОСТАВКИ И ПРИБОРОВ УЧЁТА", "по состоянию на 01.06.2026",
        "Итого: точек поставки — 2, максимальная мощность — 162,5 кВт.",
        "стр. 1 из 4", "стр. 4 из 4",
    ):
        assert expected in flat, expected
    # the appendix on the contract's start: the amendment of 01.07.2026 not yet in force
    appendix = text.split("\f")[3]
    assert "ПРОЕКТ" not in text
    assert re.search(r"TP1;\s+г\. Москва, ул\.\s+СН2\s+150\s+3\s", appendix), appendix
    assert "15.01.2042" in appendix and "28.02.2034" in appendix      # next verification; 29 February + 10 years
    assert "«Мособлэнер-" in appendix                                 # a word wider than its cell is broken
    check_golden("contract_77-001.txt", text)
    # the same data, the same bytes
    again = tmp_path / "again.pdf"
    ok(db, "contract", "print", "77-001", "--out", str(again))
    assert again.read_bytes() == out.read_bytes()


@needs_pdftotext
def test_the_appendix_on_a_later_day_shows_the_amendment(db, tmp_path):
    signed(db)
    out = tmp_path / "later.pdf"
    ok(db, "contract", "print", "77-001", "--on", "2026-07-01", "--out", str(out))
    flat = " ".join(pdf_text(out).split())
    assert "по состоянию на 01.07.2026" in flat
    assert "точек поставки — 2, максимальная мощность — 212,5 кВт." in flat


@needs_pdftotext
def test_the_amendment(db, tmp_path):
    signed(db)
    out = tmp_path / "a.pdf"
    assert ok(db, "contract", "print", "77-001", "--amendment", "77-001/001", "-o", str(out)) == \
        f"Дополнительное соглашение № 77-001/001 к договору № 77-001: 1 стр. в {out}.\n"
    text = pdf_text(out)
    flat = " ".join(text.split())
    for expected in (
        "ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ № 77-001/001", "к договору энергоснабжения № 77-001 от 25.05.2026",
        "г. Оренбург «01» июня 2026 г.",
        "1. Стороны договорились с 01.07.2026 изменить характеристики точки поставки TP1 (объект «Цех № 3» (OB1),",
        "Было (по 30.06.2026) Стало (с 01.07.2026)",
        "1 Максимальная мощность, кВт 150 200", "2 Ценовая категория 3 4",
        "2. С 01.07.2026 точка поставки TP1 имеет следующие характеристики: уровень напряжения СН2; максимальная "
        "мощность 200 кВт; ценовая категория 4; категория надёжности II.",
        "3. Расчёты по ценовой категории 4 производятся с расчётного периода, начинающегося 01.07.2026.",
        "АДРЕСА, РЕКВИЗИТЫ И ПОДПИСИ СТОРОН", "стр. 1 из 1",
    ):
        assert expected in flat, expected
    check_golden("amendment_77-001-001.txt", text)
    with open_store(db, read_only=True) as st:
        doc_id = amendment_card(st, "77-001", "77-001/001").doc_id
    by_id = tmp_path / "by_id.pdf"
    ok(db, "contract", "print", "77-001", "--amendment", str(doc_id), "-o", str(by_id))
    assert by_id.read_bytes() == out.read_bytes()


def test_the_old_values_of_an_amendment_come_from_the_fact_before_it(db):
    signed(db)
    ok(db, "contract", "amend", "77-001", "--doc", "77-001/002", "--point", "TP1", "--from", "2026-08-01",
       "--voltage", "СН1", "--date", "2026-07-10")
    with open_store(db, read_only=True) as st:
        first = amendment_card(st, "77-001", "77-001/001")
        second = amendment_card(st, "77-001", "77-001/002")
    assert [(f, str(o), str(n)) for f, o, n in first.changes] == [("max_kw", "150.000", "200"),
                                                                   ("price_category", "3", "4")]
    assert second.changes == (("voltage", "SN2", "SN1"),)
    assert (second.point.voltage, str(second.point.max_kw), second.point.price_category) == ("SN1", "200.000", 4)


def test_the_terms_follow_the_kind_and_the_payment_scheme(db):
    signed(db)
    with open_store(db, read_only=True) as st:
        card = contract_card(st, "77-001", date(2026, 6, 1))

        def text(**changes) -> str:
            return " ".join(t for _h, items in clauses(st, replace(card, **changes)) for t in items)

        supply, sale = text(), text(kind="sale", ends=date(2027, 12, 31))
        manager = text(kind="manager", payment_scheme="p81", edo=True)
        retailer = text(payment_scheme="retailer")
    assert "услуги по передаче электрической энергии и иные услуги" in supply
    assert "цена включает стоимость услуг по передаче" in supply
    assert "не ранее даты заключения Потребителем договора оказания услуг по передаче" in sale
    assert "цена не включает стоимость услуг по передаче" in sale and "не ранее даты заключения" not in supply
    assert "Договор действует по 31.12.2027 включительно" in sale and "статья 540" in sale
    assert "Исполнитель обязуется оплачивать" in manager and "Правила № 124" in manager
    assert "по тарифам для населения" in manager and "частью 14.5 статьи 155 Жилищного кодекса" in manager
    assert "ценовую категорию" not in manager.split("ЦЕНА")[0]      # the choice of category: not for a manager
    assert "направляются Исполнителю коротким текстовым сообщением" in manager
    assert "через оператора электронного документооборота" in manager
    for scheme, body in (("p82", supply), ("p81", manager), ("retailer", retailer)):
        assert PAYMENT[scheme] in body, scheme
    with open_store(db, read_only=True) as st:
        numbered = clauses(st, replace(card, kind="manager"))
    for n, (head, items) in enumerate(numbered, 1):              # numbered over the clauses of the kind only
        assert head.startswith(f"{n}. ") and [t.split(" ")[0] for t in items] == [f"{n}.{i}." for i in
                                                                                 range(1, len(items) + 1)]


def test_a_long_word_is_broken_never_cut():
    c = Canvas(Typeface.load())
    lines = wrap_cell(c, "АО «Мособлэнерго» Верхнеблагодатское", 12.0)
    assert "".join(ln.rstrip("-") for ln in lines).replace(" ", "") == "АО«Мособлэнерго»Верхнеблагодатское"
    assert all(c.width(ln, 6.0) <= 12.0 for ln in lines) and not any("…" in ln for ln in lines)
    assert (kw(Decimal("1500.000")), kw(Decimal("12.500")), kw(Decimal("0"))) == ("1 500", "12,5", "0")


def _many_points(db: str, n: int) -> None:
    """Contract 77-002 with `n` supply points of growing text, every third with three meters (bulk SQL)."""
    ok(db, "contract", "apply", "77-002", "--counterparty", "7736207543", "--kind", "sale", "--docs", DOCS,
       "--date", "2026-04-29")
    ok(db, "contract", "object", "77-002", "--code", "BIG", "--name", "Промплощадка", "--date", "2026-05-01")
    with open_store(db) as st:
        oid = st.scalar("SELECT id FROM calc_object WHERE code = 'BIG'")
        st.execute("""
            INSERT INTO legal_point SELECT 1000 + i, ?, 'P' || lpad(i::VARCHAR, 3, '0'), NULL, 'АО «Сети»',
                   'на зажимах ' || repeat('кабельной линии ', 1 + i % 7) || 'ТП-' || i, NULL, DATE '2026-05-01', NULL
            FROM range(1, ? + 1) t(i)""", [oid, n])
        st.execute("""
            INSERT INTO legal_point_fact (point_id, valid_from, valid_to, voltage, max_kw, price_category, reliability, doc_id) SELECT 1000 + i, DATE '2026-05-01', NULL, 'NN', 10 + i, 1, NULL, NULL
            FROM range(1, ? + 1) t(i)""", [n])
        st.execute("""
            INSERT INTO legal_meter (id, point_id, serial, model, ct_ratio, vt_ratio, installed, verified)
            SELECT 5000 + 10 * i + k, 1000 + i, 'S' || i || '-' || k, 'Меркурий 230', 1, 1, DATE '2026-05-01',
                   DATE '2026-01-01'
            FROM range(1, ? + 1) t(i), range(0, 3) m(k) WHERE k = 0 OR i % 3 = 0""", [n])


@needs_pdftotext
def test_a_long_appendix_continues_over_pages(db, tmp_path):
    _many_points(db, 60)
    out = tmp_path / "big.pdf"
    msg = ok(db, "contract", "print", "77-002", "--out", str(out))
    pages = pdf_text(out).split("\f")[:-1]
    n = len(pages)
    assert msg == f"Договор № 77-002: {n} стр. в {out}.\n"
    start = next(i for i, p in enumerate(pages) if "ПЕРЕЧЕНЬ ТОЧЕК ПОСТАВКИ" in p)
    assert n - start >= 3, n                                     # the appendix takes several pages
    codes = []
    for i, page in enumerate(pages, 1):
        last = [ln for ln in page.splitlines() if ln.strip()][-1]
        assert re.fullmatch(rf"Договор № 77-002\s+стр\. {i} из {n}", last.strip()), last   # nothing under the footer
        if i - 1 > start:
            assert "Продолжение приложения 1 к договору № 77-002" in page
            assert "Ктт ×" in page and "балансовой" in page            # the header again
        codes += re.findall(r"\bP\d{3}\b", page)
    assert codes == [f"P{i:03d}" for i in range(1, 61)]                 # each point once, in order, none split
    flat = " ".join(pdf_text(out).split())
    assert "ПРОЕКТ" in flat and "«___» ____________ 20___ г." in flat     # an application: not signed yet
    assert "по состоянию на 05.12.2026" in flat                          # today (tests' SBYT_TODAY)
    assert f"точек поставки — 60, максимальная мощность — {kw(sum(10 + i for i in range(1, 61)))} кВт" in flat
    assert "ДОГОВОР КУПЛИ-ПРОДАЖИ (ПОСТАВКИ) ЭЛЕКТРИЧЕСКОЙ ЭНЕРГИИ (МОЩНОСТИ) № 77-002" in flat


def test_refusals_in_russian_and_nothing_written(db, tmp_path):
    out = tmp_path / "x.pdf"
    r = cli(db, "contract", "print", "77-999", "--out", str(out))
    assert (r.exit_code, r.output) == (4, "Ошибка: Договор № 77-999 не найден.\n")
    ok(db, "contract", "apply", "77-003", "--counterparty", "7736207543", "--date", "2026-04-29")
    r = cli(db, "contract", "print", "77-003", "--out", str(out))
    assert (r.exit_code, r.output) == (3, "Ошибка: Договор № 77-003 ещё на стадии заявки, точек поставки нет: "
                                          "печатать нечего. Добавьте объекты и точки поставки (sbyt contract "
                                          "object, sbyt contract point).\n")
    r = cli(db, "contract", "print", "77-003", "--amendment", "1", "--out", str(out))
    assert (r.exit_code, r.output) == (4, "Ошибка: У договора № 77-003 нет доп. соглашения «1»; доп. соглашений "
                                          "к нему нет.\n")
    signed(db)
    r = cli(db, "contract", "print", "77-001", "--amendment", "77-001/002", "--out", str(out))
    assert (r.exit_code, r.output) == (4, "Ошибка: У договора № 77-001 нет доп. соглашения «77-001/002»; есть: "
                                          "77-001/001.\n")
    r = cli(db, "contract", "print", "77-001", "--on", "2026-04-01", "--out", str(out))
    assert (r.exit_code, r.output) == (3, "Ошибка: На 01.04.2026 у договора № 77-001 нет действующих точек "
                                          "поставки: укажите другую дату.\n")
    with open_store(db) as st:
        st.execute("DELETE FROM supplier")
    r = cli(db, "contract", "print", "77-001", "--out", str(out))
    assert (r.exit_code, r.output) == (1, "Ошибка: Не заданы реквизиты поставщика на 25.05.2026 (таблица "
                                          "supplier).\n")
    assert not out.exists()


@needs_pdftotext
def test_contract_pdf_is_what_the_command_writes(db, tmp_path):
    signed(db)
    out = tmp_path / "c.pdf"
    ok(db, "contract", "print", "77-001", "--out", str(out))
    with open_store(db, read_only=True) as st:
        assert contract_pdf(st, "77-001") == out.read_bytes()


@needs_pdftotext
def test_a_sole_trader_and_a_managing_company(db, tmp_path):
    ok(db, "counterparty", "add", "500100732259", "--kind", "sole_trader", "--name",
       "Индивидуальный предприниматель Иванов Иван Иванович", "--address", "г. Подольск, ул. Садовая, д. 1",
       "--mobile", "89123456780", "--email", "ivanov@mail.ru", "--date", "2026-04-01")
    ok(db, "counterparty", "add", "7707083893", "--kpp", "773601001", "--kind", "manager", "--name", "ООО «УК Комфорт»",
       "--date", "2026-04-01")
    for number, inn, kind in (("IP-1", "500100732259", "sale"), ("UK-1", "7707083893", "manager")):
        ok(db, "contract", "apply", number, "--counterparty", inn, "--kind", kind, "--date", "2026-05-01")
        ok(db, "contract", "object", number, "--code", f"O{number}", "--name", "Магазин", "--date", "2026-05-01")
        ok(db, "contract", "point", f"O{number}", "--code", f"T{number}", "--voltage", "НН", "--max-kw", "15",
           "--date", "2026-05-01")
        ok(db, "contract", "print", number, "--out", str(tmp_path / f"{number}.pdf"))
    ip = " ".join(pdf_text(tmp_path / "IP-1.pdf").split())
    assert "Иванов Иван Иванович, именуемый в дальнейшем «Потребитель», с другой стороны" in ip
    assert "ИНН: 500100732259" in ip and "ИНН / КПП: 500100732259" not in ip     # no KPP for a sole trader
    assert "Адрес: г. Подольск, ул. Садовая, д. 1" in ip
    assert "Мобильный телефон: +79123456780" in ip
    uk = " ".join(pdf_text(tmp_path / "UK-1.pdf").split())
    assert "ДОГОВОР ЭНЕРГОСНАБЖЕНИЯ (РЕСУРСОСНАБЖЕНИЯ) С ИСПОЛНИТЕЛЕМ КОММУНАЛЬНЫХ УСЛУГ № UK-1" in uk
    assert "«Исполнитель»" in uk and "до 15-го числа месяца, следующего за расчётным" in uk   # p81 by default
    assert "на номер мобильного телефона ____________________" in uk          # no contacts yet: a blank to fill
