"""Importing payment files: the real statements, duplicates, truncation, registries and transfers."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.errors import RefusedError, ValidationError
from sbyt.calc.payments import import_payments
from sbyt.core.payments import unidentified
from sbyt.core.period_state import start_period
from sbyt.io.payments_file import read_payment_file

ACCOUNTS = ["1000000001", "1000000002", "1000000003", "1000000004"]

runner = CliRunner()


def _imp(store, data: bytes, name: str, fmt: str = "auto", mapping: bytes | None = None):
    return import_payments(store, read_payment_file(data, name, fmt, mapping))


def test_kilylabs_statements_import_into_the_queue(store, samples):
    start_period(store, 201601)
    for name in ["kilylabs_one_day_cp1251.txt", "kilylabs_one_day_utf8.txt"]:
        store.execute("DELETE FROM payment")
        r = _imp(store, (samples / "bank_1c" / name).read_bytes(), name)
        assert (r.rows, r.total_kop, r.posted, r.unidentified) == (3, 4000000, 0, 3)
    assert [(q[2], q[4]) for q in unidentified(store)] == [(600000, "Some random payer"), (1400000, "Some random payer"),
                                                           (2000000, "Some random payer")]


def test_the_same_document_from_the_other_encoding_is_refused(store, samples):
    start_period(store, 201601)
    _imp(store, (samples / "bank_1c" / "kilylabs_one_day_cp1251.txt").read_bytes(), "kilylabs_one_day_cp1251.txt")
    with pytest.raises(ValidationError) as exc:
        _imp(store, (samples / "bank_1c" / "kilylabs_one_day_utf8.txt").read_bytes(), "kilylabs_one_day_utf8.txt")
    assert len(exc.value.errors) == 3
    assert str(exc.value.errors[0]) == ("kilylabs_one_day_utf8.txt:330: документ № 5 от 11.01.2016 на 6\u00a0000,00 ₽ "
                                        "уже загружен (партия 1)")


def test_statement_without_incoming_payment_is_refused(store, samples):
    start_period(store, 202108)
    with pytest.raises(RefusedError) as exc:
        _imp(store, (samples / "bank_1c" / "xini1_sample5.txt").read_bytes(), "xini1_sample5.txt")
    assert exc.value.message == (
        "В выписке «xini1_sample5.txt» нет поступлений на расчётный счёт 40702810800030005413: все 6 документов — "
        "списания (счёт получателя не совпадает со счётом выписки). Ничего не записано.")
    assert store.scalar("SELECT count(*) FROM import_batch") == 0


def test_cli_same_file_twice_and_truncated_copy(db_path, samples, tmp_path):
    from sbyt.core.reference import install_reference
    from sbyt.core.store import open_store

    with open_store(db_path) as st:
        install_reference(st)
        start_period(st, 201601)
    src = samples / "bank_1c" / "kilylabs_one_day_cp1251.txt"
    r = runner.invoke(app, ["--db", str(db_path), "pay", "import", str(src)])
    assert r.exit_code == 0, r.output
    assert "Загружено платежей: 3 на 40\u00a0000,00 ₽ из «kilylabs_one_day_cp1251.txt» (партия 1). " \
           "Разнесено: 0, неопознано: 3." in r.output
    r = runner.invoke(app, ["--db", str(db_path), "pay", "import", str(src)])
    assert r.exit_code == 3
    assert "Ошибка: Файл «kilylabs_one_day_cp1251.txt» уже загружен (партия 1, «kilylabs_one_day_cp1251.txt»," in r.output
    assert "повторная загрузка запрещена." in r.output
    cut = tmp_path / "cut.txt"
    data = (samples / "bank_1c" / "kilylabs_one_day_utf8.txt").read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    r = runner.invoke(app, ["--db", str(db_path), "pay", "import", str(cut)])
    assert r.exit_code == 1
    assert r.output.splitlines()[-2:] == [
        "Ошибка: Выписка «cut.txt» не загружена: ошибок 1. Ничего не записано.",
        "cut.txt:284: файл оборван после строки 284: документ, начатый в строке 268, не закрыт «КонецДокумента»"]
    with open_store(db_path) as st:
        assert st.scalar("SELECT count(*) FROM payment") == 3
        assert st.scalar("SELECT count(*) FROM import_batch") == 1


# ------------------------------------------------------------------------------------ registries
def registry(lines: list[tuple[str, str, str, str]], transfer: str = "77", total: str | None = None,
             count: int | None = None) -> bytes:
    out = ["РЕЕСТР;7707083893;ПАО Сбербанк;15;05.11.2026;" + transfer + ";06.11.2026"]
    out += [f"{a};{s};{d};{p};Плательщик;;R{i}" for i, (a, s, d, p) in enumerate(lines)]
    from decimal import Decimal

    tot = total or str(sum(Decimal(s.replace(",", ".")) for _, s, _, _ in lines))
    out.append(f"ИТОГО;{len(lines) if count is None else count};{tot}")
    return ("\r\n".join(out) + "\r\n").encode("cp1251")


def test_registry_import_posts_to_accounts(pstore):
    data = registry([(ACCOUNTS[0], "100.00", "03.11.2026", ""), (ACCOUNTS[1], "100,00", "04.11.2026", "10.2026"),
                     ("9999999999", "5", "04.11.2026", "")])
    r = _imp(pstore, data, "reg.txt")
    assert (r.rows, r.posted, r.unidentified, r.total_kop) == (3, 2, 1, 20500)
    # earliest debt first: account 1 pays September
    assert pstore.all("SELECT for_period, amount_kop FROM posting WHERE kind = 'payment' AND account_id = 1") == [
        (202609, -10000)]


def test_registry_reports_every_bad_row(pstore):
    data = registry([(ACCOUNTS[0], "1x", "03.11.2026", ""), (ACCOUNTS[1], "10", "31.02.2026", ""),
                     (ACCOUNTS[1], "10", "03.11.2026", "13.2026")], total="1")
    with pytest.raises(ValidationError) as exc:
        _imp(pstore, data, "bad.txt")
    assert [str(e) for e in exc.value.errors] == [
        "bad.txt:2:сумма: не сумма: «1x»",
        "bad.txt:3:дата: не дата: «31.02.2026» (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)",
        "bad.txt:4:период: не период: «13.2026»"]
    assert pstore.scalar("SELECT count(*) FROM payment") == 0


def test_registry_control_sum_and_missing_footer(pstore):
    data = registry([(ACCOUNTS[0], "10", "03.11.2026", "")], total="11")
    with pytest.raises(ValidationError) as exc:
        _imp(pstore, data, "r.txt")
    assert str(exc.value.errors[0]) == "r.txt:3: контрольная сумма 11,00 ≠ сумме строк 10,00"
    cut = data[: data.index("ИТОГО".encode("cp1251"))]
    with pytest.raises(ValidationError) as exc:
        _imp(pstore, cut, "r.txt", fmt="registry")
    assert str(exc.value.errors[0]) == "r.txt:2: файл оборван после строки 2: нет итоговой строки «ИТОГО;…»"


def test_registry_with_a_mapping(pstore):
    text = "Дата|Счёт|Сумма\n03.11.2026|1000000002|25.50\n=|1|25.50\n"
    mapping = b"""
