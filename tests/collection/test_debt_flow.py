"""`sbyt debt` end to end on the demo region (closed 2026-09/10, open 2026-11, today 05.12.2026):
a household debtor from selection to a closed case, a legal entity with a claim and an
arbitration court order; refusals with exact messages; every step audited."""

from __future__ import annotations

from datetime import date, timedelta

from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.store import open_store

runner = CliRunner()
NB = "\u00a0"


def cli(db, *args: str, code: int = 0) -> str:
    res = runner.invoke(app, ["--db", str(db), *args])
    assert res.exit_code == code, res.output
    return res.output.replace(NB, " ")


def _rub(kop: int) -> str:
    return f"{kop // 100:,}".replace(",", " ") + f",{kop % 100:02d}"


def _household(db) -> tuple[str, int, int]:
    """The first debtor of three unpaid months and more: (account, account id, its overdue debt)."""
    from sbyt.core.debtors import DebtorFilter, find_debtors

    with open_store(db) as st:
        d = find_debtors(st, DebtorFilter(min_periods=3), as_of=date(2026, 12, 5))[0]
    return d.number, d.account_id, d.debt_kop


def _penalty(db, account_id: int) -> int:
    with open_store(db) as st:
        return st.scalar("SELECT coalesce(sum(amount_kop), 0) FROM posting WHERE account_id = ? AND service = 'penalty'",
                         [account_id])


def test_a_household_debtor_from_selection_to_a_closed_case(demo_db, tmp_path):
    number, account_id, debt = _household(demo_db)
    listed = cli(demo_db, "debt", "select", "--months", "3", "--format", "csv")
    assert f"{number};" in listed
    out = cli(demo_db, "debt", "start", "--account", number)
    assert out == "Начато дел: 1 (ПИР-2026-000001 … ПИР-2026-000001); пропущено: 0 (уже в работе или без просроченного долга).\n"
    assert cli(demo_db, "debt", "start", "--account", number) == (
        "Новых дел нет: отобрано 1, все уже в работе или без просроченного долга.\n")
    case = "ПИР-2026-000001"
    rub = _rub(debt)
    assert cli(demo_db, "debt", "doc", case, "notice") == (
        f"Подготовлен документ У-2026-1 «Уведомление о предстоящем приостановлении (ограничении)»: долг {rub}, "
        f"пени {_rub(_penalty(demo_db, account_id))}. Ждёт согласования (sbyt debt approve У-2026-1).\n")
    assert cli(demo_db, "debt", "print", "У-2026-1", "-o", str(tmp_path / "n.pdf"), code=1) == (
        "Ошибка: Не согласованы: У-2026-1. Печатаются только согласованные документы (sbyt debt approve).\n")
    cli(demo_db, "debt", "approve", "У-2026-1")
    cli(demo_db, "debt", "event", case, "notice_sent", "--date", "2026-12-05", "--channel", "mail")
    cli(demo_db, "debt", "event", case, "notice_delivered", "--date", "2026-12-08")
    assert cli(demo_db, "debt", "stage", case, "restriction", "--date", "2026-12-20", code=1) == (
        f"Ошибка: Дело {case}: уведомление вручено 08.12.2026; ограничение — не ранее 28.12.2026 (срок 20 дн.).\n")
    cli(demo_db, "debt", "stage", case, "restriction", "--date", "2026-12-28")
    cli(demo_db, "debt", "doc", case, "restriction_order", "--date", "2026-12-28")
    cli(demo_db, "debt", "approve", "ЗО-2026-1")
    cli(demo_db, "debt", "event", case, "restricted", "--date", "2026-12-29")
    with open_store(demo_db) as st:
        states = st.all("SELECT DISTINCT s.state FROM supply_state s JOIN metering_point mp ON mp.id = s.metering_point_id"
                        " WHERE mp.account_id = ? AND s.valid_from = DATE '2026-12-29'", [account_id])
    assert states == [("restricted",)]
    cli(demo_db, "debt", "stage", case, "court", "--date", "2026-12-30")
    out = cli(demo_db, "debt", "doc", case, "court_order_application", "--date", "2026-12-30",
              "--court", "Мировой судья судебного участка № 3")
    assert out.endswith("госпошлина 2 000,00. Ждёт согласования (sbyt debt approve СП-2026-1).\n")   # 50 % of 4 000
    cli(demo_db, "debt", "approve", "СП-2026-1")
    cli(demo_db, "debt", "print", "У-2026-1", "ЗО-2026-1", "СП-2026-1", "-o", str(tmp_path / "case.pdf"))
    assert (tmp_path / "case.pdf").read_bytes().startswith(b"%PDF")
    cli(demo_db, "debt", "event", case, "filed", "--date", "2027-01-11")
    cli(demo_db, "debt", "writ", case, "--number", "2-15/2027", "--court", "Судебный участок № 3",
        "--case-no", "2-15/2027", "--act-date", "2027-01-20", "--in-force", "2027-02-10", "--amount", rub.replace(" ", ""),
        "--duty", "2000", "--date", "2027-02-12")
    cli(demo_db, "debt", "event", case, "sent_fssp", "--date", "2027-02-15")
    with open_store(demo_db) as st:
        stage = st.scalar("SELECT stage FROM debt_case WHERE number = ?", [case])
        # the bailiffs' money: a payment of the whole debt on the open month's ledger
        st.execute("INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)"
                   " SELECT (SELECT max(id) + 1 FROM posting), ?, 'electricity', 'payment', 202611, 202611, ?,"
                   " DATE '2026-11-30'", [account_id, -debt - 10 ** 6])
    assert stage == "enforcement"
    cli(demo_db, "debt", "event", case, "recovered", "--date", "2027-02-20", "--amount", rub.replace(" ", ""))
    assert cli(demo_db, "debt", "close-paid", "--date", "2027-02-20") == f"Закрыто дел (долг погашен): 1 — {case}.\n"
    with open_store(demo_db) as st:
        status, stage = st.one("SELECT status, stage FROM debt_case WHERE number = ?", [case])
        kinds = [r[0] for r in st.all("SELECT kind FROM debt_event WHERE case_id = 1 ORDER BY id")]
        audited = st.scalar("SELECT count(*) FROM audit_log WHERE entity IN ('debt_case', 'debt_event', 'debt_doc',"
                            " 'debt_writ')")
    assert (status, stage) == ("closed", "closed")
    assert kinds == ["started", "notice_sent", "notice_delivered", "stage", "restricted", "stage", "filed",
                     "order_issued", "writ_received", "sent_fssp", "recovered", "paid", "closed"]
    assert audited >= 20


