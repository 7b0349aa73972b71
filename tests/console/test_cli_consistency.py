"""The commands behave alike (issue 11, point 6): closing the open month with a confirmation, --format
on every tabular command, one CSV notation for money and dates, the reason of a method in `explain`,
warnings of `sbyt load`."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from enum import Enum
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.calc.close import draft_totals
from sbyt.console.cli.main import app
from sbyt.core.money import format_rub
from sbyt.core.store import open_store

runner = CliRunner()


def _status(db) -> list[tuple[int, str]]:
    with open_store(db, read_only=True) as st:
        return st.all("SELECT period, status FROM billing_period ORDER BY period")


# ------------------------------------------------------------------ a. `sbyt period close` without a period
def _question(db) -> str:
    with open_store(db, read_only=True) as st:
        total, lines = draft_totals(st, 202611)
    return (f"Закрыть период 11.2026 (строк {lines}, начислено {format_rub(total, currency=True)})? "
            "Начисления будут проведены, месяц станет неизменяемым, откроется следующий. [д/Н]: ")


@pytest.mark.parametrize("answer", ["н\n", "\n", ""])
def test_close_without_period_asks_and_a_no_changes_nothing(demo_db, answer):
    before = _status(demo_db)
    res = runner.invoke(app, ["--db", str(demo_db), "period", "close"], input=answer)
    assert res.exit_code == 1
    assert res.stderr == _question(demo_db) + "Период 11.2026 не закрыт.\n"
    assert res.stdout == ""
    assert _status(demo_db) == before


@pytest.mark.parametrize("answer", ["д\n", "Да\n", "y\n"])
def test_close_without_period_closes_the_open_month_after_yes(demo_db, answer):
    question = _question(demo_db)
    res = runner.invoke(app, ["--db", str(demo_db), "period", "close"], input=answer)
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith(question + "Период 11.2026 закрыт: строк ")
    assert res.stderr.endswith(" Открыт период 12.2026.\n")
    assert _status(demo_db)[-2:] == [(202611, "closed"), (202612, "open")]


def test_close_yes_skips_the_question_and_an_uncalculated_month_is_refused_before_asking(demo_db):
    res = runner.invoke(app, ["--db", str(demo_db), "period", "close", "--yes"])
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith("Период 11.2026 закрыт: строк ")
    res = runner.invoke(app, ["--db", str(demo_db), "period", "close"], input="д\n")
    assert res.exit_code == 1
    assert res.stderr == "Ошибка: Период 12.2026 не рассчитан: выполните «sbyt calc».\n"
    assert _status(demo_db)[-1] == (202612, "open")


# ------------------------------------------------------------------ b. `sbyt balance --format`
ACCOUNT = "3100000001"      # a demo account with readings, a late-reading recalculation and ОДН


def test_balance_json_carries_both_tables(demo_db):
    from sbyt.core import balance as bal

    with open_store(demo_db, read_only=True) as st:
        t = bal.turnover(st, ACCOUNT, 202611)
        debts = [r for r in bal.debts(st, ACCOUNT) if r[2] or r[3] or r[4]]
    res = runner.invoke(app, ["--db", str(demo_db), "balance", ACCOUNT, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    rub = lambda kop: str(Decimal(kop).scaleb(-2))  # noqa: E731
    assert data == {
        "обороты": [{"Период": 202611, "Сальдо на начало": rub(t.opening_kop), "Начислено": rub(t.accrued_kop),
                     "Перерасчёт": rub(t.recalculated_kop), "Пени": rub(t.penalty_kop), "Оплачено": rub(t.paid_kop),
                     "Прочее": rub(t.other_kop), "Сальдо на конец": rub(t.closing_kop)}],
        "по месяцам и услугам": [{"Месяц": m, "Услуга": s,
                                  "Начислено": rub(a), "Оплачено": rub(p), "Долг (+) / аванс (−)": rub(d)}
                                 for m, s, a, p, d in debts]}     # codes stay codes in JSON
    assert len(debts) == 5


def test_balance_csv_has_both_tables_and_the_table_both_titles(demo_db):
    res = runner.invoke(app, ["--db", str(demo_db), "balance", ACCOUNT, "--format", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "Период;Сальдо на начало;Начислено;Перерасчёт;Пени;Оплачено;Прочее;Сальдо на конец"
    assert lines[1].startswith("11.2026;")
    assert lines[2] == ""
    assert lines[3] == "Месяц;Услуга;Начислено;Оплачено;Долг (+) / аванс (−)"
    assert len(lines) == 4 + 5
    res = runner.invoke(app, ["--db", str(demo_db), "balance", ACCOUNT])
    assert f"Лицевой счёт {ACCOUNT}: обороты" in res.stdout
    assert f"Лицевой счёт {ACCOUNT}: по месяцам и услугам" in res.stdout


# ------------------------------------------------------------------ c. CSV of every command: plain numbers, ISO dates
def _csv_commands() -> set[str]:
    """Every command (as «group command») with a --format option that offers csv."""
    import typer.main

    found: set[str] = set()

    def walk(cmd, path: list[str]) -> None:  # noqa: ANN001 - Typer's vendored click command
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])
            return
        for p in cmd.params:
            kind = getattr(getattr(p, "type_descriptor", None), "annotation", None)
            if "--format" in getattr(p, "opts", []) and isinstance(kind, type) and issubclass(kind, Enum) \
                    and "csv" in kind.__members__:
                found.add(" ".join(path))

    walk(typer.main.get_command(app), [])
    return found


MONEY = re.compile(r"-?\d+,\d{2}")
DATE = re.compile(r"\d{4}-\d\d-\d\d")
DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
MONTH = re.compile(r"\d\d\.\d{4}")


@pytest.fixture
def busy_demo(demo_db, tmp_path):
    """The demo store with an unidentified payment and a rejected reading (so that every list has rows)."""
    registry = tmp_path / "reestr_15.txt"
    registry.write_text("РЕЕСТР;7800000000;ЕИРЦ;15;20.11.2026;77;20.11.2026\n"
                        "9999999999;1100,00;20.11.2026;10.2026;Неизвестный;Оплата;2\n"
                        "ИТОГО;1;1100,00\n", encoding="utf-8")
    res = runner.invoke(app, ["--db", str(demo_db), "pay", "import", str(registry)])
    assert res.exit_code == 0, res.output
    return demo_db


ASKUE = Path(__file__).parents[1] / "data" / "askue80020" / "halfhour_decimal_cp1251.xml"


def _legal_entity(db, tmp_path) -> None:
    """A counterparty with a contract waiting for documents, an hourly-metered point with a day of the
    open month (the sample file's day moved to 20.11.2026); a signed contract with a payment and
    category-1 prices (its payment schedule and debt by month)."""
    askue = tmp_path / "80020_demo.xml"
    askue.write_bytes(ASKUE.read_bytes().replace(b"20240301", b"20261120"))
    for args in (["counterparty", "add", "7736207543", "--kpp", "770401001", "--name", "ООО «Завод»",
                  "--date", "2024-01-01"],
                 ["contract", "apply", "Д-1", "--counterparty", "7736207543", "--date", "2024-01-10"],
                 ["contract", "object", "Д-1", "--code", "OB1", "--name", "Цех", "--date", "2024-01-10"],
                 ["contract", "point", "OB1", "--code", "TP1", "--voltage", "СН2", "--max-kw", "5000",
                  "--category", "4", "--date", "2024-01-10"],
                 ["contract", "meter", "TP1", "--serial", "1", "--installed", "2024-01-10",
                  "--askue", "770000000100001", "--channel", "01", "--verified", "2017-06-01", "--interval", "8"],
                 ["contract", "plan", "Д-1", "--year", "2027", "--object", "OB1", "--values", "5 4 3 2 1 1 1 1 2 3 4 5"],
                 ["readings", "import", str(askue)],
                 ["readings", "legal-add", "TP1", "1000,5", "--date", "2026-11-20"],
                 # a signed contract with a payment: its payment schedule and debt by month
                 ["counterparty", "change", "7736207543", "--date", "2024-01-02", "--mobile", "+79123456789",
                  "--email", "office@zavod.ru"],
                 ["contract", "apply", "Д-2", "--counterparty", "7736207543", "--date", "2024-01-10", "--docs",
                  "application,register_extract,authority,title,grid_act,meter_act,capacity_doc"],
                 ["contract", "draft", "Д-2", "--date", "2024-01-11"],
                 ["contract", "approve", "Д-2", "--date", "2024-01-12"],
                 ["contract", "sign", "Д-2", "--start", "2024-02-01", "--date", "2024-01-15"],
                 ["contract", "object", "Д-2", "--code", "OB2", "--name", "Склад", "--date", "2024-01-15"],
                 ["contract", "point", "OB2", "--code", "TP2", "--voltage", "НН", "--max-kw", "150",
                  "--date", "2024-01-15"],
                 ["contract", "pay", "Д-2", "120000", "--date", "2026-11-05", "--doc", "1"]):
        res = runner.invoke(app, ["--db", str(db), *args])
        assert res.exit_code == 0, res.output
    with open_store(db) as st:      # category-1 prices for the schedule without history
        st.execute("INSERT INTO price_component (period, category, voltage, component, value, batch_id)"
                   " VALUES (202401, 1, 'NN', 'energy', 4000, 0), (202401, 1, 'NN', 'network', 1500, 0)")


def _invocations(db, tmp_path) -> dict[str, list[tuple[list[str], dict[str, re.Pattern]]]]:
    """Command -> [(arguments, {column title: the pattern of its non-empty cells})]."""
    from sbyt.core import jobs
    from sbyt.reports.catalog import catalog

    with jobs.job("tester", "calc"):       # a finished job of this process for `sbyt jobs` to list
        pass
    res = runner.invoke(app, ["--db", str(db), "user", "add", "tester", "--role", "operator"])
    assert res.exit_code == 0, res.output
    with open_store(db, read_only=True) as st:
        building = st.scalar("SELECT min(code) FROM building WHERE kind = 'mkd'")
    _legal_entity(db, tmp_path)
    for args in (["docs", "issue", "--period", "2026-10"],          # documents of the closed month and a log
                 ["docs", "export", "--period", "2026-10", "--kind", "sf", "--out", str(tmp_path / "edo")]):
        res = runner.invoke(app, ["--db", str(db), *args])
        assert res.exit_code == 0, res.output
    for args in (["debt", "select", "--months", "3", "--save", "три месяца"],     # ПИР: a saved selection,
                 ["debt", "start", "--months", "3"],                               # cases with tasks,
                 ["debt", "doc", "ПИР-2026-000001", "notice"],                     # a document,
                 ["debt", "schedule", "ПИР-2026-000002", "--date", "2026-12-05",   # a repayment schedule
                  "--months", "2", "--first", "2026-12-20"],
                 ["debt", "stage", "ПИР-2026-000003", "court"],                    # an executive document
                 ["debt", "writ", "ПИР-2026-000003", "--number", "2-1/2026", "--court", "Мировой судья",
                  "--case-no", "2-1/2026", "--act-date", "2026-12-01", "--amount", "1000", "--duty", "400"]):
        res = runner.invoke(app, ["--db", str(db), *args])
        assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--db", str(db), "act", "noncontracted", "7736207543", "--no", "Б-1", "--date",
                              "2026-11-20", "--since", "2026-11-01", "--current", "100", "--voltage-v", "220"])
    assert res.exit_code == 0, res.output       # an act of non-contracted consumption for `act list`
    prices = tmp_path / "prices.csv"
    prices.write_text("period;category;voltage;component;value\n2026-11;1;НН;energy;1500\n2026-11;1;НН;network;2091,43\n",
                      encoding="utf-8")
    res = runner.invoke(app, ["--db", str(db), "prices", "import", str(prices)])
    assert res.exit_code == 0, res.output       # a price table for `prices show`
    readings = tmp_path / "readings.csv"
    readings.write_text(f"account;serial;zone;date;value;source\n{ACCOUNT};71309165;1;26.11.2026;100;operator\n",
                        encoding="utf-8")
    money = {t: MONEY for t in ("Сальдо на начало", "Начислено", "Перерасчёт", "Пени", "Оплачено", "Прочее",
                                "Сальдо на конец", "Долг (+) / аванс (−)")}
    pattern = {"money": MONEY, "date": DATE, "datetime": DATETIME, "period": MONTH}
    reports = []
    for r in catalog().reports.values():
        given = {"building": building} | dict(r.example)
        args = ["report", "run", r.name] + [a for p in r.params if p.name in given
                                            for a in ("-p", f"{p.name}={given[p.name]}")]
        reports.append((args, {c.title: pattern[c.format] for c in r.columns if c.format in pattern}))
    return {
        "account show": [(["account", "show", ACCOUNT], {"Поверка до": DATE})],
        "audit": [(["audit"], {"Когда": DATETIME}), (["audit", "--access"], {"Когда": DATETIME})],
        "jobs": [(["jobs"], {"Начато": DATETIME})],
        "user list": [(["user", "list"], {})],
        "user roles": [(["user", "roles"], {})],
        "balance": [(["balance", ACCOUNT], {"Период": MONTH, "Месяц": MONTH, **money})],
        "building show": [(["building", "show", building], {"Открыт": DATE, "Характеристики с": DATE})],
        "explain": [(["explain", ACCOUNT], {"За месяц": MONTH, "Сумма, ₽": MONEY, "НДС, ₽": MONEY})],
        "pay unidentified": [(["pay", "unidentified"], {"Дата": DATE, "Сумма": MONEY})],
        "period status": [(["period", "status"], {"период": MONTH, "рассчитан": DATETIME, "закрыт": DATETIME,
                                                  "черновик, ₽": MONEY, "проведено, ₽": MONEY})],
        "readings import": [(["readings", "import", str(readings)], {"дата": DATE})],
        "readings list": [(["readings", "list", ACCOUNT], {"дата": DATE})],
        "readings legal-list": [(["readings", "legal-list", "TP1"], {"дата": DATE})],
        "prices list": [(["prices", "list"], {"загружен": DATETIME})],
        "prices show": [(["prices", "show", "--period", "2026-11", "--category", "1"], {})],
        "report list": [(["report", "list"], {})],
        "report run": reports,
        "counterparty find": [(["counterparty", "find", "7736"], {})],
        "contract history": [(["contract", "history", "Д-1"], {"Дата": DATE, "Действует с": DATE})],
        "contract tasks": [(["contract", "tasks"], {"Срок": DATE})],
        "contract plan": [(["contract", "plan", "Д-1", "--year", "2027"], {})],
        "act list": [(["act", "list"], {"Дата акта": DATE, "С": DATE, "По": DATE, "Начисляется в": MONTH,
                                        "Цены за": MONTH})],
        "contract volumes": [(["contract", "volumes", "TP1", "--from", "2026-11-20", "--to", "2026-11-20"],
                              {"Дата": DATE})],
        "contract schedule": [(["contract", "schedule", "Д-2"], {"Срок оплаты": DATE, "Сумма, ₽": MONEY})],
        "contract balance": [(["contract", "balance", "Д-2"], {"Месяц": MONTH, "Срок оплаты": DATE, **money})],
        "vat-book sales": [(["vat-book", "sales", "--quarter", "2026-4"],
                            {"13б Стоимость продаж по счёту-фактуре (включая НДС) в рублях и копейках": MONEY,
                             "17 (22 %)* Сумма НДС по ставке 22 %": MONEY})],
        "vat-book purchase": [(["vat-book", "purchase", "--quarter", "2026-4"],
                               {"16 Сумма НДС, принимаемая к вычету, в рублях и копейках": MONEY})],
        "vat-book codes": [(["vat-book", "codes"], {"Действует с": DATE})],
        "docs list": [(["docs", "list", "--period", "2026-10"], {"дата": DATE, "сумма, руб.": MONEY})],
        "docs show": [(["docs", "show", "1", "--kind", "sf"], {"всего": MONEY})],
        "docs log": [(["docs", "log"], {"дата": DATE, "когда": DATETIME})],
        "contract recon": [(["contract", "recon", "Д-2", "--from", "2026-11-01", "--to", "2026-11-30"], {})],
        "debt select": [(["debt", "select", "--months", "3"], {"с месяца": MONTH, "долг, ₽": MONEY, "пени, ₽": MONEY})],
        "debt selections": [(["debt", "selections"], {})],
        "debt cases": [(["debt", "cases"], {"с": DATE, "начато": DATE, "долг, ₽": MONEY, "пени, ₽": MONEY})],
        "debt show": [(["debt", "show", "ПИР-2026-000001"], {"месяц": MONTH, "срок оплаты": DATE, "давность до": DATE,
                                                            "дата": DATE, "срок": DATE})],
        "debt tasks": [(["debt", "tasks", "--tab", "all"], {"срок": DATE})],
        "debt docs": [(["debt", "docs"], {"дата": DATE, "долг, ₽": MONEY, "госпошлина, ₽": MONEY})],
        "debt schedules": [(["debt", "schedules"], {"заключён": DATE, "сумма, ₽": MONEY, "ближайший срок": DATE})],
        "debt limitation": [(["debt", "limitation", "--within", "2000"], {"месяц": MONTH, "долг, ₽": MONEY,
                                                                           "давность до": DATE})],
        "debt fssp list": [(["debt", "fssp", "list"], {"дата акта": DATE, "направлен": DATE, "дата статуса": DATE,
                                                       "сумма, ₽": MONEY, "госпошлина, ₽": MONEY, "взыскано, ₽": MONEY})],
        "debt fssp identity": [(["debt", "fssp", "identity", "ПИР-2026-000003"], {})],
        "sql": [(["sql", "SELECT period, (sum(amount_kop) / 100)::DECIMAL(18, 2) AS amount, max(op_date) AS day"
                         " FROM posting GROUP BY period ORDER BY period"], {"amount": MONEY, "day": DATE})],
    }


def _check_csv_of_every_command(invocations, run) -> None:
    """`run(args) -> (exit code, stdout, output)` for each invocation; every CSV cell in its format."""
    assert set(invocations) == _csv_commands()
    for command, runs in invocations.items():
        for args, patterns in runs:
            code, stdout, output = run([*args, "--format", "csv"])
            assert code == 0, (args, output)
            assert "\u202f" not in stdout and "\u00a0" not in stdout, args
            blocks = [b for b in stdout.split("\n\n") if b.strip()]
            assert blocks, args
            for block in blocks:
                header, *rows = list(csv.reader(io.StringIO(block), delimiter=";"))
                assert rows, (args, header)
                for title, pat in patterns.items():
                    if title not in header:
                        continue
                    i = header.index(title)
                    cells = [r[i] for r in rows if r[i] and r[0] != "Итого"]
                    assert all(pat.fullmatch(c) for c in cells), (args, title, cells[:5])
                    if pat is MONEY:
                        assert sum(Decimal(c.replace(",", ".")) for c in cells) is not None


def test_csv_of_every_command_writes_plain_numbers_and_iso_dates(busy_demo, tmp_path):
    def run(args):
        res = runner.invoke(app, ["--db", str(busy_demo), *args])
        return res.exit_code, res.stdout, res.output

    _check_csv_of_every_command(_invocations(busy_demo, tmp_path), run)


@pytest.mark.file_only
def test_every_command_the_same_through_the_server(busy_demo, tmp_path):
    """The same commands as clients of a running `sbyt serve`: same exit codes, same CSV."""
    from sbyt.server.address import Target, socket_path
    from sbyt.server.bench import start_server, stop_server
    from sbyt.server.client import execute

    import getpass

    invocations = _invocations(busy_demo, tmp_path)
    assert runner.invoke(app, ["--db", str(busy_demo), "user", "add", getpass.getuser(), "--role", "admin"]).exit_code == 0
    local = {}
    for runs in invocations.values():
        for args, _ in runs:
            if args[0] not in ("readings", "jobs"):     # a write, and this process's own jobs
                res = runner.invoke(app, ["--db", str(busy_demo), *args, "--format", "csv"])
                local[tuple(args)] = res.stdout
    proc = start_server(busy_demo)
    try:
        target = Target(sock=socket_path(busy_demo.resolve()))

        def run(args):
            r = execute(target, args)
            return r["exit_code"], r["stdout"], r["stdout"] + r["stderr"]

        for args, stdout in local.items():
            if args[0] != "audit":      # the audit trail shows the server's own rows
                assert execute(target, [*args, "--format", "csv"])["stdout"] == stdout, args
        _check_csv_of_every_command(invocations, run)
    finally:
        stop_server(proc)
