"""Payments dated outside the open month: a closed month's payments are posted in the open month with
their real day (which the penalty timeline uses), a day after today is refused, a far-past day is
accepted with a warning. «Today» is 05.12.2026 in every test (tests/conftest.py)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from sbyt.calc.close import close_period
from sbyt.calc.penalty import penalty_month
from sbyt.calc.pipeline import calculate
from sbyt.console.cli.main import app
from sbyt.calc import payments
from sbyt.core.errors import ValidationError
from sbyt.core.money import round_div
from sbyt.calc.payments import import_payments, post_payments
from sbyt.core.period_state import open_period, start_period
from sbyt.core.store import open_store
from sbyt.io.payments_file import read_payment_file

runner = CliRunner()
A1, A2 = "1000000001", "1000000002"


def statement(docs: list[tuple[str, str, str]]) -> bytes:
    """A 1C statement with one incoming payment order per (day, amount, purpose)."""
    lines = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "РасчСчет=40702810000000000009"]
    for i, (day, amount, purpose) in enumerate(docs, 1):
        lines += ["СекцияДокумент=Платежное поручение", f"Номер={i}", f"Дата={day}", f"Сумма={amount}",
                  "ПлательщикСчет=40817810000000000001", "ПолучательСчет=40702810000000000009",
                  f"ДатаПоступило={day}", f"НазначениеПлатежа={purpose}", "КонецДокумента"]
    lines.append("КонецФайла")
    return "\r\n".join(lines).encode("cp1251")


def _imp(store, data: bytes, name: str, today: date | None = None):
    return import_payments(store, read_payment_file(data, name), today=today)


def _kop(x: Fraction) -> int:
    return round_div(x.numerator, x.denominator)


def _close(store) -> None:
    period = open_period(store)
    calculate(store, period)
    close_period(store, period)


@pytest.fixture
def nov_store(store, helpers):
    """October closed (the store's first month), November open; account 1 owes 10 000,00 ₽ for 2026-09."""
    helpers.add_accounts(store, [A1, A2])
    start_period(store, 202610)
    helpers.post(store, 1, 202609, 1_000_000, op_date=date(2026, 9, 30))
    _close(store)
    assert open_period(store) == 202611
    return store


def test_closed_month_ahead_and_far_past_days_are_posted_in_the_open_month(nov_store):
    data = statement([("31.10.2026", "100.00", f"л/с {A1}"), ("03.11.2026", "50.00", f"л/с {A1}"),
                      ("30.10.2026", "20.00", f"л/с {A2}"), ("01.12.2026", "30.00", f"л/с {A2}"),
                      ("15.09.2026", "10.00", f"л/с {A2}")])
    r = _imp(nov_store, data, "vyp.txt")
    assert (r.rows, r.posted, r.total_kop) == (5, 5, 21000)
    assert r.message("vyp.txt").splitlines() == [
        "Загружено платежей: 5 на 210,00 ₽ из «vyp.txt» (партия 1). Разнесено: 5, неопознано: 0.",
        "Из них 3 платежа датой закрытых периодов (сентябрь 2026 — 1, октябрь 2026 — 2) учтены в ноябре 2026.",
        "Из них 1 платёж датой после открытого периода (декабрь 2026) учтён в ноябре 2026.",
        "Платежи с давней датой приняты, проверьте даты: 1.",
        "vyp.txt:41: платёж от 15.09.2026: дата раньше первого месяца базы (10.2026)"]
    # every payment and posting is in the open month, each with its real day
    assert nov_store.all("SELECT pay_date, period FROM payment ORDER BY id") == [
        (date(2026, 10, 31), 202611), (date(2026, 11, 3), 202611), (date(2026, 10, 30), 202611),
        (date(2026, 12, 1), 202611), (date(2026, 9, 15), 202611)]
    assert nov_store.all("SELECT account_id, period, for_period, op_date, amount_kop FROM posting"
                         " WHERE kind = 'payment' ORDER BY account_id, op_date") == [
        (1, 202611, 202609, date(2026, 10, 31), -10000), (1, 202611, 202609, date(2026, 11, 3), -5000),
        (2, 202611, 202611, date(2026, 9, 15), -1000), (2, 202611, 202611, date(2026, 10, 30), -2000),
        (2, 202611, 202611, date(2026, 12, 1), -3000)]
    # the closed month is untouched
    assert nov_store.scalar("SELECT count(*) FROM posting WHERE period = 202610") == 0


def test_a_day_after_today_refuses_the_whole_file_naming_every_such_row(nov_store):
    data = statement([("06.12.2026", "1.00", f"л/с {A1}"), ("03.11.2026", "1.00", f"л/с {A1}"),
                      ("01.01.2027", "1.00", f"л/с {A1}")])
    with pytest.raises(ValidationError) as exc:
        _imp(nov_store, data, "f.txt")
    assert exc.value.message.splitlines() == [
        "Платежи с датой позже сегодняшней (05.12.2026): 2. Ничего не записано.",
        "f.txt:5: платёж от 06.12.2026: дата позже сегодняшней",
        "f.txt:23: платёж от 01.01.2027: дата позже сегодняшней"]
    assert nov_store.scalar("SELECT count(*) FROM payment") == 0
    assert nov_store.scalar("SELECT count(*) FROM import_batch") == 0
    # the same file on a later day goes in
    assert _imp(nov_store, data, "f.txt", today=date(2027, 1, 1)).posted == 3


def test_the_age_limit_is_a_dated_setting(nov_store):
    # from 01.12.2026 a payment older than 30 days is worth a second look (the shipped rule says 92)
    nov_store.execute("INSERT INTO dated_rule VALUES ('payment.max_age_days', DATE '2026-12-01', NULL, 30, NULL, NULL)")
    data = statement([("31.10.2026", "1.00", A1), ("05.11.2026", "1.00", A1)])
    assert _imp(nov_store, data, "a.txt", today=date(2026, 11, 30)).dating.warned == 0
    nov_store.execute("DELETE FROM payment")
    nov_store.execute("DELETE FROM import_batch")
    r = _imp(nov_store, data, "a.txt")
    assert r.message("a.txt").splitlines()[1:] == [
        "Из них 1 платёж датой закрытого периода (октябрь 2026) учтён в ноябре 2026.",
        "Платежи с давней датой приняты, проверьте даты: 1.",
        "a.txt:5: платёж от 31.10.2026: дата старше 30 дн. (на 05.12.2026 — 35 дн.)"]


def test_cash_desk_and_bulk_feeds_follow_the_same_rules(nov_store):
    res = payments.add_cash(nov_store, A1, 1000, date(2026, 10, 31))
    assert res.dating.lines() == ["Платёж датой закрытого периода (октябрь 2026) учтён в ноябре 2026."]
    assert nov_store.one("SELECT pay_date, period FROM payment WHERE id = ?", [res.payment_id]) == (
        date(2026, 10, 31), 202611)
    assert payments.add_cash(nov_store, A1, 1000).dating.lines() == [   # default day: today, 05.12.2026
        "Платёж датой после открытого периода (декабрь 2026) учтён в ноябре 2026."]
    feed = pa.table({"account_id": [1, 2], "amount_kop": [100, 200],
                     "pay_date": pa.array([date(2026, 10, 20), date(2026, 12, 7)], pa.date32())})
    with pytest.raises(ValidationError) as exc:
        post_payments(nov_store, feed, source="portal")
    assert str(exc.value.errors[0]) == "личный кабинет:2: платёж от 07.12.2026: дата позже сегодняшней"
    r = post_payments(nov_store, feed, source="portal", today=date(2026, 12, 7))
    assert r.dating.late == ((202610, 1),) and r.dating.ahead == ((202612, 1),)


def test_a_late_payment_of_30_november_posted_in_december_reduces_the_penalty_from_its_day(store, helpers):
    """10 000,00 ₽ for 2026-09 (due 15.10.2026) is late in November and December; 4 000,00 ₽ paid on
    30.11.2026 reaches the office after November was closed. Posted in December with its day, it
    counts on its own day (the kernel's rule) and reduces the debt from 01.12.2026: every December day
    is charged on 6 000,00 ₽. Key rate 15,5 % capped at 9,5 %, delay days 47–77 at 1/300."""
    helpers.add_accounts(store, [A1])
    start_period(store, 202611)
    helpers.post(store, 1, 202609, 1_000_000, op_date=date(2026, 9, 30))
    _close(store)                       # November's penalty: 16 days (31–46) on 10 000,00 ₽
    november = Fraction(1_000_000 * 95, 1000 * 300) * 16
    assert store.all("SELECT period, amount_kop FROM posting WHERE kind = 'penalty'") == [(202611, _kop(november))]
    r = _imp(store, statement([("30.11.2026", "4000.00", f"л/с {A1}")]), "late.txt")
    assert r.message("late.txt").splitlines()[1] == "Платёж датой закрытого периода (ноябрь 2026) учтён в декабре 2026."
    assert store.all("SELECT period, for_period, op_date, amount_kop FROM posting WHERE kind = 'payment'") == [
        (202612, 202609, date(2026, 11, 30), -400_000)]
    december = penalty_month(store, 202612)
    daily = Fraction(600_000 * 95, 1000 * 300)
    assert list(december.amount_kop) == [daily * 31] == [5890]          # 1,90 ₽ a day × 31 days, exact
    d = december.detail.to_pylist()
    assert [(x["debt_period"], x["from_off"], x["to_off"], x["delay_from"], x["debt_kop"]) for x in d] == [
        (202609, 0, 30, 47, 600_000)]
    # the same money dated 01.12.2026 would leave 1 December on the whole debt
    store.execute("UPDATE posting SET op_date = DATE '2026-12-01' WHERE kind = 'payment'")
    later = Fraction(1_000_000 * 95, 1000 * 300) + daily * 30
    assert list(penalty_month(store, 202612).amount_kop) == [_kop(later)] == [6017]


def test_cli_late_statement_and_future_cash_payment(nov_store, db_path, tmp_path: Path):
    nov_store.close()
    base = ["--db", str(db_path)]
    f = tmp_path / "vyp.txt"
    f.write_bytes(statement([("30.10.2026", "100.00", f"л/с {A1}"), ("31.10.2026", "25.00", "за свет")]))
    r = runner.invoke(app, base + ["pay", "import", str(f)])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "Загружено платежей: 2 на 125,00 ₽ из «vyp.txt» (партия 1). Разнесено: 1, неопознано: 1.",
        "Все 2 платежа датой закрытого периода (октябрь 2026) учтены в ноябре 2026."]
    with open_store(db_path, read_only=True) as st:
        assert st.scalar("SELECT note FROM import_batch WHERE kind = 'payments'").startswith(
            "выписка банка (1С); разнесено 1, неопознано 1; датой закрытых периодов 2; выписка 1С 1.03")
    r = runner.invoke(app, base + ["pay", "add", A1, "5", "--date", "31.10.2026"])
    assert r.exit_code == 0
    assert r.output.splitlines() == ["Платёж 3: 5,00 ₽ на лицевой счёт 1000000001 принят и разнесён.",
                                     "Платёж датой закрытого периода (октябрь 2026) учтён в ноябре 2026."]
    r = runner.invoke(app, base + ["pay", "add", A1, "5", "--date", "06.12.2026"])
    assert r.exit_code == 1
    assert r.output.splitlines() == ["Ошибка: Платежи с датой позже сегодняшней (05.12.2026): 1. Ничего не записано.",
                                     "касса:1: платёж от 06.12.2026: дата позже сегодняшней"]
    r = runner.invoke(app, base + ["pay", "add", A1, "5"], env={"SBYT_TODAY": "2026-11-20"})
    assert r.exit_code == 0 and r.output.splitlines() == [
        "Платёж 4: 5,00 ₽ на лицевой счёт 1000000001 принят и разнесён."]


