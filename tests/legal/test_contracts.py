"""Counterparties and the contract procedure through the CLI: requisites refused with their reason,
application → documents → draft → approval → disagreement → signing → amendment → termination,
each step audited, deadlines on the production calendar across the May 2026 holidays."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.store import open_store

runner = CliRunner()


@pytest.fixture
def db(store, db_path):
    store.execute("INSERT INTO billing_period (period, status) VALUES (202605, 'open')")
    store.close()
    return str(db_path)


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    r = cli(db, *args)
    assert r.exit_code == 0, r.output
    return r.output


def yandex(db: str, *extra: str) -> None:
    ok(db, "counterparty", "add", "7736207543", "--kpp", "770401001", "--ogrn", "1027700229193",
       "--name", "ООО «Яндекс»", "--date", "2026-04-01", *extra)


def test_invalid_requisites_are_refused_with_the_reason(db):
    r = cli(db, "counterparty", "add", "7736207544", "--kpp", "770401001", "--name", "X")
    assert r.exit_code == 1
    assert r.output == "Ошибка: ИНН 7736207544: неверная контрольная цифра\n"
    r = cli(db, "counterparty", "add", "7736207543", "--kpp", "770401001", "--ogrn", "1027700229194", "--name", "X")
    assert r.exit_code == 1 and "ОГРН" in r.output
    r = cli(db, "counterparty", "add", "7736207543", "--name", "X")
    assert r.output == "Ошибка: Укажите КПП организации.\n"
    yandex(db)
    r = cli(db, "counterparty", "bank", "7736207543", "--bik", "044525225", "--account", "40702810938000000000")
    assert r.exit_code == 1 and "контрольный ключ" in r.output
    with open_store(db) as st:
        assert st.scalar("SELECT count(*) FROM counterparty") == 1
        assert st.scalar("SELECT count(*) FROM counterparty_bank") == 0


def test_a_duplicate_counterparty_is_refused(db):
    yandex(db)
    r = cli(db, "counterparty", "add", "7736207543", "--kpp", "770401001", "--name", "Другое")
    assert r.exit_code == 3
    assert r.output == "Ошибка: Контрагент с ИНН 7736207543 и КПП 770401001 уже есть.\n"


def test_facts_change_from_a_date_and_the_mobile_is_normalised(db):
    yandex(db)
    ok(db, "counterparty", "change", "7736207543", "--date", "2026-05-01", "--mobile", "8 (912) 345-67-89",
       "--email", "office@yandex.ru")
    with open_store(db) as st:
        rows = st.all("SELECT valid_from, valid_to, mobile, email FROM counterparty_fact ORDER BY valid_from")
    assert [(str(a), str(b), c, d) for a, b, c, d in rows] == [
        ("2026-04-01", "2026-05-01", None, None), ("2026-05-01", "None", "+79123456789", "office@yandex.ru")]


def tasks(db: str, on: str) -> list[dict]:
    return json.loads(ok(db, "contract", "tasks", "--date", on, "-f", "json"))


def test_the_procedure_from_application_to_termination(db):
    yandex(db)
    out = ok(db, "contract", "apply", "77-001", "--counterparty", "7736207543", "--docs", "register_extract,title",
             "--date", "2026-04-29")
    assert "Не хватает документов: полномочия подписанта, акт о техприсоединении и АРБП, акт допуска прибора " \
           "учёта, документ о максимальной мощности." in out
    # Wednesday 29 April + 5 working days, 1 May a holiday and 2–3 May a weekend: Thursday 7 May
    assert tasks(db, "2026-05-08") == [{"Договор": "77-001", "ИНН": "7736207543",
                                        "Задача": "направить уведомление о недостающих документах",
                                        "Срок": "2026-05-07", "Просрочено, дн.": 1}]
    r = cli(db, "contract", "draft", "77-001", "--date", "2026-05-06")
    assert r.exit_code == 3 and "не получены документы: полномочия подписанта" in r.output
    ok(db, "contract", "notice", "77-001", "--date", "2026-05-06")
    ok(db, "contract", "docs", "77-001", "--docs", "authority,акт о техприсоединении и АРБП,meter_act,capacity_doc",
       "--date", "2026-05-07")
    assert tasks(db, "2026-05-08")[0]["Задача"] == "направить проект договора"
    assert tasks(db, "2026-05-08")[0]["Срок"] == "2026-06-06"          # 30 calendar days
    ok(db, "contract", "draft", "77-001", "--date", "2026-05-20")
    ok(db, "contract", "approve", "77-001", "--date", "2026-05-21")
    ok(db, "contract", "disagree", "77-001", "--date", "2026-05-22")
    assert tasks(db, "2026-05-22")[0]["Срок"] == "2026-06-05"          # 10 working days
    ok(db, "contract", "settle", "77-001", "--date", "2026-05-29")
    r = cli(db, "contract", "sign", "77-001", "--start", "2026-06-01", "--date", "2026-05-30")
    assert r.exit_code == 3 and "не указаны мобильный телефон и адрес электронной почты" in r.output
    ok(db, "counterparty", "change", "7736207543", "--date", "2026-05-01", "--mobile", "+7 912 345-67-89",
       "--email", "office@yandex.ru")
    ok(db, "contract", "sign", "77-001", "--start", "2026-06-01", "--date", "2026-05-30")
    assert tasks(db, "2026-06-30") == []
    ok(db, "contract", "object", "77-001", "--code", "OB1", "--name", "Магазин", "--date", "2026-06-01")
    ok(db, "contract", "point", "OB1", "--code", "TP1", "--voltage", "СН2", "--max-kw", "150", "--date", "2026-06-01")
    r = cli(db, "contract", "amend", "77-001", "--doc", "77-001/001", "--point", "TP1", "--from", "2026-07-01",
            "--category", "3", "--date", "2026-06-22")
    assert r.exit_code == 3 and "не позднее чем за 10 рабочих дней" in r.output
    r = cli(db, "contract", "amend", "77-001", "--doc", "77-001/001", "--point", "TP1", "--from", "2026-07-15",
            "--category", "3", "--date", "2026-06-01")
    assert r.output == "Ошибка: Ценовая категория меняется с 1-го числа месяца.\n"
    ok(db, "contract", "amend", "77-001", "--doc", "77-001/001", "--point", "TP1", "--from", "2026-07-01",
       "--category", "3", "--max-kw", "200", "--date", "2026-06-01")
    ok(db, "contract", "terminate", "77-001", "--from", "2026-12-01", "--date", "2026-11-01")
    with open_store(db) as st:
        facts = st.all("SELECT valid_from, valid_to, max_kw, price_category FROM legal_point_fact ORDER BY 1")
        audit = st.all("SELECT json_extract_string(new_value, '$.doc') FROM audit_log WHERE entity = 'contract'"
                       " ORDER BY id")
        state = st.scalar("SELECT state FROM contract")
    assert [(str(a), str(b), str(c), d) for a, b, c, d in facts] == [
        ("2026-06-01", "2026-07-01", "150.000", 1), ("2026-07-01", "2026-12-01", "200.000", 3)]
    assert [a for (a,) in audit] == ["application", "missing_notice", "documents", "draft", "approval",
                                     "disagreement", "disagreement_answer", "signed", "amendment", "termination"]
    assert state == "terminated"


def test_a_step_out_of_order_names_the_state(db):
    yandex(db)
    ok(db, "contract", "apply", "77-002", "--counterparty", "7736207543", "--date", "2026-05-04")
    r = cli(db, "contract", "sign", "77-002", "--start", "2026-06-01")
    assert r.exit_code == 3
    assert r.output == "Ошибка: Договор № 77-002 в состоянии «заявка»; шаг возможен в состоянии «согласован».\n"


def test_only_a_role_with_contracts_approve_approves(db):
    """(Roles apply under the server; without one the OS user is the administrator: here the
    operator's session is made as the server makes it.)"""
    from sbyt.core import access, contracts
    from sbyt.core.errors import SbytError

    yandex(db)
    ok(db, "contract", "apply", "77-003", "--counterparty", "7736207543", "--date", "2026-05-04",
       "--docs", "register_extract,authority,title,grid_act,meter_act,capacity_doc")
    ok(db, "contract", "draft", "77-003", "--date", "2026-05-05")
    ok(db, "user", "add", "ivanova", "--role", "operator")
    ok(db, "user", "add", "petrova", "--role", "lawyer")
    with open_store(db) as st:
        st.session = access.user_session(st, "ivanova", command="contract approve 77-003")
        with pytest.raises(SbytError) as refused:
            contracts.approve(st, "77-003", date(2026, 5, 6))
        assert refused.value.exit_code == 3
        assert "нет права «contracts.approve»" in str(refused.value)
        st.session = access.user_session(st, "petrova", command="contract approve 77-003")
        st.user = "petrova"                     # as the server makes the store of a session
        contracts.approve(st, "77-003", date(2026, 5, 6))
        assert st.scalar("SELECT state FROM contract") == "approved"
        assert st.scalar("SELECT user_name FROM audit_log WHERE entity = 'contract' ORDER BY id DESC LIMIT 1") \
            == "petrova"


def test_search_by_inn_name_and_contract_number(db):
    yandex(db)
    ok(db, "contract", "apply", "77-004", "--counterparty", "7736207543", "--date", "2026-05-04")
    for text in ("7736", "яндекс", "77-004"):
        assert json.loads(ok(db, "counterparty", "find", text, "-f", "json")) == [
            {"ИНН": "7736207543", "КПП": "770401001", "Наименование": "ООО «Яндекс»", "Вид": "legal",
             "Договоры": "77-004"}]