def test_a_legal_entity_with_a_claim_and_an_arbitration_court_order(demo_db, tmp_path):
    from sbyt.core.debtors import find_legal_debtors

    with open_store(demo_db) as st:
        # the biggest debt within the court-order ceiling of 500 000 ₽
        d = [x for x in find_legal_debtors(st, as_of=date(2026, 12, 5)) if x.debt_kop + x.penalty_kop <= 40_000_000][0]
    listed = cli(demo_db, "debt", "select", "--legal", "--format", "csv")
    assert f"{d.contract};" in listed
    cli(demo_db, "debt", "start", "--contract", d.contract, "--date", "2026-12-05")
    case = d.contract
    assert cli(demo_db, "debt", "doc", case, "court_order_application", "--date", "2026-12-07", code=1) == (
        "Ошибка: По делу ПИР-2026-000001 не соблюдён претензионный порядок (АПК 4 ч. 5): претензия не направлена "
        "или срок ответа не истёк.\n")
    cli(demo_db, "debt", "doc", case, "claim", "--date", "2026-12-07")
    cli(demo_db, "debt", "approve", "П-2026-1")
    cli(demo_db, "debt", "event", case, "claim_sent", "--date", "2026-12-07", "--channel", "email")
    cli(demo_db, "debt", "stage", case, "court", "--date", "2027-01-07")
    assert "в суд — не ранее 07.01.2027" in cli(demo_db, "debt", "doc", case, "court_order_application",
                                                "--date", "2027-01-06", code=1)
    out = cli(demo_db, "debt", "doc", case, "court_order_application", "--date", "2027-01-07",
              "--court", "Арбитражный суд Краснодарского края")
    from sbyt.core.debt_law import state_duty
    with open_store(demo_db) as st:
        principal, penalty, duty, route, court = st.one(
            "SELECT principal_kop, penalty_kop, duty_kop, route, court FROM debt_doc WHERE doc_no = 'СП-2027-1'")
        assert duty == state_duty(st, "arbitration", principal + penalty, date(2027, 1, 7), order=True)
    assert (route, court) == ("order", "arbitration") and duty >= 800_000    # the 8 000 ₽ floor at least
    assert "СП-2027-1" in out
    cli(demo_db, "debt", "approve", "СП-2027-1")
    cli(demo_db, "debt", "print", "П-2026-1", "СП-2027-1", "-o", str(tmp_path / "legal.pdf"))
    cli(demo_db, "debt", "event", case, "filed", "--date", "2027-01-08")
    amount = f"{(principal + penalty) / 100:.2f}"
    cli(demo_db, "debt", "writ", case, "--number", "А32-100/2027", "--court", "Арбитражный суд Краснодарского края",
        "--case-no", "А32-100/2027", "--act-date", "2027-02-01", "--amount", amount, "--date", "2027-02-05")
    cli(demo_db, "debt", "event", case, "sent_fssp", "--date", "2027-02-06")
    with open_store(demo_db) as st:
        stage = st.scalar("SELECT stage FROM debt_case WHERE number = 'ПИР-2026-000001'")
    assert stage == "enforcement"


