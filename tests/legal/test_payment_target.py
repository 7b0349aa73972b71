"""Legal-entity payments that name a document: the purpose parser, the month a named invoice pays
before the earliest debt (balance and penalties alike), a named month not accrued yet waiting as its
advance, names the contract has no document for ignored with a warning, and bank statements with
legal payers routed to contracts (all or nothing, the same file or document twice refused)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import numpy as np
import pytest

from sbyt.calc.legal_penalty import legal_penalty_month
from sbyt.core import legal_schedule as ls
from sbyt.core.legal_payments import NamedDoc, add_payment, balance, named_docs


def _helpers():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("_legal_schedule_helpers",
                                                  Path(__file__).with_name("test_legal_schedule.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_h = _helpers()
add_contract, post = _h.add_contract, _h.post


def add_doc(st, doc_id: int, contract_id: int, kind: str, series: str, doc_no: str, doc_date: date, for_period: int,
            total_kop: int) -> None:
    st.execute("INSERT INTO legal_doc (id, kind, series, year, seq, doc_no, doc_date, period, for_period, contract_id,"
               " counterparty_id, amount_kop, vat_kop, total_kop, seller, buyer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
               " ?, ?, 0, ?, '{}', '{}')",
               [doc_id, kind, series, doc_date.year, doc_id, doc_no, doc_date, for_period, for_period, contract_id,
                contract_id, total_kop, total_kop])


# --------------------------------------------------------------------------------------- parsing
@pytest.mark.parametrize("text, expected", [
    ("Оплата по счёту № С-123 за электроэнергию", [NamedDoc("bill", "С-123", None, "")]),
    ("оплата по счету №С-7 от 01.12.2026, в т.ч. НДС", [NamedDoc("bill", "С-7", date(2026, 12, 1), "")]),
    ("по сч. на оплату С - 15", [NamedDoc("bill", "С-15", None, "")]),
    ("Оплата счёт на оплату № 42", [NamedDoc("bill", "С-42", None, "")]),
    ("Оплата по с/ф № 45 за ноябрь", [NamedDoc("sf", "45", None, "")]),
    ("по счёт-фактуре 45 от 30.11.2026 НДС 22%", [NamedDoc("sf", "45", date(2026, 11, 30), "")]),
    ("счет-фактура №0046, СФ 47", [NamedDoc("sf", "46", None, ""), NamedDoc("sf", "47", None, "")]),
    ("по счетам С-5, C-6 и с/ф №12", [NamedDoc("bill", "С-5", None, ""), NamedDoc("bill", "С-6", None, ""),
                                      NamedDoc("sf", "12", None, "")]),
    ("по договору № С-15 от 01.01.2026 за март", []),
    ("Оплата за электроэнергию за апрель 2026 г.", []),
    ("ЭС-12 НДС 20%", []),
    ("", []),
])
def test_named_docs(text, expected):
    got = [NamedDoc(d.series, d.number, d.day, "") for d in named_docs(text)]
    assert got == expected


# --------------------------------------------------------------------------------------- distribution
@pytest.fixture
def two_months(store):
    """p81 contract Д-1: February 100 000 ₽ due 16.03.2026 (the 15th is a Sunday), March 120 000 ₽
    due 15.04.2026; invoice С-2 (March, 31.03.2026) and VAT invoice 7 (March) issued."""
    store.execute("INSERT INTO billing_period (period, status) VALUES (202603, 'closed'), (202604, 'closed'),"
                  " (202605, 'open')")
    add_contract(store, 1, scheme="p81", starts=date(2026, 2, 1))
    post(store, 1, "accrual", 100_000_00, 202602)
    post(store, 1, "accrual", 120_000_00, 202603)
    add_doc(store, 1, 1, "bill_actual", "bill", "С-1", date(2026, 2, 28), 202602, 100_000_00)
    add_doc(store, 2, 1, "bill_actual", "bill", "С-2", date(2026, 3, 31), 202603, 120_000_00)
    add_doc(store, 3, 1, "sf", "sf", "7", date(2026, 3, 31), 202603, 120_000_00)
    add_doc(store, 4, 1, "bill_advance", "bill", "С-3", date(2026, 5, 1), 202605, 50_000_00)
    return store


def rows(st, on: date) -> list[tuple]:
    return [(r.period, r.what, r.owed_kop, r.paid_kop, r.debt_kop, r.overdue_kop) for r in balance(st, "Д-1", on)]


def pen(parts: list[tuple[int, int]], rate: str = "15.5") -> int:
    x = sum(Fraction(debt) * days * Fraction(rate) / 100 / 130 for debt, days in parts)
    return int(x + Fraction(1, 2))


def test_a_payment_naming_the_second_month_pays_it_before_the_first(two_months):
    st = two_months
    r = add_payment(st, "Д-1", 120_000_00, date(2026, 4, 20), "Оплата по счёту № С-2 от 31.03.2026 за э/э",
                    "501", today=date(2026, 5, 5))
    assert r.targets == ("С-2 (за 03.2026)",) and r.warnings == ()
    assert "В первую очередь оплачивает: С-2 (за 03.2026)." in r.message("Д-1", 120_000_00, date(2026, 4, 20))
    assert st.all("SELECT posting_id, seq, doc_id, for_period, debt FROM legal_payment_target") == [
        (r.posting_id, 1, 2, 202603, "energy")]
    assert rows(st, date(2026, 4, 30)) == [(202602, "energy", 100_000_00, 0, 100_000_00, 100_000_00),
                                           (202603, "energy", 120_000_00, 120_000_00, 0, 0)]
    # the penalty of February runs all April; March's 16..20 April (paid on the 20th)
    assert legal_penalty_month(st, 202604).amount_kop.tolist() == [pen([(100_000_00, 30), (120_000_00, 5)])]
    assert pen([(100_000_00, 30), (120_000_00, 5)]) == 4_292_31     # 3 576,92 + 715,38
    # the rest of a payment beyond the named month goes to the earliest debt
    add_payment(st, "Д-1", 30_000_00, date(2026, 4, 25), "с/ф № 7", today=date(2026, 5, 5))
    assert rows(st, date(2026, 4, 30))[0] == (202602, "energy", 100_000_00, 30_000_00, 70_000_00, 70_000_00)


def test_without_a_name_the_earliest_debt_is_paid_first(two_months):
    st = two_months
    add_payment(st, "Д-1", 120_000_00, date(2026, 4, 20), "Оплата за март по договору № Д-1", today=date(2026, 5, 5))
    assert st.scalar("SELECT count(*) FROM legal_payment_target") == 0
    assert rows(st, date(2026, 4, 30)) == [(202602, "energy", 100_000_00, 100_000_00, 0, 0),
                                           (202603, "energy", 120_000_00, 20_000_00, 100_000_00, 100_000_00)]
    # February 1..20 April, March 100 000 16..30 April and 20 000 16..20 April
    assert legal_penalty_month(st, 202604).amount_kop.tolist() == [
        pen([(100_000_00, 20), (100_000_00, 15), (20_000_00, 5)])]


def test_a_month_not_accrued_yet_keeps_its_money_and_unknown_names_are_warned(two_months):
    st = two_months
    r = add_payment(st, "Д-1", 50_000_00, date(2026, 5, 4), "аванс за май по счёту С-3; с/ф 99; счёт № С-77",
                    today=date(2026, 5, 5))
    assert r.targets == ("С-3 (за 05.2026)",)
    assert r.warnings == ("документ «с/ф 99» из назначения платежа по договору не найден — не учтён",
                          "документ «счёт № С-77» из назначения платежа по договору не найден — не учтён")
    assert "Внимание: документ «с/ф 99»" in r.message("Д-1", 50_000_00, date(2026, 5, 4))
    # May is not accrued: the money waits as May's advance, February and March stay owed
    assert rows(st, date(2026, 5, 5)) == [(202602, "energy", 100_000_00, 0, 100_000_00, 100_000_00),
                                          (202603, "energy", 120_000_00, 0, 120_000_00, 120_000_00),
                                          (202605, "advance", 0, 50_000_00, -50_000_00, 0)]
    post(st, 1, "accrual", 40_000_00, 202605)
    # May accrued 40 000: it is paid, the rest 10 000 pays February
    assert rows(st, date(2026, 6, 30))[0] == (202602, "energy", 100_000_00, 10_000_00, 90_000_00, 90_000_00)
    assert rows(st, date(2026, 6, 30))[2] == (202605, "energy", 40_000_00, 40_000_00, 0, 0)
    # another contract's invoice is not this contract's
    add_contract(st, 2, scheme="p81", starts=date(2026, 2, 1))
    r2 = add_payment(st, "Д-2", 1_00, date(2026, 5, 4), "по счёту С-2", today=date(2026, 5, 5))
    assert r2.targets == () and len(r2.warnings) == 1


def test_match_is_fifo_without_targets_and_honours_them_in_rounds():
    g = np.zeros(3, np.int64)
    amt = np.array([100, 200, 300], np.int64)
    key = np.array([202601, 202602, 202603], np.int64)
    o, c, a, held = ls.match(g, amt, key, np.zeros(2, np.int64), np.array([250, 400], np.int64), 1)
    f = ls.fifo(g, amt, np.zeros(2, np.int64), np.array([250, 400], np.int64), 1)
    assert [x.tolist() for x in (o, c, a)] == [x.tolist() for x in f] and not held.any()
    # money 0 names March then January; money 1 names nothing
    o, c, a, held = ls.match(g, amt, key, np.zeros(2, np.int64), np.array([350, 100], np.int64), 1,
                             np.array([0, 0]), np.array([0, 1]), np.array([202603, 202601]))
    assert list(zip(o.tolist(), c.tolist(), a.tolist())) == [(0, 0, 50), (0, 1, 50), (1, 1, 50), (2, 0, 300)]
    assert not held.any()


# --------------------------------------------------------------------------------------- bank statements
OURS = "40702810900000012345"


def statement(docs: list[tuple[str, str, str, str, str]]) -> bytes:
    """A 1CClientBankExchange 1.03 statement of incoming payment orders (number, day, sum in rubles, payer
    ИНН, purpose) on our account, the balance section adding up."""
    total = sum(Fraction(d[2]) for d in docs)
    lines = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "Отправитель=Бухгалтерия",
             "Получатель=", "ДатаНачала=20.04.2026", "ДатаКонца=20.04.2026", f"РасчСчет={OURS}",
             "СекцияРасчСчет", "ДатаНачала=20.04.2026", "ДатаКонца=20.04.2026", f"РасчСчет={OURS}",
             "НачальныйОстаток=1000.00", f"ВсегоПоступило={float(total):.2f}", "ВсегоСписано=0.00",
             f"КонечныйОстаток={float(total + 1000):.2f}", "КонецРасчСчет"]
    for no, day, amount, inn, purpose in docs:
        lines += ["СекцияДокумент=Платежное поручение", f"Номер={no}", f"Дата={day}", f"Сумма={amount}",
                  f"ПлательщикСчет=4070281000000000{no[-4:]:0>4}", f"ПлательщикИНН={inn}", "Плательщик1=ООО Покупатель",
                  f"ДатаПоступило={day}", f"ПолучательСчет={OURS}", "ПолучательИНН=5612042824",
                  "Получатель1=АО Энергосбыт", f"НазначениеПлатежа={purpose}", "КонецДокумента"]
    lines.append("КонецФайла")
    return "\r\n".join(lines).encode("cp1251")


def _import(st, data: bytes, name: str, today: date = date(2026, 5, 5)):
    from sbyt.calc.payments import import_payments
    from sbyt.io.payments_file import read_payment_file

    return import_payments(st, read_payment_file(data, name), today=today)


def test_the_real_statement_with_a_sole_trader_payer(store, samples):
    """kilylabs: three incoming orders of ИНН 123123123123 (40 000 ₽); the payer is a counterparty with
    one signed contract: all three are its payments, nothing in the households' queue."""
    from sbyt.core.period_state import start_period

    start_period(store, 201601)
    add_contract(store, 1, scheme="p81", starts=date(2015, 1, 1))
    store.execute("UPDATE counterparty SET inn = '123123123123' WHERE id = 1")
    post(store, 1, "accrual", 25_000_00, 201512)
    r = _import(store, (samples / "bank_1c" / "kilylabs_one_day_cp1251.txt").read_bytes(), "k.txt",
                today=date(2016, 1, 12))
    assert (r.rows, r.total_kop, r.posted, r.unidentified, r.legal) == (3, 40_000_00, 0, 0, 3)
    assert "по договорам юридических лиц: 3" in r.message("k.txt")
    got = store.all("SELECT contract_id, kind, period, for_period, amount_kop, op_date, batch_id,"
                    " json_extract_string(note, '$.doc_no') FROM legal_posting WHERE kind = 'payment' ORDER BY id")
    assert [g[4] for g in got] == [-6_000_00, -14_000_00, -20_000_00]
    assert {g[:4] + g[5:7] for g in got} == {(1, "payment", 201601, 201601, date(2016, 1, 11), 1)}
    assert store.scalar("SELECT count(*) FROM payment") == 0
    assert [(x.period, x.what, x.debt_kop) for x in balance(store, "Д-1", date(2016, 1, 12))] == [
        (201512, "energy", 0), (None, "advance", -15_000_00)]
    # the same documents in the other encoding: refused, the rows named
    from sbyt.core.errors import ValidationError

    with pytest.raises(ValidationError) as exc:
        _import(store, (samples / "bank_1c" / "kilylabs_one_day_utf8.txt").read_bytes(), "u.txt",
                today=date(2016, 1, 12))
    assert len(exc.value.errors) == 3 and str(exc.value.errors[0]).startswith("u.txt:")
    assert "уже принят" in str(exc.value.errors[0])