[registry]
delimiter = "|"
skip_lines = 1
header_marker = ""
footer_marker = "="
[registry.columns]
account = 2
amount = 3
date = 1
"""
    r = _imp(pstore, text.encode(), "agent.txt", fmt="registry", mapping=mapping)
    assert (r.rows, r.posted, r.total_kop) == (1, 1, 2550)


def _statement(doc_no: str, amount: str, payer_inn: str = "7707083893") -> bytes:
    lines = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "РасчСчет=40702810000000000009",
             "СекцияДокумент=Платежное поручение", f"Номер={doc_no}", "Дата=06.11.2026", f"Сумма={amount}",
             "ПлательщикСчет=30233810000000000001", f"ПлательщикИНН={payer_inn}", "Плательщик1=ПАО Сбербанк",
             "ПолучательСчет=40702810000000000009", "ДатаПоступило=06.11.2026",
             "НазначениеПлатежа=Перечисление платежей населения по реестру 15", "КонецДокумента", "КонецФайла"]
    return "\r\n".join(lines).encode("cp1251")


def test_registry_transfer_must_agree_with_the_statement(pstore):
    _imp(pstore, _statement("77", "205.00"), "st1.txt")
    assert len(unidentified(pstore)) == 1
    bad = registry([(ACCOUNTS[0], "100", "03.11.2026", ""), (ACCOUNTS[1], "100", "03.11.2026", "")])
    with pytest.raises(RefusedError) as exc:
        _imp(pstore, bad, "reg.txt")
    assert exc.value.message == ("Реестр не сходится с выпиской: п/п № 77 агента ИНН 7707083893 в выписке на "
                                 "205,00 ₽, а в реестре 200,00 ₽. Ничего не записано.")
    good = registry([(ACCOUNTS[0], "105", "03.11.2026", ""), (ACCOUNTS[1], "100", "03.11.2026", "")])
    r = _imp(pstore, good, "reg2.txt")
    assert r.posted == 2
    # the statement line is now the aggregate the registry details, no longer waiting for an operator
    assert unidentified(pstore) == []
    assert pstore.scalar("SELECT status FROM payment WHERE source = 'bank'") == "aggregate"


def test_statement_after_registry_must_agree(pstore):
    _imp(pstore, registry([(ACCOUNTS[0], "105", "03.11.2026", "")], transfer="78"), "reg.txt")
    with pytest.raises(ValidationError) as exc:
        _imp(pstore, _statement("78", "100.00"), "st.txt")
    assert str(exc.value.errors[0]) == ("st.txt:5: перечисление агента ИНН 7707083893 по п/п № 78 на 100,00 ₽ "
                                        "не сходится с его реестром (партия 1) на 105,00 ₽")
    r = _imp(pstore, _statement("78", "105.00"), "st2.txt")
    assert (r.aggregate, r.unidentified, r.posted) == (1, 0, 0)
    assert pstore.scalar("SELECT statement_payment_id FROM payment_transfer WHERE doc_no = '78'") is not None


def test_purpose_patterns_match_accounts(store, helpers):
    helpers.add_accounts(store, ACCOUNTS)
    start_period(store, 202611)
    lines = ["1CClientBankExchange", "РасчСчет=40702810000000000009"]
    for i, purpose in enumerate(["Оплата эл/эн л/с 1000000003 за октябрь", "лицевой счет № 1000000004",
                                 "ЛС1000000002 оплата", "за свет"]):
        lines += ["СекцияДокумент=Платежное поручение", f"Номер={i + 1}", "Дата=05.11.2026", "Сумма=10.00",
                  "ПлательщикСчет=40817810000000000001", "ПолучательСчет=40702810000000000009",
                  f"НазначениеПлатежа={purpose}", "КонецДокумента"]
    lines.append("КонецФайла")
    r = _imp(store, "\n".join(lines).encode("utf-8"), "p.txt")
    assert (r.posted, r.unidentified) == (3, 1)
    assert store.all("SELECT account_id, matched_by FROM payment WHERE status = 'posted' ORDER BY id") == [
        (3, "pattern"), (4, "pattern"), (2, "pattern")]