@pytest.mark.parametrize("name", ["kilylabs_one_day_cp1251.txt", "kilylabs_one_day_utf8.txt"])
def test_kilylabs_statements_go_into_a_demo_store_open_years_later(demo_db, samples, name):
    """The real statements of 11.01.2016 into the demo region (2026-09 and 2026-10 closed, 2026-11
    open): accepted, posted in 2026-11 with their day, each row named as far in the past."""
    base = ["--db", str(demo_db)]
    r = runner.invoke(app, base + ["pay", "import", str(samples / "bank_1c" / name)])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[1:] == [
        "Все 3 платежа датой закрытого периода (январь 2016) учтены в ноябре 2026.",
        "Платежи с давней датой приняты, проверьте даты: 3.",
        *(f"{name}:{row}: платёж от 11.01.2016: дата раньше первого месяца базы (09.2026)" for row in (330, 361, 392))]
    assert r.output.splitlines()[0].startswith("Загружено платежей: 3 на 40\u00a0000,00 ₽ из «" + name)
    with open_store(demo_db) as st:
        got = st.all("SELECT id, pay_date, period, status FROM payment WHERE source = 'bank' ORDER BY id")
        assert [g[1:] for g in got] == [(date(2016, 1, 11), 202611, "unidentified")] * 3
        number = st.scalar("SELECT min(number) FROM account")
    # an operator matches one: its postings are in the open month with the statement's day
    r = runner.invoke(app, base + ["pay", "match", str(got[0][0]), number])
    assert r.exit_code == 0, r.output
    with open_store(demo_db, read_only=True) as st:
        posted = st.all("SELECT DISTINCT period, op_date FROM posting WHERE kind = 'payment' AND ref_id = ?",
                        [got[0][0]])
        assert posted == [(202611, date(2016, 1, 11))]
        assert st.scalar("SELECT -sum(amount_kop) FROM posting WHERE kind = 'payment' AND ref_id = ?",
                         [got[0][0]]) == 600000


