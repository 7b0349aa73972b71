"""The «Работа с должниками» workplace (F5) and the case card in the console (docs/console.md,
docs/collection.md «В консоли оператора»): cases started for the marked debtors, the tasks of the
session's user finished and forwarded, an event recorded, a case moved to an allowed stage, a
document prepared and approved — each through the console's services, so the role of the user
decides, on the file and through a server alike (every test runs in both modes).

The store: the console's 200-account store (every 7th account a debtor since 07.2026, see
storegen.py) with users — the OS user (who the console runs as, in both modes) as an operator, «lev»
a lawyer, «kira» a controller — and cases started on 27.11.2026 for accounts 1500000001,
1500000008 and 1500000015 (stage «уведомление», each with a task for the operators)."""

from __future__ import annotations

import asyncio
import functools
import os
import pwd
import shutil
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from sbyt.console.app import SbytConsole
from sbyt.console.screens.collection import ApprovalPane, CaseCardScreen, ChoiceDialog, TasksPane
from sbyt.console.screens.debtors import DebtorsScreen
from sbyt.console.widgets.dialogs import ConfirmDialog, ErrorDialog, PromptDialog
from sbyt.console.widgets.paged_table import PagedTable
from sbyt.core import access
from sbyt.core.store import open_store

TODAY = date(2026, 11, 27)
SIZE = (100, 30)
NB = "\u00a0"
LOGIN = pwd.getpwuid(os.getuid()).pw_name       # the server knows the console by its socket peer
NOTICE_TASK = "Направить уведомление о предстоящем ограничении и получить подтверждение вручения"


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import importlib.util

    from sbyt.core.collection import start_cases

    spec = importlib.util.spec_from_file_location("console_storegen_pir", Path(__file__).parent / "storegen.py")
    storegen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(storegen)
    path = tmp_path_factory.mktemp("console_pir") / "template.duckdb"
    storegen.build_file(path, 200)
    with open_store(path) as st:
        access.add_user(st, LOGIN, "operator")
        access.add_user(st, "lev", "lawyer")
        access.add_user(st, "kira", "controller")
        res = start_cases(st, "household", [1, 8, 15], TODAY)
        assert (res.started, res.first, res.last) == (3, "ПИР-2026-000001", "ПИР-2026-000003")
    return path


@pytest.fixture
def pir_db(_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "pir.duckdb"
    shutil.copyfile(_template, path)
    return path


def console(db: Path, mode: str, role: str = "operator") -> SbytConsole:
    """The console as the OS user with `role`: on the file with that user's session, or (server
    mode) a client of a server of the file, which identifies the same user by the socket peer."""
    with open_store(db) as st:
        st.execute("UPDATE app_user SET role = ? WHERE login = ?", [role, LOGIN])
    if mode == "server":
        return SbytConsole(db, strict=True, today=TODAY)       # conftest makes it a client of a server
    st = open_store(db)
    st.session = access.user_session(st, LOGIN)
    return SbytConsole(store=st, strict=True, today=TODAY)


def sync(fn):  # noqa: ANN001, ANN201
    @functools.wraps(fn)
    def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return asyncio.run(fn(*args, **kwargs))
    return run


async def settle(app: SbytConsole, pilot) -> None:  # noqa: ANN001
    for _ in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c).replace(NB, " ") for c in table.get_row_at(i)] for i in range(table.row_count)]


def text(widget: Static) -> str:
    return str(widget.content).replace(NB, " ")


async def workplace(app: SbytConsole, pilot, tab: str | None = None) -> DebtorsScreen:  # noqa: ANN001
    await settle(app, pilot)
    await pilot.press("f5")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, DebtorsScreen)
    if tab:
        screen.action_tab(tab)
        await settle(app, pilot)
    return screen


def mine(screen: DebtorsScreen) -> list[list[str]]:
    return cells(screen.query_one("#pane-mine", TasksPane).table)


