"""The seven ПИР catalog reports (sql/reports/debtors, debt_cases, receivables, debt_inventory,
court_work, legal_staff, debt_schedules) on the 2 000-account demo store, run through `sbyt report
run`, against figures computed here independently: `find_debtors`, the raw ledger summed in Python
with the due dates of `core.due` / `core.legal_schedule`, the limitation of `core.debt_law`, and
the cases, events, tasks, documents, writs and schedules this module makes."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core import collection as coll
from sbyt.core.debt_law import add_months, limitation_on
from sbyt.core.debtors import DebtorFilter, find_debtors
from sbyt.core.due import due_date
from sbyt.core.legal_schedule import month_terms
from sbyt.core.reference import rule_int
from sbyt.core.store import current_user, open_store
from sbyt.reports.catalog import catalog
from sbyt.reports.query import open_read_only, run_report

ON = date(2026, 12, 5)
NAMES = ("debtors", "debt_cases", "receivables", "debt_inventory", "court_work", "legal_staff", "debt_schedules")


def _report(db, name: str, **params: str) -> list[dict]:
    """The report's rows through the CLI (JSON: money as exact strings)."""
    args = ["--db", str(db), "report", "run", name, "--format", "json"]
    for k, v in params.items():
        args += ["-p", f"{k}={v}"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def kop(value: str | None) -> int | None:
    return None if value is None else int(Decimal(value) * 100)


def _d(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _add_postings(st, rows: list[tuple[int, str, str, int, int, int, date]]) -> None:
    """(account_id, service, kind, period, for_period, amount_kop, op_date) into the ledger."""
    base = int(st.scalar("SELECT coalesce(max(id), 0) FROM posting"))
    for i, (acc, service, kind, period, for_period, amount, op) in enumerate(rows, start=1):
        st.execute("INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [base + i, acc, service, kind, period, for_period, amount, op])


def _household_months(st, on: date) -> dict[int, dict[int, list[int]]]:
    """account -> for_period -> [debt, penalty] of the postings up to `on`, summed here in Python."""
    out: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for acc, period, service, amount, op in st.all(
            "SELECT account_id, for_period, service, amount_kop, op_date FROM posting"):
        if op <= on:
            out[acc][period][1 if service == "penalty" else 0] += amount
    return out


def _legal_months(st, on: date) -> dict[int, dict[int, list[int]]]:
    out: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for k, period, kind, amount, op in st.all(
            "SELECT contract_id, for_period, kind, amount_kop, op_date FROM legal_posting WHERE contract_id IS NOT NULL"):
        if op <= on:
            out[k][period][1 if kind == "penalty" else 0] += amount
    return out


def _debtor_months(st, on: date) -> list[tuple[str, str, int, int, int, date]]:
    """(kind, debtor number, for_period, debt, penalty, due) of every month of every debtor (positive
    balance without penalties), households by core.due, contracts by their scheme's final due date."""
    numbers = dict(st.all("SELECT id, number FROM account"))
    contracts = {r[0]: (r[1], r[2]) for r in st.all("SELECT id, number, payment_scheme FROM contract")}
    out = []
    for acc, months in _household_months(st, on).items():
        if sum(m[0] for m in months.values()) > 0:
            out += [("население", numbers[acc], p, d, n, due_date(st, p, "household")) for p, (d, n) in months.items()]
    for k, months in _legal_months(st, on).items():
        if sum(m[0] for m in months.values()) > 0:
            no, scheme = contracts[k]
            out += [("юридическое лицо", no, p, d, n, month_terms(st, p).final_due(scheme)) for p, (d, n) in months.items()]
    return out


@pytest.fixture
def work(demo_db):
    """Six cases (five households, one contract) with events, tasks, court documents, writs and
    schedules; returns (db, cases by number order, the debtors of ON)."""
    st = open_store(demo_db, user="ivanova")
    try:
        st.execute("INSERT INTO app_user (login, full_name, role) VALUES ('ivanova', 'Иванова Анна Петровна', 'lawyer'),"
                   " ('petrov', 'Петров Олег Ильич', 'operator'), (?, 'Администратор', 'admin')", [current_user()])
        debtors = find_debtors(st, as_of=ON)
        ids = sorted(d.account_id for d in debtors[:5])
        coll.start_cases(st, "household", ids[:3], ON, executor="ivanova")
        coll.start_cases(st, "household", ids[3:], ON, executor="petrov")
        contract = st.scalar("SELECT contract_id FROM legal_posting WHERE contract_id IS NOT NULL AND kind <> 'penalty'"
                             " GROUP BY 1 HAVING sum(amount_kop) > 0 ORDER BY 1 LIMIT 1")
        assert coll.start_cases(st, "legal", [contract], ON, executor="ivanova").started == 1
        c = coll.cases(st, status=None)
        assert [x.number for x in c] == [f"ПИР-2026-{i:06d}" for i in range(1, 7)]
        coll.add_event(st, c[0].number, "notice_sent", date(2026, 12, 6))
        coll.set_stage(st, c[0].number, "court", date(2026, 12, 10))
        task = st.scalar("SELECT id FROM debt_task WHERE case_id = ? AND status = 'open'", [c[1].id])
        coll.finish_task(st, task)
        st.execute("UPDATE debt_task SET done_at = TIMESTAMP '2026-12-08 10:00:00' WHERE id = ?", [task])
        coll.set_stage(st, c[1].number, "closed", date(2026, 12, 11), note="paid")
        st.user = "petrov"
        coll.add_event(st, c[3].number, "notice_sent", date(2026, 12, 7))
        coll.add_event(st, c[3].number, "notice_delivered", date(2026, 12, 9))
        coll.add_event(st, c[0].number, "recovered", date(2026, 12, 20), amount_kop=100_000)
        doc = ("INSERT INTO debt_doc (id, case_id, kind, year, seq, doc_no, doc_date, as_of, principal_kop, penalty_kop,"
               " duty_kop, court, route, status, approved_by, approved_at, details, created_by)"
               " VALUES (?, ?, ?, 2026, ?, ?, ?, ?, ?, ?, ?, 'general', ?, ?, ?, ?, '{}', ?)")
        st.execute(doc, [1, c[0].id, "court_order_application", 1, "СП-1", date(2026, 12, 10), ON, c[0].principal_kop,
                         c[0].penalty_kop, 40_000, "order", "approved", "petrov", datetime(2026, 12, 11, 9), "ivanova"])
        st.execute(doc, [2, c[1].id, "lawsuit", 1, "И-1", date(2026, 12, 15), ON, c[1].principal_kop, c[1].penalty_kop,
                         120_000, "lawsuit", "approval", None, None, "ivanova"])
        st.execute(doc, [3, c[0].id, "notice", 1, "У-1", date(2026, 12, 6), ON, c[0].principal_kop, 0, 0, None,
                         "approved", "ivanova", datetime(2026, 11, 30, 9), "petrov"])
        st.execute("INSERT INTO debt_writ (id, case_id, doc_kind, doc_no, court, court_case_no, act_date, amount_kop,"
                   " duty_kop, sent_fssp, proceedings_no, fssp_status, recovered_kop) VALUES"
                   " (1, ?, 'court_order', 'ВС 1', 'Судебный участок № 1', '2-100/2026', DATE '2026-12-20', ?, 40000,"
                   "  DATE '2026-12-28', '123/26/77001-ИП', 'opened', 100000),"
                   " (2, ?, 'writ', 'ФС 2', 'Районный суд', '2-200/2026', DATE '2026-12-22', 777700, 0, NULL, NULL,"
                   "  NULL, 0)", [c[0].id, c[0].principal_kop + c[0].penalty_kop, c[2].id])
        st.execute("INSERT INTO debt_schedule (id, case_id, number, concluded, total_kop) VALUES"
                   " (1, ?, 'ГП-1', DATE '2026-11-01', 300000), (2, ?, 'ГП-2', DATE '2026-12-06', 50000)",
                   [c[3].id, c[4].id])
        st.execute("INSERT INTO debt_schedule_line VALUES (1, 1, DATE '2026-11-15', 100000),"
                   " (1, 2, DATE '2026-12-15', 100000), (1, 3, DATE '2027-01-15', 100000), (2, 1, DATE '2026-12-20', 50000)")
    finally:
        st.close()
    return demo_db, c, debtors


def test_every_ПИР_report_is_in_the_catalog_with_its_title():
    titles = {n: catalog().get(n).title for n in NAMES}
    assert titles == {
        "debtors": "Список должников", "debt_cases": "Работа с должниками", "receivables": "Реестр дебиторов",
        "debt_inventory": "Инвентаризационная ведомость по задолженности",
        "court_work": "Отчёт по судебной работе",
        "legal_staff": "Отчёт по работе сотрудников юридического отдела",
        "debt_schedules": "Журнал учёта графиков погашения"}


def test_debtors_list_equals_find_debtors(work):
    db, c, debtors = work
    rows = _report(db, "debtors", on_date="2026-12-05")
    got = [(r["account_number"], r["holder_name"], r["address"], r["oldest_period"], r["unpaid_periods"],
            kop(r["debt_rub"]), kop(r["penalty_rub"]), r["days_overdue"]) for r in rows]
    assert got == [(d.number, d.holder_name, d.address, d.oldest_period, d.unpaid_periods, d.debt_kop, d.penalty_kop,
                    d.days_overdue) for d in debtors]
    assert len(rows) > 100
    cases = {r["account_number"]: (r["case_number"], r["case_stage"]) for r in rows if r["case_number"]}
    assert cases == {x.debtor_no: (x.number, "суд" if i == 0 else "уведомление")     # the open household cases
                     for i, x in enumerate(c[:5]) if i != 1}

    with open_store(db, read_only=True) as st:
        district_id, district = st.one("SELECT id, name FROM district ORDER BY id LIMIT 1")
        two = find_debtors(st, DebtorFilter(min_periods=2, min_debt_kop=150_000, district_id=district_id), as_of=ON)
    rows = _report(db, "debtors", on_date="2026-12-05", min_months="2", min_debt_kop="1500", district=district)
    assert [(r["account_number"], kop(r["debt_rub"])) for r in rows] == [(d.number, d.debt_kop) for d in two]
    assert two and all(d.unpaid_periods >= 2 and d.debt_kop >= 150_000 for d in two)


def test_debtors_list_on_an_earlier_day_counts_the_ledger_up_to_it(work):
    db, _, _ = work
    on = date(2026, 11, 20)
    with open_store(db, read_only=True) as st:
        months = _household_months(st, on)
        numbers = dict(st.all("SELECT id, number FROM account"))
        expected = []
        for acc, m in months.items():
            debt = sum(v[0] for v in m.values())
            unpaid = sorted(p for p, v in m.items() if v[0] > 0 and due_date(st, p, "household") < on)
            if debt > 0 and unpaid:
                expected.append((numbers[acc], unpaid[0], len(unpaid), debt, sum(v[1] for v in m.values()),
                                 (on - due_date(st, unpaid[0], "household")).days))
    rows = _report(db, "debtors", on_date="20.11.2026")
    got = [(r["account_number"], r["oldest_period"], r["unpaid_periods"], kop(r["debt_rub"]), kop(r["penalty_rub"]),
            r["days_overdue"]) for r in rows]
    assert sorted(got) == sorted(expected)
    assert len(got) > 100


def test_debt_cases_with_filters(work):
    db, c, _ = work
    with open_store(db, read_only=True) as st:
        notice = rule_int(st, "debt.notice_days.household", ON)
        claim = rule_int(st, "debt.claim_days", ON)
        balance = {x.number: coll.balance_kop(st, x, ON) for x in c}
    rows = {r["case_number"]: r for r in _report(db, "debt_cases", on_date="2026-12-05", status="")}
    assert list(rows) == [x.number for x in c]
    for x in c:
        r = rows[x.number]
        assert (r["debtor_no"], r["debtor_name"], r["executor"], kop(r["principal_rub"]), kop(r["penalty_rub"]),
                kop(r["balance_rub"]), r["opened"]) == (
            x.debtor_no, x.debtor_name, x.executor, x.principal_kop, x.penalty_kop, balance[x.number], "2026-12-05")
    expect = {  # stage, since, status, open tasks, nearest due, last event
        c[0].number: ("суд", "2026-12-10", "в работе", 1, date(2027, 1, 9), "2026-12-20", "взыскано"),
        c[1].number: ("закрыто", "2026-12-11", "закрыто", 0, None, "2026-12-11", "переход на этап"),
        c[2].number: ("уведомление", "2026-12-05", "в работе", 1, ON + timedelta(notice), "2026-12-05", "начата ПИР"),
        c[3].number: ("уведомление", "2026-12-05", "в работе", 1, ON + timedelta(notice), "2026-12-09",
                      "уведомление вручено"),
        c[4].number: ("уведомление", "2026-12-05", "в работе", 1, ON + timedelta(notice), "2026-12-05", "начата ПИР"),
        c[5].number: ("претензия", "2026-12-05", "в работе", 1, ON + timedelta(claim), "2026-12-05", "начата ПИР"),
    }
    assert {n: (r["stage"], r["stage_since"], r["status"], r["open_tasks"], _d(r["next_due"]), r["last_event_date"],
                r["last_event"]) for n, r in rows.items()} == expect
    assert [rows[x.number]["debtor_kind"] for x in c] == ["население"] * 5 + ["юридическое лицо"]
    # the principal of a household case: its months overdue on the day (Python over the raw ledger)
    with open_store(db, read_only=True) as st:
        months = _household_months(st, ON)
        for x in c[:5]:
            assert x.principal_kop == sum(d for p, (d, _) in months[x.account_id].items()
                                          if d > 0 and due_date(st, p, "household") < ON)

    assert [r["case_number"] for r in _report(db, "debt_cases")] == [x.number for x in c if x is not c[1]]
    assert [r["case_number"] for r in _report(db, "debt_cases", status="закрыто")] == [c[1].number]
    assert [r["case_number"] for r in _report(db, "debt_cases", executor="petrov")] == [c[3].number, c[4].number]
    assert [r["case_number"] for r in _report(db, "debt_cases", stage="court")] == [c[0].number]
    assert [r["case_number"] for r in _report(db, "debt_cases", stage="уведомление", executor="ivanova")] == [
        c[2].number]


def _old_debt(db) -> str:
    """Three old months of a debtor of ON (opening balances taken over from the old system) whose
    limitation ends before, within six months after, and more than six months after ON."""
    with open_store(db) as st:
        acc, number = st.one("SELECT a.id, a.number FROM account a WHERE a.number = '3100000025'")
        _add_postings(st, [(acc, "electricity", "opening", 202609, 202304, 10_000, date(2026, 9, 1)),
                           (acc, "electricity", "opening", 202609, 202401, 20_000, date(2026, 9, 1)),
                           (acc, "electricity", "opening", 202609, 202409, 30_000, date(2026, 9, 1)),
                           (acc, "penalty", "penalty", 202609, 202409, 1_234, date(2026, 9, 1))])
    return number


def _bucket(debt: int, due: date | None, on: date) -> str:
    if debt <= 0:
        return "advance"
    for months, name in ((1, "1m"), (3, "3m"), (6, "6m"), (12, "12m"), (36, "3y")):
        if due is None or due > add_months(on, -months):
            return name
    return "over"


def test_receivables_register_ages_every_month_by_its_due_date(work):
    db, _, _ = work
    old = _old_debt(db)
    with open_store(db, read_only=True) as st:
        months = _debtor_months(st, ON)
    expected: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind, no, _p, debt, pen, due in months:
        e = expected[(kind, no)]
        e["debt"] += debt
        e[_bucket(debt, due, ON)] += debt
        e["penalty"] += pen
    rows = _report(db, "receivables", on_date="2026-12-05")
    got = {(r["debtor_kind"], r["debtor_no"]): {
        "debt": kop(r["debt_rub"]), "1m": kop(r["age_1m_rub"]), "3m": kop(r["age_3m_rub"]),
        "6m": kop(r["age_6m_rub"]), "12m": kop(r["age_12m_rub"]), "3y": kop(r["age_3y_rub"]),
        "over": kop(r["age_over_rub"]), "advance": kop(r["advance_rub"]), "penalty": kop(r["penalty_rub"]),
        "total": kop(r["total_rub"])} for r in rows}
    want = {k: {b: v.get(b, 0) for b in ("debt", "1m", "3m", "6m", "12m", "3y", "over", "advance", "penalty")}
            | {"total": v["debt"] + v["penalty"]} for k, v in expected.items()}
    assert got == want
    assert any(k[0] == "юридическое лицо" for k in got) and any(v["3m"] for v in got.values())
    row = got[("население", old)]
    assert (row["over"], row["3y"]) == (10_000, 50_000)      # due 10.05.2023 > 3 years; 10.02.2024 and 10.10.2024
    assert all(v["debt"] == sum(v[b] for b in ("1m", "3m", "6m", "12m", "3y", "over", "advance")) for v in got.values())
    legal = _report(db, "receivables", on_date="2026-12-05", debtor_kind="legal")
    assert {r["debtor_no"] for r in legal} == {k[1] for k in got if k[0] == "юридическое лицо"}


def test_inventory_flags_the_limitation_of_every_month(work):
    db, c, _ = work
    old = _old_debt(db)
    with open_store(db, read_only=True) as st:
        months = _debtor_months(st, ON)
        ends = {due: limitation_on(st, due)[1] for *_, due in months}
    cases = {x.debtor_no: x.number for x in c if x.status == "open" and x.number != c[1].number}

    def status(end: date, warn: int) -> str:
        if end < ON:
            return "срок истёк"
        return f"срок истекает (менее {warn} мес.)" if end < add_months(ON, warn) else "в пределах срока"

    for warn in (6, 12):
        rows = _report(db, "debt_inventory", on_date="2026-12-05", warn_months=str(warn))
        got = sorted((r["debtor_kind"], r["debtor_no"], r["for_period"], kop(r["debt_rub"]), kop(r["penalty_rub"]),
                      _d(r["due"]), _d(r["limitation_end"]), r["limitation_status"], r["case_number"]) for r in rows)
        want = sorted((kind, no, p, max(debt, 0), pen, due, ends[due], status(ends[due], warn), cases.get(no))
                      for kind, no, p, debt, pen, due in months if debt > 0 or pen != 0)
        assert got == want
    mine = {r["for_period"]: (r["limitation_end"], r["limitation_status"]) for r in rows if r["debtor_no"] == old}
    assert mine[202304] == ("2026-05-10", "срок истёк")
    assert mine[202401] == ("2027-02-10", "срок истекает (менее 12 мес.)")
    assert mine[202409] == ("2027-10-10", "срок истекает (менее 12 мес.)")
    six = {r["for_period"]: r["limitation_status"] for r in _report(db, "debt_inventory", on_date="2026-12-05")
           if r["debtor_no"] == old}
    assert (six[202401], six[202409]) == ("срок истекает (менее 6 мес.)", "в пределах срока")
    # the totals: the register's positive months and the penalties of the listed months
    con = open_read_only(db)
    try:
        table = run_report(con, catalog().get("debt_inventory"), {"on_date": "2026-12-05"})
    finally:
        con.close()
    totals = dict(zip([col.name for col in table.columns], table.totals()))
    assert totals["debt_rub"] == Decimal(sum(max(m[3], 0) for m in months if m[3] > 0 or m[4] != 0)) / 100
    assert totals["penalty_rub"] == Decimal(sum(m[4] for m in months if m[3] > 0 or m[4] != 0)) / 100


def test_court_work(work):
    db, c, _ = work
    rows = _report(db, "court_work", date_from="2026-12-01", date_to="2026-12-31")
    got = [(r["case_number"], r["doc_kind"], r["doc_no"], r["doc_date"], r["doc_status"], kop(r["claim_rub"]),
            kop(r["duty_rub"]), r["writ_kind"], r["writ_no"], r["court"], r["court_case_no"], r["act_date"],
            kop(r["awarded_rub"]), r["sent_fssp"], r["proceedings_no"], r["fssp_status"], kop(r["recovered_rub"]))
           for r in rows]
    claim0, claim1 = c[0].principal_kop + c[0].penalty_kop, c[1].principal_kop + c[1].penalty_kop
    assert got == [
        (c[0].number, "Заявление о выдаче судебного приказа", "СП-1", "2026-12-10", "согласован", claim0, 40_000,
         "судебный приказ", "ВС 1", "Судебный участок № 1", "2-100/2026", "2026-12-20", claim0, "2026-12-28",
         "123/26/77001-ИП", "возбуждено", 100_000),
        (c[1].number, "Исковое заявление", "И-1", "2026-12-15", "на согласовании", claim1, 120_000,
         None, None, None, None, None, None, None, None, None, None),
        (c[2].number, None, None, None, None, None, None, "исполнительный лист", "ФС 2", "Районный суд", "2-200/2026",
         "2026-12-22", 777_700, None, None, None, 0),
    ]
    assert rows[0]["debtor_no"] == c[0].debtor_no and rows[0]["debtor_name"] == c[0].debtor_name
    later = _report(db, "court_work", date_from="2026-12-16", date_to="2026-12-31")
    assert [(r["case_number"], r["doc_no"], r["writ_no"]) for r in later] == [
        (c[0].number, "СП-1", "ВС 1"), (c[2].number, None, "ФС 2")]
    assert _report(db, "court_work", date_from="2026-01-01", date_to="2026-12-09") == []


def test_legal_staff(work):
    db, c, _ = work
    with open_store(db) as st:   # payments of two debtors: after the case opened (counted) and before (not)
        _add_postings(st, [(c[0].account_id, "electricity", "payment", 202611, 202610, -50_000, date(2026, 12, 12)),
                           (c[3].account_id, "electricity", "payment", 202611, 202610, -7_000, date(2026, 12, 1))])
    cols = ("full_name", "role", "open_cases", "tasks_done", "tasks_open", "tasks_overdue", "events", "docs_prepared",
            "docs_approved")
    rows = {r["login"]: tuple(r[k] for k in cols) + (kop(r["recovered_rub"]), kop(r["paid_rub"]))
            for r in _report(db, "legal_staff", date_from="2026-12-01", date_to="2026-12-31")}
    assert rows == {
        # cases 1, 3 and the contract; 1 task done; court and claim tasks open; 6 started + notice + 2 stages
        "ivanova": ("Иванова Анна Петровна", "юрист", 3, 1, 2, 0, 9, 2, 0, 100_000, 50_000),
        # cases 4, 5 with their notice tasks overdue on 31.12; 3 events; the notice; the approval
        "petrov": ("Петров Олег Ильич", "оператор", 2, 0, 2, 2, 3, 1, 1, 0, 0),
    }
    rows = {r["login"]: (r["tasks_done"], r["events"], r["docs_prepared"], r["docs_approved"], kop(r["paid_rub"]))
            for r in _report(db, "legal_staff", date_from="2026-12-08", date_to="2026-12-11")}
    assert rows == {"ivanova": (1, 2, 1, 0, 0), "petrov": (0, 1, 0, 1, 0)}


def test_repayment_schedules_journal(work):
    db, c, _ = work
    with open_store(db) as st:
        _add_postings(st, [(c[4].account_id, "electricity", "payment", 202611, 202610, -20_000, date(2026, 12, 10)),
                           (c[3].account_id, "electricity", "payment", 202610, 202609, -5_000, date(2026, 10, 25)),
                           (c[3].account_id, "electricity", "payment", 202611, 202610, -150_000, date(2026, 11, 20))])
        paid1 = -int(st.scalar("SELECT coalesce(sum(amount_kop), 0) FROM posting WHERE account_id = ?"
                               " AND kind = 'payment' AND op_date BETWEEN DATE '2026-11-01' AND DATE '2026-12-31'",
                               [c[3].account_id]))
    lines1 = [(date(2026, 11, 15), 100_000), (date(2026, 12, 15), 100_000), (date(2027, 1, 15), 100_000)]
    cum, nxt = 0, None
    for due, amount in lines1:
        cum += amount
        if cum > paid1:
            nxt = (due.isoformat(), cum - paid1)
            break
    rows = _report(db, "debt_schedules", on_date="2026-12-31")
    got = [(r["number"], r["case_number"], r["debtor_no"], r["concluded"], kop(r["total_rub"]), r["lines"],
            kop(r["due_rub"]), kop(r["paid_rub"]), kop(r["behind_rub"]), r["next_due"], kop(r["next_rub"]),
            r["status"]) for r in rows]
    assert got == [
        ("ГП-1", c[3].number, c[3].debtor_no, "2026-11-01", 300_000, 3, 200_000, paid1, max(200_000 - paid1, 0),
         *(nxt or (None, None)), "действует"),
        ("ГП-2", c[4].number, c[4].debtor_no, "2026-12-06", 50_000, 1, 50_000, 20_000, 30_000, "2026-12-20", 30_000,
         "действует"),
    ]
    assert paid1 >= 150_000 and nxt[0] == "2026-12-15"       # the 25.10 payment came before the schedule
    early = {r["number"]: (kop(r["due_rub"]), kop(r["paid_rub"])) for r in _report(db, "debt_schedules",
                                                                                    on_date="2026-12-09")}
    assert early["ГП-2"] == (0, 0)
    assert _report(db, "debt_schedules", on_date="2026-12-31", status="нарушен") == []
