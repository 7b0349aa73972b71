"""The bailiffs' (ФССП) exchange (sbyt.io.fssp, docs/collection.md «Обмен с ФССП»): the debtors'
identity, the export of executive documents as applications (golden XML, valid against
data/xsd/sbyt_fssp_application_1.xsd), the refusal for a citizen-debtor without an identifier,
the import of ФССП decisions (OIp XML) and of the CSV registry, every bad row reported, the same
file refused twice, the events of the cases. The commands: tests/collection/test_fssp_cli.py."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import xmlschema

from sbyt.core.collection import add_event, find_case, start_cases
from sbyt.core.errors import RefusedError, SbytError, ValidationError
from sbyt.core.store import open_store
from sbyt.io import fssp

GOLDEN = Path(__file__).parent / "golden"
XSD = Path(__file__).resolve().parents[2] / "data" / "xsd" / fssp.SCHEMA
OIP = "http://www.fssprus.ru/namespace/order/2017/2"
ACCOUNTS = ("3100000025", "3100000030", "3100000033")
SENT = date(2026, 12, 4)
COURT = "Мировой судья судебного участка № 3 Гатчинского района Ленинградской области"
# writ id, kind, number, court case, amount (principal + penalties), penalties (None: unknown), duty
WRITS = [(1, "court_order", "2-1101/2026", "2-1101/2026", 196_844, None, 2_000_00),
         (2, "writ", "ФС № 045123789", "2-877/2026", 424_060, 0, 4_000_00),
         (3, "court_order", "2-1103/2026", "2-1103/2026", 124_785, 5_000, 2_000_00)]


def _writs(st) -> None:
    """Three household cases at the stage «исполнительный документ», each with its document."""
    ids = [r[0] for r in st.all("SELECT id FROM account WHERE number IN (SELECT unnest(?)) ORDER BY number",
                                [list(ACCOUNTS)])]
    start_cases(st, "household", ids, date(2026, 11, 16))
    for (wid, kind, no, court_case, amount, penalty, duty), acc in zip(WRITS, ACCOUNTS):
        case = find_case(st, acc)
        add_event(st, case.number, "filed", date(2026, 11, 18))
        add_event(st, case.number, "writ_received", date(2026, 12, 1))
        st.execute("INSERT INTO debt_writ (id, case_id, doc_kind, doc_no, court, court_case_no, act_date, in_force,"
                   " amount_kop, duty_kop, penalty_kop) VALUES (?, ?, ?, ?, ?, ?, DATE '2026-11-25', ?, ?, ?, ?)",
                   [wid, case.id, kind, no, COURT, court_case, date(2026, 12, 1) if kind == "writ" else None,
                    amount, duty, penalty])


def _identities(st, accounts=ACCOUNTS) -> None:
    values = {"3100000025": {"birth_date": "12.03.1980", "birth_place": "г. Гатчина Ленинградской обл.",
                             "snils": "112-233-445 95"},
              "3100000030": {"birth_date": "1975-01-02", "birth_place": "г. Луга", "passport": "4510 123456",
                             "passport_issued_on": "2020-01-15", "passport_issued_by": "ГУ МВД России по г. Москве",
                             "driving_licence": "99 01 123456"},
              "3100000033": {"birth_date": "1990-05-06", "birth_place": "с. Рождествено", "inn": "500100732259",
                             "full_name": "Блинов Ферапонт Ермолаевич", "residence": "г. Гатчина, ул. Чехова, д. 2"}}
    for acc in accounts:
        fssp.set_identity(st, acc, values[acc])


@pytest.fixture
def db(demo_db: Path) -> Path:
    with open_store(demo_db) as st:
        _writs(st)
    return demo_db


def _state(st) -> list[tuple]:
    return st.all("SELECT id, sent_fssp, proceedings_no, fssp_status, fssp_status_date, recovered_kop FROM debt_writ"
                  " ORDER BY id")


def _events(st, kinds=("sent_fssp", "proceedings", "fssp_ended", "recovered")) -> list[tuple]:
    return st.all("SELECT c.number, e.kind, e.event_date, e.stage, e.amount_kop, e.note FROM debt_event e"
                  " JOIN debt_case c ON c.id = e.case_id WHERE e.kind IN (SELECT unnest(?)) ORDER BY e.id",
                  [list(kinds)])


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("SBYT_UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes()


# -------------------------------------------------------------------------------------- identity

def test_identity_checks_every_value_at_once_and_writes_nothing(db):
    with open_store(db) as st:
        with pytest.raises(SbytError) as e:
            fssp.set_identity(st, "3100000025", {"snils": "112-233-445 96", "inn": "500100732250",
                                                 "passport": "45 10 12345", "birth_date": "31.02.1980",
                                                 "driving_licence": "99 ZZ 123456"})
        text = str(e.value)
        assert "СНИЛС 112-233-445 96: неверное контрольное число" in text
        assert "ИНН 500100732250: неверная контрольная цифра" in text
        assert "паспорт: ожидается серия (4 цифры) и номер (6 цифр)" in text
        assert "дата рождения: не дата: «31.02.1980»" in text
        assert "водительское удостоверение: ожидается серия" in text
        assert st.scalar("SELECT count(*) FROM debtor_identity") == 0


def test_identity_set_show_clear_and_masked_without_pd_read(db):
    from sbyt.core.access import Session

    with open_store(db) as st:
        ident = fssp.set_identity(st, "ПИР-2026-000002", {"birth_date": "1975-01-02", "birth_place": "г. Луга",
                                                          "passport": "4510 № 123456"})
        assert (ident.debtor.number, ident.passport_series, ident.passport_number) == ("3100000030", "4510", "123456")
        assert ident.identifiers() == ["passport"] and ident.missing() == []
        ident = fssp.set_identity(st, "3100000030", {"passport": "", "snils": "11223344595"})
        assert (ident.passport_series, ident.snils, ident.birth_place) == (None, "11223344595", "г. Луга")
        assert st.scalar("SELECT count(*) FROM debtor_identity") == 1
        assert st.scalar("SELECT count(*) FROM audit_log WHERE entity = 'debtor_identity'") == 2
        assert st.all("SELECT snils, birth_date, birth_place FROM masked.debtor_identity") == [("***95", None, "***")]
        st.session = Session("op", "operator", frozenset({"debt.work"}), local=False)
        masked = fssp.identity(st, "3100000030")
        assert (masked.snils, masked.birth_date, masked.birth_place) == ("***95", None, "***")
        assert masked.debtor.name == "Ф*** А. А."
        with pytest.raises(SbytError, match="pd.read"):
            fssp.export_writs(st, db.parent / "x.xml", SENT)


def test_organisation_has_no_personal_identifiers(db):
    with open_store(db) as st:
        st.execute("INSERT INTO counterparty (id, kind, inn, kpp, ogrn, registered) VALUES"
                   " (901, 'legal', '7736207543', '773601001', '1027700229193', DATE '2020-01-01')")
        with pytest.raises(SbytError, match="организация"):
            fssp.set_identity(st, "7736207543", {"snils": "11223344595"})


# ---------------------------------------------------------------------------------------- export

def test_export_refuses_listing_every_writ_without_identifier(db, tmp_path):
    out = tmp_path / "fssp.xml"
    with open_store(db) as st:
        _identities(st, ["3100000030"])
        fssp.set_identity(st, "3100000033", {"birth_date": "1990-05-06"})
        before = _state(st)
        with pytest.raises(SbytError) as e:
            fssp.export_writs(st, out, SENT)
        lines = str(e.value).splitlines()
        assert lines[0] == ("Заявления в ФССП не сформированы: исполнительных документов с ошибками 2. "
                            "Ничего не записано.")
        assert lines[1] == ("  2-1101/2026 (дело ПИР-2026-000001, должник 3100000025): у должника нет: дата рождения, "
                            "место рождения, идентификатор (СНИЛС, ИНН, паспорт, водительское удостоверение, "
                            "свидетельство о регистрации ТС)")
        assert lines[2] == ("  2-1103/2026 (дело ПИР-2026-000003, должник 3100000033): у должника нет: место рождения, "
                            "идентификатор (СНИЛС, ИНН, паспорт, водительское удостоверение, свидетельство о "
                            "регистрации ТС)")
        assert _state(st) == before and _events(st) == []
        assert find_case(st, "3100000030").stage == "writ"
    assert not out.exists()


def test_export_golden_valid_against_xsd_marks_sent_and_moves_cases(db, tmp_path):
    out = tmp_path / "fssp_2026-12-04.xml"
    with open_store(db) as st:
        _identities(st)
        res = fssp.export_writs(st, out, SENT)
        assert (res.writs, res.cases) == (3, ("ПИР-2026-000001", "ПИР-2026-000002", "ПИР-2026-000003"))
        assert res.total_kop == 196_844 + 424_060 + 124_785 + 8_000_00
        assert _state(st) == [(i, SENT, None, "sent", SENT, 0) for i in (1, 2, 3)]
        assert _events(st) == [
            ("ПИР-2026-000001", "sent_fssp", SENT, "enforcement", 396_844, "fssp_2026-12-04.xml: 2-1101/2026"),
            ("ПИР-2026-000002", "sent_fssp", SENT, "enforcement", 824_060, "fssp_2026-12-04.xml: ФС № 045123789"),
            ("ПИР-2026-000003", "sent_fssp", SENT, "enforcement", 324_785, "fssp_2026-12-04.xml: 2-1103/2026")]
        assert {find_case(st, a).stage for a in ACCOUNTS} == {"enforcement"}
        # nothing left to send; a named one may be sent again (a returned document presented anew)
        with pytest.raises(SbytError, match="все уже направлены"):
            fssp.export_writs(st, tmp_path / "again.xml", SENT)
        again = fssp.export_writs(st, tmp_path / "again.xml", date(2026, 12, 5), [2])
        assert again.writs == 1 and _state(st)[1][1] == date(2026, 12, 5)
    data = out.read_bytes()
    check_golden("fssp_export.xml", data)
    schema = xmlschema.XMLSchema10(str(XSD))
    schema.validate(str(out))
    doc = schema.to_dict(str(out))
    apps = doc["Application"]
    assert [a["IdDoc"]["IdDocNo"] for a in apps] == ["2-1101/2026", "ФС № 045123789", "2-1103/2026"]
    claims = [a["Claim"] for a in apps]
    # the first writ's split is unknown (no penalties given, no court document): the total only
    assert "Principal" not in claims[0] and str(claims[0]["IdDebtSum"]) == "3968.44"
    assert (str(claims[1]["Principal"]), str(claims[1]["Penalty"]), str(claims[1]["Duty"])) == ("4240.60", "0.00",
                                                                                                "4000.00")
    assert (str(claims[2]["Principal"]), str(claims[2]["Penalty"]), str(claims[2]["IdDebtSum"])) == ("1197.85",
                                                                                                     "50.00", "3247.85")
    persons = [a["Debtor"]["Person"]["Identifiers"] for a in apps]
    assert persons[0] == {"Snils": "11223344595"}
    assert set(persons[1]) == {"Passport", "DrivingLicence"} and persons[2] == {"Inn": "500100732259"}
    assert apps[2]["Debtor"]["DbtrAdr"] == "г. Гатчина, ул. Чехова, д. 2"
    assert doc["Crdr"]["CrdrBank"]["AccountNo"] == "40702810938000012345"


def _legal_writs(st) -> None:
    """An organisation and a sole trader, each with a contract, a case at the writ stage and a writ."""
    for cid, kind, inn, kpp, ogrn, name in (
            (901, "legal", "7736207543", "773601001", None, "ООО «Ромашка»"),
            (902, "sole_trader", "500100732259", None, "304500116000157", "ИП Кузнецов Пётр Ильич")):
        st.execute("INSERT INTO counterparty (id, kind, inn, kpp, ogrn, registered) VALUES (?, ?, ?, ?, ?, DATE '2020-01-01')",
                   [cid, kind, inn, kpp, ogrn])
        st.execute("INSERT INTO counterparty_fact (counterparty_id, valid_from, name, legal_address)"
                   " VALUES (?, DATE '2020-01-01', ?, ?)", [cid, name, f"г. Гатчина, ул. Заводская, д. {cid - 900}"])
        st.execute("INSERT INTO contract (id, number, counterparty_id, kind, payment_scheme, state, applied_on)"
                   " VALUES (?, ?, ?, 'supply', 'p82', 'signed', DATE '2020-01-01')", [cid, f"Д-{cid}", cid])
        st.execute("INSERT INTO debt_case (id, number, debtor_kind, contract_id, counterparty_id, scheme, stage,"
                   " stage_since, opened, as_of, principal_kop, penalty_kop) VALUES (?, ?, 'legal', ?, ?, 'legal',"
                   " 'writ', DATE '2026-12-01', DATE '2026-10-01', DATE '2026-10-01', 1000000, 0)",
                   [cid, f"ПИР-2026-000{cid}", cid, cid])
        st.execute("INSERT INTO debt_writ (id, case_id, doc_kind, doc_no, court, court_case_no, act_date, amount_kop,"
                   " duty_kop, penalty_kop) VALUES (?, ?, 'court_order', ?, 'Арбитражный суд города Санкт-Петербурга и"
                   " Ленинградской области', ?, DATE '2026-11-25', 1000000, 1000000, 25000)",
                   [cid, cid, f"А56-{cid}/2026", f"А56-{cid}/2026"])


def test_export_of_an_organisation_and_a_sole_trader(db, tmp_path):
    out = tmp_path / "legal.xml"
    with open_store(db) as st:
        _legal_writs(st)
        with pytest.raises(SbytError) as e:
            fssp.export_writs(st, out, SENT, [901, 902])
        assert str(e.value).splitlines()[1:3] == [
            "  А56-901/2026 (дело ПИР-2026-000901, должник Д-901): у организации-должника не указан ОГРН "
            "(карточка контрагента)",
            "  А56-902/2026 (дело ПИР-2026-000902, должник Д-902): у должника нет: дата рождения, место рождения"]
        st.execute("UPDATE counterparty SET ogrn = '1027700229193' WHERE id = 901")
        fssp.set_identity(st, "500100732259", {"birth_date": "1970-07-07", "birth_place": "г. Тосно"})
        res = fssp.export_writs(st, out, SENT, [901, 902])
        assert res.total_kop == 4_000_000
        assert [e[:4] for e in _events(st)] == [("ПИР-2026-000901", "sent_fssp", SENT, "enforcement"),
                                                ("ПИР-2026-000902", "sent_fssp", SENT, "enforcement")]
    doc = xmlschema.XMLSchema10(str(XSD)).to_dict(str(out))
    org, ip = (a["Debtor"] for a in doc["Application"])
    assert (org["DebtorType"], org["DbtrName"], org["Organization"]) == (
        1, "ООО «Ромашка»", {"Inn": "7736207543", "Kpp": "773601001", "Ogrn": "1027700229193"})
    assert org["DbtrAdr"] == "г. Гатчина, ул. Заводская, д. 1"
    assert (ip["DebtorType"], ip["Person"]["Identifiers"], ip["Person"]["Ogrnip"]) == (
        3, {"Inn": "500100732259"}, "304500116000157")
    assert [str(a["Claim"]["Principal"]) for a in doc["Application"]] == ["9750.00", "9750.00"]


def test_xsd_rejects_a_citizen_without_identifiers(db, tmp_path):
    out = tmp_path / "fssp.xml"
    with open_store(db) as st:
        _identities(st)
        fssp.export_writs(st, out, SENT, [1])
    text = out.read_text(encoding="utf-8")
    assert fssp.validate(text.encode()) == []
    broken = text.replace("<Snils>11223344595</Snils>", "").encode()
    assert fssp.validate(broken) and "Identifiers" in fssp.validate(broken)[0]


def test_export_refuses_a_case_still_in_court(db, tmp_path):
    with open_store(db) as st:
        _identities(st)
        case = find_case(st, "3100000025")
        st.execute("UPDATE debt_case SET stage = 'court' WHERE id = ?", [case.id])
        with pytest.raises(SbytError, match="на этапе «суд»: сначала отметьте получение"):
            fssp.export_writs(st, tmp_path / "f.xml", SENT)
        assert _events(st) == []


# ---------------------------------------------------------------------------------------- answers

def _sent(st, tmp_path) -> None:
    _identities(st)
    fssp.export_writs(st, tmp_path / "sent.xml", SENT)


def _oip(fields: dict[str, str]) -> str:
    return "<f:OIp>" + "".join(f"<f:{k}>{v}</f:{k}>" for k, v in fields.items()) + "</f:OIp>"


def test_import_oip_decisions_one_and_several_in_a_file(db, tmp_path):
    one = tmp_path / "postanovlenie.xml"
    one.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<f:OIp xmlns:f="{OIP}"><f:Id>1</f:Id>'
                   "<f:DocType>O_IP_RES_REOPEN</f:DocType><f:DocDate>2026-12-05</f:DocDate><f:DebtorType>2</f:DebtorType>"
                   "<f:DbtrName>Гаврилов Дмитрий Григорьевич</f:DbtrName><f:IdDocNo>2-1101/2026</f:IdDocNo>"
                   "<f:IdDeloNo>2-1101/2026</f:IdDeloNo><f:IpNo>23545/26/47025-ИП</f:IpNo>"
                   "<f:IdDebtSum>3968.44</f:IdDebtSum></f:OIp>\n", encoding="utf-8")
    several = tmp_path / "pack.xml"
    several.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Pack xmlns:f="{OIP}">\n'
        + _oip({"DocType": "O_IP_RES_REOPEN", "DocDate": "2026-12-05", "IdDocNo": "ФС 045123789",
                "IdDeloNo": "101/26/47025-ИП"}) + "\n"     # the proceedings number in IdDeloNo (legal.md §D.8)
        + _oip({"DocType": "O_IP_ACT_END_END", "DocDate": "2026-12-05", "IdDocNo": "ФС № 045123789",
                "IpNo": "101/26/47025-ИП", "IdDebtSum": "8240.60"}) + "\n"
        + _oip({"DocType": "O_IP_ACT_RETURN", "DocDate": "2026-12-05", "IdDocNo": "2-1103/2026",
                "IpNo": "77/26/47025-ИП", "IdDeloNo": "2-999/2026"}) + "\n</Pack>\n", encoding="utf-8")
    with open_store(db) as st:
        _sent(st, tmp_path)
        r1 = fssp.import_answers(st, one)
        assert (r1.rows, r1.writs, r1.events, r1.recovered_kop) == (1, 1, {"proceedings": 1}, 0)
        assert r1.warnings == ()
        r2 = fssp.import_answers(st, several)
        assert (r2.rows, r2.writs, r2.recovered_kop) == (3, 2, 824_060)
        assert r2.events == {"proceedings": 1, "fssp_ended": 2, "recovered": 1}
        assert r2.warnings == ("pack.xml:5: номер дела в постановлении «2-999/2026», по документу 2-1103/2026 — "
                               "«2-1103/2026»",)
        assert _state(st) == [(1, SENT, "23545/26/47025-ИП", "opened", date(2026, 12, 5), 0),
                              (2, SENT, "101/26/47025-ИП", "ended_paid", date(2026, 12, 5), 824_060),
                              (3, SENT, "77/26/47025-ИП", "returned", date(2026, 12, 5), 0)]
        d = date(2026, 12, 5)
        assert _events(st, ("proceedings", "fssp_ended", "recovered")) == [
            ("ПИР-2026-000001", "proceedings", d, "enforcement", None, "2-1101/2026: ИП 23545/26/47025-ИП"),
            ("ПИР-2026-000002", "proceedings", d, "enforcement", None, "ФС № 045123789: ИП 101/26/47025-ИП"),
            ("ПИР-2026-000002", "fssp_ended", d, "enforcement", None,
             "ФС № 045123789: ИП 101/26/47025-ИП, окончено фактическим исполнением"),
            ("ПИР-2026-000002", "recovered", d, "enforcement", 824_060,
             "ФС № 045123789: ИП 101/26/47025-ИП, всего взыскано 8\u00a0240,60 руб."),
            ("ПИР-2026-000003", "fssp_ended", d, "enforcement", None,
             "2-1103/2026: ИП 77/26/47025-ИП, документ возвращён взыскателю")]
        assert st.all("SELECT id, file_name, rows FROM fssp_answer_batch ORDER BY id") == [
            (1, "postanovlenie.xml", 1), (2, "pack.xml", 3)]


def test_import_csv_registry_cumulative_and_twice_refused(db, tmp_path):
    first = tmp_path / "reestr_1.csv"
    first.write_text("doc_no;proceedings_no;status;status_date;recovered_rub\n"
                     "2-1101/2026;23545/26/47025-ИП;возбуждено;04.12.2026;500,00\n"
                     "2-1103/2026;;refused;2026-12-05;\n", encoding="utf-8")
    second = tmp_path / "reestr_2.csv"
    second.write_bytes("\ufeffdoc_no;proceedings_no;status;status_date;recovered_rub\r\n"
                       "2-1101/2026;23545/26/47025-ИП;opened;05.12.2026;1 250,50\r\n".encode("utf-8"))
    with open_store(db) as st:
        _sent(st, tmp_path)
        r = fssp.import_answers(st, first)
        assert (r.rows, r.writs, r.events, r.recovered_kop) == (2, 2, {"proceedings": 1, "recovered": 1,
                                                                      "fssp_ended": 1}, 500_00)
        r = fssp.import_answers(st, second)
        assert (r.writs, r.events, r.recovered_kop) == (1, {"recovered": 1}, 750_50)
        assert _state(st)[0] == (1, SENT, "23545/26/47025-ИП", "opened", date(2026, 12, 5), 1_250_50)
        assert _state(st)[2] == (3, SENT, None, "refused", date(2026, 12, 5), 0)
        assert [e[4] for e in _events(st, ("recovered",))] == [500_00, 750_50]
        copy = tmp_path / "copy.csv"
        copy.write_bytes(first.read_bytes())
        before = (_state(st), _events(st))
        with pytest.raises(RefusedError, match="уже загружен"):
            fssp.import_answers(st, copy)
        assert (_state(st), _events(st)) == before
        assert st.scalar("SELECT count(*) FROM fssp_answer_batch") == 2


def test_import_reports_every_bad_row_and_writes_nothing(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_no;proceedings_no;status;status_date;recovered_rub\n"
                   "2-1101/2026;23545/26/47025-ИП;opened;05.12.2026;100,00\n"      # good
                   "2-9999/2026;1/26/47025-ИП;opened;05.12.2026;\n"                 # unknown document
                   "2-1101/2026;23545-ИП;opened;05.12.2026;\n"                      # bad proceedings number
                   "ФС № 045123789;101/26/47025-ИП;opened;05.12.2026;12,345\n"     # bad amount
                   "2-1103/2026;77/26/47025-ИП;closed;05.12.2026;\n"                # unknown status
                   "2-1103/2026;77/26/47025-ИП;opened;2026-13-01;\n"                # bad date
                   "2-1103/2026;;ended_paid;05.12.2026;\n"                          # no proceedings number
                   "ФС № 045123789;101/26/47025-ИП;opened;05.12.2026;99999,00\n",  # more than the document
                   encoding="utf-8")
    with open_store(db) as st:
        _sent(st, tmp_path)
        before = (_state(st), _events(st))
        with pytest.raises(ValidationError) as e:
            fssp.import_answers(st, bad)
        assert [str(x) for x in e.value.errors] == [
            "bad.csv:3: исполнительный документ «2-9999/2026» не найден (sbyt debt fssp list)",
            "bad.csv:4:proceedings_no: номер исполнительного производства «23545-ИП» не в формате «23545/20/69025-ИП»",
            "bad.csv:5:recovered_rub: не сумма: «12,345» (рубли с копейками, например 1234,56)",
            "bad.csv:6:status: неизвестный статус «closed»; допустимы: opened (возбуждено), refused (отказ в "
            "возбуждении), ended_paid (окончено фактическим исполнением), ended_impossible (окончено, взыскание "
            "невозможно), returned (документ возвращён взыскателю)",
            "bad.csv:7:status_date: не дата: «2026-13-01» (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)",
            "bad.csv:8: для статуса «окончено фактическим исполнением» нужен номер исполнительного производства",
            "bad.csv:9: взыскано 99\u00a0999,00 руб. больше суммы по документу с госпошлиной (8\u00a0240,60 руб.)"]
        assert str(e.value).startswith("Файл ответов ФССП «bad.csv» не загружен: ошибок 7. Ничего не записано.")
        assert (_state(st), _events(st)) == before
        assert st.scalar("SELECT count(*) FROM fssp_answer_batch") == 0


def test_bad_oip_decisions_reported_by_line(db, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<Pack xmlns:f="{OIP}">\n'
                   + _oip({"DocType": "O_IP_ACT_SOMETHING", "DocDate": "2026-12-05", "IdDocNo": "2-1101/2026"}) + "\n"
                   + _oip({"DocType": "O_IP_RES_REOPEN", "DocDate": "05.12.2026", "IdDocNo": "2-1101/2026",
                           "IpNo": "23545/26/4702-ИП", "IdDebtSum": "сто"}) + "\n"
                   + _oip({"DocType": "O_IP_RES_REOPEN", "IdDocNo": "2-1101/2026"}) + "\n</Pack>\n",
                   encoding="utf-8")
    other = tmp_path / "other.xml"
    other.write_text('<x:Doc xmlns:x="urn:other"/>', encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text(f'<f:OIp xmlns:f="{OIP}"><f:DocType>', encoding="utf-8")
    with open_store(db) as st:
        _sent(st, tmp_path)
        with pytest.raises(ValidationError) as e:
            fssp.import_answers(st, bad)
        got = [str(x) for x in e.value.errors]
        assert got[0].startswith("bad.xml:3:DocType: неизвестный вид постановления «O_IP_ACT_SOMETHING»; известны: "
                                 "O_IP_RES_REOPEN (возбуждено)")
        assert got[1:] == [
            "bad.xml:4:IpNo: номер исполнительного производства «23545/26/4702-ИП» не в формате «23545/20/69025-ИП»",
            "bad.xml:4:IdDebtSum: не сумма: «сто» (рубли с копейками, например 1234,56)",
            "bad.xml:5:DocDate: нет даты постановления (DocDate)"]
        with pytest.raises(ValidationError, match="other.xml:1: это не постановление ФССП: корневой элемент «Doc»"):
            fssp.import_answers(st, other)
        with pytest.raises(ValidationError, match="broken.xml:1: повреждённый XML"):
            fssp.import_answers(st, broken)
        assert st.scalar("SELECT count(*) FROM fssp_answer_batch") == 0