def test_a_statement_after_another_import_gets_the_next_batch(nov_store):
    """Every import takes the next batch number, whatever kind of import came before (a readings
    or a data load batch used to collide with the payments' own sequence)."""
    nov_store.execute("INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows)"
                      " VALUES (1, 'readings', 'p.csv', 'x', 'test', 0)")
    res = _imp(nov_store, statement([("02.11.2026", "10.00", f"л/с {A1}")]), "v.txt")
    assert res.batch_id == 2
    assert nov_store.all("SELECT id, kind FROM import_batch ORDER BY id") == [(1, "readings"), (2, "payments")]


def test_refund_and_transfer_without_a_date_fall_on_the_open_months_last_day(nov_store, db_path):
    """Today (05.12.2026) is after the open November: the operator's documents are dated 30.11.2026,
    not refused as «period not open»."""
    nov_store.close()
    base = ["--db", str(db_path)]
    r = runner.invoke(app, base + ["pay", "add", A2, "50", "--date", "20.11.2026"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, base + ["pay", "refund", A2, "20", "--reason", "заявление 5"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == ["Возврат 20,00 ₽ с лицевого счёта 1000000002 проведён датой 30.11.2026."]
    r = runner.invoke(app, base + ["pay", "transfer", "1", A1, "--amount", "10", "--reason", "ошибка"])
    assert r.exit_code == 0, r.output
    with open_store(db_path, read_only=True) as st:
        assert st.all("SELECT kind, op_date FROM posting WHERE kind IN ('refund', 'transfer') GROUP BY ALL"
                      " ORDER BY kind") == [("refund", date(2026, 11, 30)), ("transfer", date(2026, 11, 30))]