def test_refusals_by_role_and_of_a_closed_case(demo_db):
    number, _, _ = _household(demo_db)
    cli(demo_db, "debt", "start", "--account", number)
    assert cli(demo_db, "debt", "stage", "ПИР-2026-000001", "writ", code=1) == (
        "Ошибка: Дело ПИР-2026-000001 на этапе «уведомление»: отсюда можно перейти только на этапы restriction "
        "(ограничение (ОРП)), court (суд), restructuring (реструктуризация), bankruptcy (банкротство), "
        "writeoff (списание), closed (закрыто).\n")
    cli(demo_db, "debt", "stage", "ПИР-2026-000001", "closed", "--note", "cancelled")
    assert cli(demo_db, "debt", "event", "ПИР-2026-000001", "notice_sent", code=1) == (
        "Ошибка: Дело ПИР-2026-000001 закрыто.\n")


def test_a_missed_schedule_line_breaks_it(demo_db):
    number, account_id, debt = _household(demo_db)
    cli(demo_db, "debt", "start", "--account", number)
    case = "ПИР-2026-000001"
    out = cli(demo_db, "debt", "schedule", case, "--date", "2026-12-05", "--months", "3", "--first", "2026-12-20")
    assert out == "Заключён график погашения ГП-2026-1: строк 3.\n"
    out = cli(demo_db, "debt", "schedules", "--check", "--date", "2026-12-25", "--format", "csv")
    assert "Проверено графиков: 1; нарушено: 1; исполнено: 0." in out
    with open_store(demo_db) as st:
        stage = st.scalar("SELECT stage FROM debt_case WHERE number = ?", [case])
    assert stage == "notice"                      # back where it came from


def test_write_off_posts_to_the_ledger_and_its_reversal_posts_back(demo_db):
    number, account_id, _ = _household(demo_db)
    cli(demo_db, "debt", "start", "--account", number, "--date", "2026-11-30")
    case = "ПИР-2026-000001"
    out = cli(demo_db, "debt", "writeoff", case, "--ground", "limitation", "--evidence", "давность", code=1)
    assert out == f"Ошибка: По делу {case} нечего списывать по основанию «истёк срок исковой давности»: нет месяцев с истекшей давностью.\n"
    out = cli(demo_db, "debt", "writeoff", case, "--ground", "liquidation", "--evidence", "ЕГРЮЛ 2026-12-01",
              "--date", "2026-11-30")
    assert out.startswith("Списание № 1 на ")
    with open_store(demo_db) as st:
        before = st.scalar("SELECT sum(amount_kop) FROM posting WHERE account_id = ?", [account_id])
    cli(demo_db, "debt", "writeoff", "--approve", "1", "--date", "2026-11-30")
    with open_store(demo_db) as st:
        after = st.scalar("SELECT sum(amount_kop) FROM posting WHERE account_id = ?", [account_id])
        written = st.scalar("SELECT -sum(amount_kop) FROM posting WHERE kind = 'writeoff' AND ref_id = 1")
        status = st.scalar("SELECT status FROM debt_case WHERE number = ?", [case])
    assert after == 0 and written == before and status == "closed"
    cli(demo_db, "debt", "writeoff", "--reverse", "1", "--reason", "оплата", "--date", "2026-11-30")
    with open_store(demo_db) as st:
        assert st.scalar("SELECT sum(amount_kop) FROM posting WHERE account_id = ?", [account_id]) == before


def test_a_saved_selection_starts_cases_when_the_month_is_closed(demo_db):
    from sbyt.core.debtors import DebtorFilter, find_debtors

    cli(demo_db, "debt", "select", "--months", "4", "--save", "четыре месяца", "--auto", "--format", "csv")
    cli(demo_db, "calc")
    out = cli(demo_db, "period", "close", "2026-11")
    with open_store(demo_db) as st:
        expected = len(find_debtors(st, DebtorFilter(min_periods=4), as_of=date(2026, 12, 5)))
        started = st.scalar("SELECT count(*) FROM debt_case WHERE selection = 'четыре месяца'")
    assert started == expected > 0
    assert out.endswith(f"ПИР: начато дел по отборам с автозапуском — {expected}; нарушено графиков погашения — 0.\n")