def test_legal_payers_are_routed_all_or_nothing(two_months):
    from sbyt.core.errors import RefusedError, ValidationError

    st = two_months
    add_contract(st, 2, scheme="p81", starts=date(2026, 2, 1))          # ИНН 7700000002, two contracts
    st.execute("INSERT INTO contract (id, number, counterparty_id, kind, payment_scheme, state, applied_on, starts)"
               " VALUES (3, 'Д-3', 2, 'supply', 'p81', 'signed', '2025-01-01', '2026-02-01'),"
               " (4, 'Д-4', 2, 'supply', 'p81', 'draft', '2025-01-01', NULL)")
    docs = [("101", "20.04.2026", "120000.00", "7700000001", "Оплата по счёту № С-2 от 31.03.2026, НДС 22%"),
            ("102", "20.04.2026", "500.00", "7700000002", "Оплата по договору № Д-3 за март"),
            ("103", "20.04.2026", "700.00", "7700000002", "Оплата за электроэнергию"),      # two contracts: queue
            ("104", "20.04.2026", "900.00", "7799999999", "Оплата по счёту С-2")]           # not a counterparty
    bad = statement(docs + [("105", "20.04.2026", "10.00", "7700000002", "по договору Д-4")])
    with pytest.raises(ValidationError) as exc:
        _import(st, bad, "bad.txt")
    assert [str(e) for e in exc.value.errors] == [
        "bad.txt:70: договор № Д-4 не подписан: оплата по нему не принимается"]
    assert st.scalar("SELECT count(*) FROM legal_posting WHERE kind = 'payment'") == 0
    assert st.scalar("SELECT count(*) FROM payment") == st.scalar("SELECT count(*) FROM import_batch") == 0
    good = statement(docs)
    r = _import(st, good, "good.txt")
    assert (r.rows, r.legal, r.posted, r.unidentified) == (4, 2, 0, 2)
    assert st.all("SELECT contract_id, -amount_kop, batch_id FROM legal_posting WHERE kind = 'payment' ORDER BY id") == [
        (1, 120_000_00, r.batch_id), (3, 500_00, r.batch_id)]
    # the invoice named in the statement pays March before February
    assert rows(st, date(2026, 4, 30))[:2] == [(202602, "energy", 100_000_00, 0, 100_000_00, 100_000_00),
                                               (202603, "energy", 120_000_00, 120_000_00, 0, 0)]
    with pytest.raises(RefusedError, match="уже загружен"):
        _import(st, good, "good.txt")