@sync
async def test_cases_start_for_the_marked_debtors_and_their_tasks_are_mine(pir_db, console_mode):
    app = console(pir_db, console_mode)
    async with app.run_test(size=SIZE) as pilot:
        screen = await workplace(app, pilot)
        screen.query_one("#f-periods", Input).value = "4"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        rows = cells(screen.query_one(PagedTable))
        assert len(rows) == 29 and rows[0][1] == "+ 1500000197"
        in_work = {r[1][2:]: r[7] for r in rows if r[7]}
        assert in_work == {"1500000001": "уведомление", "1500000008": "уведомление", "1500000015": "уведомление"}
        await pilot.press("space", "space", "s")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question == "Начать претензионно-исковую работу на 27.11.2026?\nДолжников: 2 (граждане)."
        await pilot.press("y")
        await settle(app, pilot)
        assert text(screen.query_one("#debtors-status", Static)) == (
            "Начата ПИР: дел 2 (ПИР-2026-000004 … ПИР-2026-000005). Должников: 29 · долг 141 712,56 ₽ · в работе: 5")
        rows = cells(screen.query_one(PagedTable))
        assert [r[7] for r in rows[:2]] == ["уведомление", "уведомление"] and rows[0][0] == " "   # marks cleared
        # the same debtors again: nothing new, both skipped
        await pilot.press("up", "up", "space", "space", "s")
        assert "Уже в работе: 2" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert text(screen.query_one("#debtors-status", Static)).startswith(
            "Новых дел нет; пропущено 2 (уже в работе или без просроченного долга).")
        # «Задачи мне»: the notice tasks are the operators' (the OS user is one)
        await pilot.press("2")
        await settle(app, pilot)
        tasks = mine(screen)
        assert [r[1:4] for r in tasks] == [
            ["ПИР-2026-000001", "1500000001", "Иванов Иван Петрович"],
            ["ПИР-2026-000002", "1500000008", "Соколов Иван Иванович"],
            ["ПИР-2026-000003", "1500000015", "Лебедев Иван Сергеевич"],
            ["ПИР-2026-000004", "1500000190", "Алексеев Сергей Юрьевич"],
            ["ПИР-2026-000005", "1500000197", "Смирнов Андрей Петрович"]]
        assert tasks[0][4:] == ["уведомление", NOTICE_TASK, "роль «оператор»"]
    with open_store(pir_db) as st:
        assert st.all("SELECT c.number, a.number, c.created_by FROM debt_case c JOIN account a ON a.id = c.account_id"
                      " WHERE c.id > 3 ORDER BY c.id") == [("ПИР-2026-000004", "1500000190", LOGIN),
                                                             ("ПИР-2026-000005", "1500000197", LOGIN)]
        assert st.scalar("SELECT count(*) FROM audit_log WHERE action = 'start' AND entity = 'debt_case'") == 5


@sync
async def test_a_task_is_finished_and_another_forwarded(pir_db, console_mode):
    app = console(pir_db, console_mode)
    async with app.run_test(size=SIZE) as pilot:
        screen = await workplace(app, pilot, "w-mine")
        due = mine(screen)[0][0]
        assert len(mine(screen)) == 3
        first = screen.query_one("#pane-mine", TasksPane).items[0].id
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert [r[1] for r in mine(screen)] == ["ПИР-2026-000002", "ПИР-2026-000003"]
        assert text(screen.query_one("#tasks-mine-status", Static)) == f"Задача № {first} выполнена. Задач к исполнению: 2"
        await pilot.press("g")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"lev", "enter")
        await settle(app, pilot)
        assert [r[1] for r in mine(screen)] == ["ПИР-2026-000003"]
        await pilot.press("3")
        await settle(app, pilot)
        assert cells(screen.query_one("#pane-forwarded", TasksPane).table) == [
            [due, "ПИР-2026-000002", "1500000008", "Соколов Иван Иванович", "уведомление", NOTICE_TASK, "lev",
             "к исполнению"]]
        # to a login that is not a user: the core's refusal, nothing changes
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("g", *"nobody", "enter")
        await settle(app, pilot)
        assert app.errors == ["Пользователь «nobody» не найден (sbyt user list)."]
    with open_store(pir_db) as st:
        assert st.all("SELECT c.number, t.status, t.assignee, t.forwarded_by, t.done_by FROM debt_task t"
                      " JOIN debt_case c ON c.id = t.case_id ORDER BY c.number, t.id") == [
            ("ПИР-2026-000001", "done", None, None, LOGIN), ("ПИР-2026-000002", "forwarded", None, None, LOGIN),
            ("ПИР-2026-000002", "open", "lev", LOGIN, None), ("ПИР-2026-000003", "open", None, None, None)]


async def card_of_first_task(app: SbytConsole, pilot) -> CaseCardScreen:  # noqa: ANN001
    screen = await workplace(app, pilot, "w-mine")
    assert mine(screen)
    await pilot.press("enter")
    await settle(app, pilot)
    card = app.screen
    assert isinstance(card, CaseCardScreen)
    return card