def _exact_penalty(rows, stop: date | None) -> int:
    """The penalty of day ranges (debt, rate %, 1/den, from, to) cut before `stop`, exactly, rounded
    half-up once."""
    from fractions import Fraction

    total = Fraction(0)
    for debt, rate, den, d_from, d_to in rows:
        last = d_to if stop is None else min(d_to, stop - timedelta(days=1))
        if last >= d_from:
            total += Fraction(debt) * Fraction(str(rate)) / 100 * ((last - d_from).days + 1) / den
    return int(total + Fraction(1, 2)) if total >= 0 else -int(-total + Fraction(1, 2))


def test_a_schedule_with_frozen_penalties_stops_them_from_its_day(demo_db):
    with open_store(demo_db) as st:
        account_id, number = st.one(
            "SELECT d.account_id, a.number FROM penalty_detail d JOIN account a ON a.id = d.account_id"
            " WHERE d.period = 202611 AND d.date_to >= DATE '2026-11-20' AND d.date_from <= DATE '2026-11-10'"
            " ORDER BY d.account_id LIMIT 1")
        rows = st.all("SELECT debt_kop, rate, den, date_from, date_to FROM penalty_detail WHERE period = 202611"
                      " AND account_id = ?", [account_id])
        before = st.scalar("SELECT amount_kop FROM accrual_line WHERE period = 202611 AND account_id = ?"
                           " AND service = 'penalty'", [account_id])
    assert _exact_penalty(rows, None) == before          # the reference agrees with the kernel uncut
    cli(demo_db, "debt", "start", "--account", number, "--date", "2026-11-01")
    cli(demo_db, "debt", "schedule", number, "--date", "2026-11-16", "--months", "2", "--first", "2026-12-16",
        "--frozen")
    cli(demo_db, "calc")
    with open_store(demo_db) as st:
        after = st.scalar("SELECT amount_kop FROM accrual_line WHERE period = 202611 AND account_id = ?"
                          " AND service = 'penalty'", [account_id])
        last = st.scalar("SELECT max(date_to) FROM penalty_detail WHERE period = 202611 AND account_id = ?",
                         [account_id])
    assert after == _exact_penalty(rows, date(2026, 11, 16)) < before
    assert last == date(2026, 11, 15)


def test_bankruptcy_splits_the_debt_and_blocks_a_court_order(demo_db):
    number, _, _ = _household(demo_db)
    cli(demo_db, "debt", "start", "--account", number)
    case = "ПИР-2026-000001"
    out = cli(demo_db, "debt", "bankruptcy", case, "--procedure", "realisation", "--petition-accepted", "2026-10-01",
              "--procedure-date", "2026-11-01", "--case-no", "А32-7/2026")
    with open_store(demo_db) as st:
        before = st.scalar("SELECT sum(amount_kop) FROM posting p JOIN account a ON a.id = p.account_id"
                           " WHERE a.number = ? AND p.for_period < 202610 AND p.op_date <= DATE '2026-11-01'", [number])
    assert out.startswith(f"Банкротство записано: реестровая задолженность {_rub(before)}, текущая ")
    out = cli(demo_db, "debt", "doc", case, "court_order_application", code=1)
    assert out == (f"Ошибка: Судебный приказ по делу {case} невозможен: должник в процедуре банкротства. "
                   "Подготовьте исковое заявление (lawsuit).\n")
    out = cli(demo_db, "debt", "doc", case, "bankruptcy_claim")
    with open_store(demo_db) as st:
        details = st.scalar("SELECT details FROM debt_doc WHERE kind = 'bankruptcy_claim'")
    assert '"court_case_no": "А32-7/2026"' in details and f'"register_kop": {before}' in details


def test_money_from_the_bailiffs_finds_the_account_by_the_proceedings_number(demo_db):
    from sbyt.core.payments_matching import match

    number, account_id, debt = _household(demo_db)
    cli(demo_db, "debt", "start", "--account", number)
    cli(demo_db, "debt", "stage", "ПИР-2026-000001", "court", "--date", "2026-12-05")
    cli(demo_db, "debt", "writ", "ПИР-2026-000001", "--number", "ВС 123", "--court", "Судебный участок № 3",
        "--case-no", "2-15/2026", "--act-date", "2026-12-05", "--amount", "100")
    with open_store(demo_db) as st:
        st.execute("UPDATE debt_writ SET proceedings_no = '23545/26/69025-ИП'")
        st.execute("CREATE TEMP TABLE _m_pay AS SELECT * FROM (VALUES (1, '', '', 'Перечисление средств по ИП № "
                   "23545/26/69025-ИП от 10.12.2026, должник Иванова', ''), (2, '', '', 'по ИП № 1/26/00000-ИП', ''))"
                   " t(row_id, raw_account, els, purpose, payer_inn)")
        match(st)
        rows = st.all("SELECT row_id, account_id, matched_by FROM _m_pay ORDER BY row_id")
    assert rows == [(1, account_id, "fssp"), (2, None, None)]