async def card_of_first_case(app: SbytConsole, pilot) -> CaseCardScreen:  # noqa: ANN001
    """The card of ПИР-2026-000001 from the «Дела» tab (a head of department has no tasks of its own)."""
    await workplace(app, pilot, "w-cases")
    await pilot.press("enter")
    await settle(app, pilot)
    card = app.screen
    assert isinstance(card, CaseCardScreen) and card.key == "ПИР-2026-000001"
    return card


def header(card: CaseCardScreen) -> list[str]:
    return text(card.query_one("#pc-header", Static)).splitlines()


@sync
async def test_the_case_card_records_an_event_and_moves_to_an_allowed_stage(pir_db, console_mode):
    app = console(pir_db, console_mode)
    async with app.run_test(size=SIZE) as pilot:
        card = await card_of_first_task(app, pilot)
        assert header(card) == [
            "Дело ПИР-2026-000001 · в работе · открыто 27.11.2026",
            "ЛС 1500000001 · Иванов Иван Петрович",
            "Этап: Уведомление о приостановлении с 27.11.2026 · исполнитель: не назначен",
            "Долг 2 468,00 ₽ · пени 12,34 ₽ (на 27.11.2026)"]
        # 100 kWh × 6.17 = 617.00 a month, unpaid 07–10.2026 (due on the 15th of the next month, rule
        # due_day.household), each month's limitation ending 3 years after its due date
        assert cells(card.query_one("#pc-periods-table", DataTable)) == [
            ["07.2026", "617,00", "", "15.08.2026", "15.08.2029"],
            ["08.2026", "617,00", "", "15.09.2026", "15.09.2029"],
            ["09.2026", "617,00", "", "15.10.2026", "15.10.2029"],
            ["10.2026", "617,00", "12,34", "15.11.2026", "15.11.2029"]]
        await pilot.press("c")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        dialog.query_one("#choice-kind", Select).value = "notice_delivered"
        dialog.query_one("#choice-date", Input).value = "28.11.2026"
        dialog.query_one("#choice-note", Input).value = "вручено лично"
        dialog.query_one("#choice-date", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.errors == []
        assert cells(card.query_one("#pc-events-table", DataTable)) == [
            ["27.11.2026", "начата ПИР", "уведомление", "2 480,34", "", "", LOGIN],
            ["28.11.2026", "уведомление вручено", "уведомление", "", "", "вручено лично", LOGIN]]
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert dialog.options == [("restriction", "Ограничение режима потребления (ОРП)"),
                                  ("court", "Судебное взыскание"), ("restructuring", "Реструктуризация (график погашения)"),
                                  ("bankruptcy", "Банкротство"), ("writeoff", "Списание безнадёжного долга"),
                                  ("closed", "Дело закрыто")]
        dialog.query_one("#choice-kind", Select).value = "restriction"
        dialog.query_one("#choice-date", Input).value = "18.12.2026"
        dialog.query_one("#choice-date", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert header(card)[2] == "Этап: Ограничение режима потребления (ОРП) с 18.12.2026 · исполнитель: не назначен"
        assert text(card.query_one("#pc-status", Static)) == (
            "Дело ПИР-2026-000001 переведено на этап «ограничение (ОРП)» с 18.12.2026.")
        tasks = cells(card.query_one("#pc-tasks-table", DataTable))
        assert [(r[1], r[3], r[4], r[5]) for r in tasks] == [
            ("уведомление", "роль «оператор»", "17.12.2026", "отменена"),
            ("ограничение (ОРП)", "роль «контролёр»", "28.12.2026", "к исполнению")]
        # a bad date is a message in the dialog, nothing recorded
        await pilot.press("c")
        app.screen.query_one("#choice-date", Input).value = "32.12.2026"
        app.screen.query_one("#choice-date", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.errors[-1].startswith("Дата: не дата: «32.12.2026»")
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert app.screen is card
        await pilot.press("escape")
        await settle(app, pilot)
        assert [r[1] for r in mine(app.screen)] == ["ПИР-2026-000002", "ПИР-2026-000003"]   # the tab reloaded
    with open_store(pir_db) as st:
        assert st.all("SELECT stage, stage_since FROM debt_case WHERE id = 1") == [("restriction", date(2026, 12, 18))]
        assert st.scalar("SELECT count(*) FROM audit_log WHERE action = 'stage' AND entity = 'debt_case'") == 1


REFUSED = "Недостаточно прав: у пользователя «{login}» (роль «{role}») нет права «{perm}» ({name})."


@sync
async def test_an_operator_may_not_mark_a_restriction_nor_approve(pir_db, console_mode):
    """An operator lacks debt.restrict: the core's refusal, logged, nothing changed; the approval
    keys are not shown to one without debt.approve."""
    with open_store(pir_db) as st:
        name = access.permission_name(st, "debt.restrict")
    app = console(pir_db, console_mode)
    async with app.run_test(size=SIZE) as pilot:
        card = await card_of_first_task(app, pilot)
        await pilot.press("c")
        app.screen.query_one("#choice-kind", Select).value = "restricted"
        app.screen.query_one("#choice-date", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert app.errors == [REFUSED.format(login=LOGIN, role="оператор", perm="debt.restrict", name=name)]
        await pilot.press("escape")
        assert card.check_action("approve", ()) is False and card.check_action("event", ()) is True
        await pilot.press("escape", "4")
        await settle(app, pilot)
        pane = app.screen.query_one(ApprovalPane)
        assert pane.check_action("approve", ()) is False and pane.check_action("reject", ()) is False
    with open_store(pir_db) as st:
        assert st.scalar("SELECT count(*) FROM debt_event WHERE kind = 'restricted'") == 0
        assert st.scalar("SELECT count(*) FROM supply_state WHERE reason LIKE 'ПИР%'") == 0
        assert st.all("SELECT login, permission FROM access_log WHERE event = 'refused'") == [(LOGIN, "debt.restrict")]


@sync
async def test_a_controller_may_not_start_cases(pir_db, console_mode):
    with open_store(pir_db) as st:
        name = access.permission_name(st, "debt.work")
    app = console(pir_db, console_mode, role="controller")
    async with app.run_test(size=SIZE) as pilot:
        screen = await workplace(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await pilot.press("space", "s", "y")
        await settle(app, pilot)
        assert app.errors == [REFUSED.format(login=LOGIN, role="контролёр", perm="debt.work", name=name)]
        assert "в работе: 3" in text(screen.query_one("#debtors-status", Static))
    with open_store(pir_db) as st:
        assert st.scalar("SELECT count(*) FROM debt_case") == 3
        assert st.all("SELECT login, permission FROM access_log WHERE event = 'refused'") == [(LOGIN, "debt.work")]


@sync
async def test_a_stage_document_goes_for_approval_and_is_approved(pir_db, console_mode):
    pytest.importorskip("sbyt.core.collection_docs")
    app = console(pir_db, console_mode, role="head")
    async with app.run_test(size=SIZE) as pilot:
        card = await card_of_first_case(app, pilot)
        await pilot.press("n")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.errors == []
        (doc,) = cells(card.query_one("#pc-docs-table", DataTable))
        number = doc[0]
        assert doc[1:4] == ["Уведомление о предстоящем приостановлении (ограничении)", "27.11.2026", "2 468,00"]
        assert doc[7:] == ["на согласовании", ""]
        await pilot.press("escape", "4")
        await settle(app, pilot)
        pane = app.screen.query_one(ApprovalPane)
        rows = cells(pane.table)
        assert [r[:5] for r in rows] == [[number, doc[1], "27.11.2026", "ПИР-2026-000001", "1500000001"]]
        assert pane.check_action("approve", ()) is True
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert cells(pane.table) == []
        assert text(app.screen.query_one("#approval-status", Static)) == (
            f"Документ {number} согласован. Документов на согласовании: 0")
    with open_store(pir_db) as st:
        assert st.all("SELECT doc_no, status, approved_by FROM debt_doc") == [(number, "approved", LOGIN)]


@sync
async def test_the_cases_tab_filters_by_stage_and_opens_the_card(pir_db, console_mode):
    with open_store(pir_db) as st:
        from sbyt.core.collection import set_executor, set_stage

        set_stage(st, "ПИР-2026-000002", "court", TODAY)
        set_executor(st, "ПИР-2026-000002", "lev", TODAY)
    app = console(pir_db, console_mode)
    async with app.run_test(size=SIZE) as pilot:
        screen = await workplace(app, pilot, "w-cases")
        table = screen.query_one("#cases-table", DataTable)
        assert [r[:6] for r in cells(table)] == [
            ["ПИР-2026-000001", "1500000001", "Иванов Иван Петрович", "уведомление", "27.11.2026", ""],
            ["ПИР-2026-000002", "1500000008", "Соколов Иван Иванович", "суд", "27.11.2026", "lev"],
            ["ПИР-2026-000003", "1500000015", "Лебедев Иван Сергеевич", "уведомление", "27.11.2026", ""]]
        screen.query_one("#c-stage", Select).value = "court"
        table.focus()
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert [r[0] for r in cells(table)] == ["ПИР-2026-000002"]
        # account 8 consumes 107 kWh a month: 4 unpaid months × 107 × 6.17 = 2 640.76
        assert 4 * 107 * 617 == 2_640_76
        assert text(screen.query_one("#cases-status", Static)) == "Дел: 1 · долг 2 640,76 ₽ · пени 12,34 ₽"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseCardScreen)
        assert header(app.screen)[2] == "Этап: Судебное взыскание с 27.11.2026 · исполнитель: lev"
        assert app.screen.check_action("approve", ()) is False
        await pilot.press("escape")
        await settle(app, pilot)
        # the debtors' list: only those in court, and the case opens from the debtor (O)
        screen.action_tab("w-debtors")
        await settle(app, pilot)
        screen.query_one("#f-stage", Select).value = "court"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert [r[1] for r in cells(screen.query_one(PagedTable))] == ["+ 1500000008"]
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseCardScreen) and header(app.screen)[0].startswith("Дело ПИР-2026-000002")


@sync
async def test_legal_debtors_are_listed_with_the_switch_and_a_case_starts_with_a_claim(pir_db, console_mode):
    """The counterparties of the legal console tests (with a payment of 150 000.00 for 11.2026 by
    contract 77-001); 77-001 accrued 210 000.00 for 09.2026, due 19.10.2026 (п. 82: the 18th of the
    next month, a Sunday, moved to the Monday), unpaid: 39 days overdue on 27.11.2026."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("legal_console_data_pir", Path(__file__).parent / "test_legal_console.py")
    legal = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(legal)
    legal.build_legal(pir_db)
    with open_store(pir_db) as st:
        st.execute("INSERT INTO legal_posting (id, counterparty_id, contract_id, kind, period, for_period, amount_kop,"
                   " op_date) SELECT 1001, k.counterparty_id, k.id, 'accrual', 202609, 202609, 21000000,"
                   " DATE '2026-09-30' FROM contract k WHERE k.number = '77-001'")
    app = console(pir_db, console_mode)
    async with app.run_test(size=SIZE) as pilot:
        screen = await workplace(app, pilot)
        screen.query_one("#f-kind", Select).value = "legal"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        table = screen.query_one(PagedTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "✓", "Договор", "Контрагент", "Долг, ₽", "Пени, ₽", "Дней", "Период", "Дело ПИР", "ИНН"]
        assert cells(table) == [[" ", "77-001", "ООО «Ромашка»", "210 000,00", "0,00", "39", "с 09.2026 (1)", "",
                                 "7736207543"]]
        await pilot.press("p")
        assert app.errors[-1].startswith("ЕПД печатается для граждан")
        await pilot.press("escape", "space", "s")
        assert app.screen.question.endswith("Должников: 1 (юридические лица).")
        await pilot.press("y")
        await settle(app, pilot)
        assert text(screen.query_one("#debtors-status", Static)).startswith("Начата ПИР: дел 1 (ПИР-2026-000004).")
        assert cells(table)[0][7] == "претензия"
        await pilot.press("o")
        await settle(app, pilot)
        card = app.screen
        assert isinstance(card, CaseCardScreen)
        assert header(card)[1:3] == ["Договор № 77-001 · ООО «Ромашка»",
                                     "Этап: Претензия с 27.11.2026 · исполнитель: не назначен"]
        assert cells(card.query_one("#pc-periods-table", DataTable)) == [
            ["09.2026", "210 000,00", "", "19.10.2026", "19.10.2029"]]


def test_workplace_snapshot(pir_db, snap_compare, console_mode):
    """«Задачи мне» at 80×24: the tabs, the tasks with their deadlines, the keys in the footer."""
    async def run_before(pilot) -> None:  # noqa: ANN001
        app = pilot.app
        app.animation_level = "none"
        await workplace(app, pilot, "w-mine")
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        await settle(app, pilot)

    assert snap_compare(console(pir_db, console_mode), run_before=run_before, terminal_size=(80, 24))

