"""A contract's settlement documents in the console (docs/legal_docs.md «В консоли оператора»): the
«Расчётные документы» tab of the contract card lists them with exact numbers and amounts, filters
by the month of issue, opens one as `sbyt docs show` does; from the card the operator issues the
month's documents, prints them to PDF, sends them by e-mail (a real SMTP server on localhost) and
corrects a VAT invoice — through the console's services, so an operator without 'docs.issue' gets
the refusal.

The store (built once per module through the commands, copied per test): contract Д-1 of
ООО «Завод» from 01.01.2026, March 2026 measured at 10 000 kWh at 4 000 RUB/MWh (40 000.00 + VAT
22 % 8 800.00), closed, its documents issued on 02.04.2026; the open month is April."""

from __future__ import annotations

import asyncio
import functools
import shutil
import socket
from datetime import date
from email import message_from_bytes
from email.policy import default as email_policy
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static
from typer.testing import CliRunner as Runner

from sbyt.console.app import SbytConsole
from sbyt.console.screens.legal_card import ContractCardScreen
from sbyt.console.screens.legal_docs import ContractDocsPane, LegalDocScreen
from sbyt.console.widgets.dialogs import ConfirmDialog, ErrorDialog, PromptDialog
from sbyt.console.cli.main import app as cli_app
from sbyt.core.store import open_store

TODAY = date(2026, 4, 3)         # the console's «today»: in the open month
SIZE = (100, 30)
NB = "\u00a0"
runner = Runner()       # not named CliRunner: the setup's commands run on the file only
SUPPLIER = """INSERT INTO supplier VALUES ('2020-01-01', NULL, 'АО «Энергосбыт Плюс»', '5612042824', '561201001',
    '40702810900000012345', 'ПАО Сбербанк', '044525225', '30101810400000000225',
    '460024, г. Оренбург, ул. Аксакова, д. 3а', '8-800-000-00-00', 'info@sbyt.example', 'sbyt.example')"""


def cli(db: Path, *args: str) -> str:
    res = runner.invoke(cli_app, ["--db", str(db), *args])
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sbyt.calc.legal_docs import issue

    tmp = tmp_path_factory.mktemp("console_docs")
    db = tmp / "template.duckdb"
    cli(db, "init")
    with open_store(db) as st:
        st.execute(SUPPLIER)
    cli(db, "period", "open", "2026-03")
    for month in ("2026-03", "2026-04"):
        f = tmp / f"prices_{month}.csv"
        f.write_text("period;category;voltage;component;zones;zone;value\n"
                     f"{month};1;СН2;energy;;;3000\n{month};1;СН2;network;;;1000\n"
                     f"{month};1;СН2;markup;;;0\n{month};1;СН2;infra;;;0\n", encoding="utf-8")
        cli(db, "prices", "import", str(f))
    cli(db, "counterparty", "add", "7736207543", "--kpp", "770401001", "--name", "ООО «Завод»", "--date", "2024-01-01",
        "--mobile", "+79123456789", "--email", "buh@zavod.example", "--address", "г. Курск, ул. Ленина, д. 1")
    cli(db, "contract", "apply", "Д-1", "--counterparty", "7736207543", "--date", "2024-01-10", "--docs",
        "application,register_extract,authority,title,grid_act,meter_act,capacity_doc")
    cli(db, "contract", "draft", "Д-1", "--date", "2024-01-11")
    cli(db, "contract", "approve", "Д-1", "--date", "2024-01-12")
    cli(db, "contract", "sign", "Д-1", "--start", "2026-01-01", "--date", "2024-01-15")
    cli(db, "contract", "object", "Д-1", "--code", "O-1", "--name", "Цех", "--date", "2024-01-15")
    cli(db, "contract", "point", "O-1", "--code", "T-1", "--voltage", "СН2", "--max-kw", "500", "--category", "1",
        "--date", "2024-01-15")
    cli(db, "contract", "meter", "T-1", "--serial", "S-1", "--installed", "2024-01-15")
    cli(db, "readings", "legal-add", "T-1", "0", "--date", "2026-03-01")
    cli(db, "readings", "legal-add", "T-1", "10000", "--date", "2026-03-31")
    cli(db, "contract", "pay", "Д-1", "30000", "--date", "2026-03-20", "--doc", "п/п № 501")
    cli(db, "calc")
    cli(db, "period", "close", "2026-03")
    with open_store(db) as st:
        assert issue(st, 202603, today=date(2026, 4, 2)).counts == {"act": 1, "sf": 1, "bill_penalty": 1}
    return db


@pytest.fixture
def docs_db(_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "docs.duckdb"
    shutil.copyfile(_template, path)
    return path


def sync(fn):  # noqa: ANN001, ANN201
    @functools.wraps(fn)
    def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return asyncio.run(fn(*args, **kwargs))
    return run


async def settle(app: SbytConsole, pilot) -> None:  # noqa: ANN001
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c).replace(NB, " ") for c in table.get_row_at(i)] for i in range(table.row_count)]


async def docs_tab(app: SbytConsole, pilot) -> ContractDocsPane:  # noqa: ANN001
    """The contract card of Д-1 on its «Расчётные документы» tab, the table focused."""
    await settle(app, pilot)
    app.push_screen(ContractCardScreen("Д-1"))
    await settle(app, pilot)
    await pilot.press("5")
    pane = app.screen.query_one(ContractDocsPane)
    pane.query_one("#ldocs-table", DataTable).focus()
    await settle(app, pilot)
    return pane


def table(pane: ContractDocsPane) -> list[list[str]]:
    return cells(pane.query_one("#ldocs-table", DataTable))


def status(pane: ContractDocsPane) -> str:
    return str(pane.query_one("#ldocs-status", Static).content).replace(NB, " ")


def count(pane: ContractDocsPane) -> str:
    return str(pane.query_one("#ldocs-count", Static).content)


MARCH = [
    ["", "С-1", "02.04.2026", "03.2026", "8 569,11", "0,00", "Счёт на оплату пени", "", "не отправлялся"],
    ["", "1", "31.03.2026", "03.2026", "48 800,00", "8 800,00", "Счёт-фактура", "", "не отправлялся"],
    ["", "А-1", "31.03.2026", "03.2026", "48 800,00", "8 800,00",
     "Акт приёма-передачи электрической энергии (мощности)", "", "не отправлялся"]]


@sync
async def test_the_documents_tab_lists_the_contracts_documents_newest_first_with_a_month_filter(docs_db):
    app = SbytConsole(docs_db, strict=True, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        pane = await docs_tab(app, pilot)
        assert table(pane) == MARCH
        assert count(pane) == "документов всего: 3"
        await pilot.press("m")
        assert app.focused is pane.query_one("#ldocs-month", Input)
        await pilot.press(*"2026-04", "enter")
        await settle(app, pilot)
        assert table(pane) == [] and count(pane) == "документов нет"
        pane.query_one("#ldocs-month", Input).value = "03.2026"
        pane.query_one("#ldocs-month", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert table(pane) == MARCH
        assert count(pane) == "документов выписано в 03.2026: 3"
        pane.query_one("#ldocs-month", Input).value = "март"
        pane.query_one("#ldocs-month", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog) and app.errors[-1].startswith("Месяц: ")


@sync
async def test_a_document_opens_as_docs_show_shows_it(docs_db):
    app = SbytConsole(docs_db, strict=True, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        pane = await docs_tab(app, pilot)
        await pilot.press("down", "enter")          # the VAT invoice № 1
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LegalDocScreen)
        assert cells(screen.query_one("#ldoc-facts", DataTable)) == [
            ["Документ", "Счёт-фактура № 1 от 31.03.2026"], ["Договор", "№ Д-1"], ["Месяц", "март 2026 г."],
            ["Продавец", "АО «Энергосбыт Плюс», ИНН/КПП 5612042824/561201001"],
            ["Покупатель", "ООО «Завод», ИНН/КПП 7736207543/770401001, г. Курск, ул. Ленина, д. 1"],
            ["Сумма без НДС", "40 000,00 ₽"], ["НДС (22%)", "8 800,00 ₽"], ["Всего", "48 800,00 ₽"],
            ["Форма", "ПП № 1137"], ["E-mail", "buh@zavod.example"],
            ["документ отгрузки", "№ А-1 от 31.03.2026 на 48 800,00 ₽"],
            ["Книга продаж", "2026-1 кв., код 01: 48 800,00 ₽, НДС 8 800,00 ₽"]]
        # 10 000 kWh × 4 RUB = 40 000.00; VAT 22 % = 8 800.00
        assert cells(screen.query_one("#ldoc-lines", DataTable)) == [
            ["1", "Электрическая энергия (ЦК 1, СН2)", "кВт·ч", "10 000", "4", "40 000,00", "22%", "8 800,00",
             "48 800,00"]]
        assert str(screen.query_one("#legal-header", Static).content).replace(NB, " ").splitlines() == [
            "Счёт-фактура № 1 от 31.03.2026", "Договор № Д-1 · ООО «Завод» · всего 48 800,00 ₽"]
        await pilot.press("escape")
        assert app.screen.query_one(ContractDocsPane) is pane


@sync
async def test_the_months_documents_are_issued_from_the_card(docs_db):
    app = SbytConsole(docs_db, strict=True, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        pane = await docs_tab(app, pilot)
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        assert dialog.query_one(Input).value == "2026-04"          # the open month
        await pilot.press("enter")
        await settle(app, pilot)
        # п. 82: 30 % and 40 % of March's 48 800.00, VAT inside at 22/122
        assert status(pane) == ("Выписано документов за апрель 2026 г.: 2 (выписка № 2):\n"
                                "  Счёт на оплату (промежуточный платёж) — 2")
        bill = "Счёт на оплату (промежуточный платёж)"
        assert table(pane)[:2] == [
            ["", "С-3", "03.04.2026", "04.2026", "19 520,00", "3 520,00", bill, "", "не отправлялся"],
            ["", "С-2", "03.04.2026", "04.2026", "14 640,00", "2 640,00", bill, "", "не отправлялся"]]
        assert table(pane)[2:] == MARCH
        assert 48_800_00 * 30 // 100 == 14_640_00 and 14_640_00 * 22 // 122 == 2_640_00
        await pilot.press("ш", "enter")         # again: nothing new
        await settle(app, pilot)
        assert status(pane) == "Новых документов за апрель 2026 г. нет: всё уже выписано."
        assert len(table(pane)) == 5
    with open_store(docs_db) as st:
        assert st.all("SELECT doc_no, kind, instalment, due_date, total_kop, vat_kop FROM legal_doc WHERE period = 202604"
                      " ORDER BY seq") == [("С-2", "bill_advance", "p82_10", date(2026, 4, 10), 1_464_000, 264_000),
                                           ("С-3", "bill_advance", "p82_25", date(2026, 4, 27), 1_952_000, 352_000)]
        assert st.scalar("SELECT created_by FROM legal_doc_run WHERE id = 2") == st.user


OPERATOR_REFUSED = ("Недостаточно прав: у пользователя «oleg» (роль «оператор») нет права «docs.issue» "
                    "({name}).")


@pytest.mark.file_only          # the session is set on the store the console is given
@sync
async def test_an_operator_without_docs_issue_gets_the_refusal_and_nothing_is_issued(docs_db):
    from sbyt.core import access

    with open_store(docs_db) as st:
        access.add_user(st, "oleg", "operator")
        name = access.permission_name(st, "docs.issue")
    st = open_store(docs_db)
    st.session = access.user_session(st, "oleg")
    app = SbytConsole(store=st, strict=True, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        pane = await docs_tab(app, pilot)
        assert table(pane) == MARCH                # reading needs no 'docs.issue'
        await pilot.press("i", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert app.errors == [OPERATOR_REFUSED.format(name=name)]
        await pilot.press("escape", "down", "c")    # a correction of the VAT invoice: refused too
        await pilot.press(*"КПП", "enter")
        await settle(app, pilot)
        assert app.errors[1:] == [OPERATOR_REFUSED.format(name=name)]
    with open_store(docs_db) as st:
        assert st.scalar("SELECT count(*) FROM legal_doc") == 3
        assert st.all("SELECT login, permission FROM access_log WHERE event = 'refused'") == \
            [("oleg", "docs.issue"), ("oleg", "docs.issue")]


@pytest.mark.file_only          # starts a server of its own
def test_through_a_server_the_operators_role_decides(docs_db):
    """The console as a client of `sbyt serve` with an operator's token: the server refuses the issue."""
    import importlib.util

    from sbyt.server.address import Target
    from sbyt.server.remote import RemoteBackend

    cli(docs_db, "user", "add", "oleg", "--role", "operator")
    token = cli(docs_db, "user", "token", "oleg").strip()
    spec = importlib.util.spec_from_file_location("sbyt_tests_server_mode", Path(__file__).parents[1] / "server_mode.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    async def drive() -> SbytConsole:
        with module.in_process_server(docs_db) as target:
            app = SbytConsole(backend=RemoteBackend(Target(sock=target.sock, token=token)), today=TODAY)
            async with app.run_test(size=SIZE) as pilot:
                pane = await docs_tab(app, pilot)
                assert table(pane) == MARCH
                await pilot.press("i", "enter")
                await settle(app, pilot)
            return app

    app = asyncio.run(drive())
    with open_store(docs_db) as st:
        name = st.scalar("SELECT name FROM permission WHERE code = 'docs.issue'")
        assert st.scalar("SELECT count(*) FROM legal_doc") == 3
    assert app.errors == [OPERATOR_REFUSED.format(name=name)]


@sync
async def test_a_vat_invoice_is_corrected_from_the_card(docs_db):
    with open_store(docs_db) as st:
        st.execute("UPDATE counterparty_fact SET name = 'ООО «Завод-2»'")        # the buyer's card corrected
    app = SbytConsole(docs_db, strict=True, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        pane = await docs_tab(app, pilot)
        await pilot.press("c")                      # on the penalty bill: not a VAT invoice
        await settle(app, pilot)
        assert app.errors == ["Исправление выписывается к счёту-фактуре или УПД; № С-1 — счёт на оплату пени. "
                              "Для изменения стоимости — перерасчёт и корректировочный счёт-фактура."]
        await pilot.press("escape", "down", "с")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"наименование покупателя", "enter")
        await settle(app, pilot)
        assert status(pane) == ("Выписано исправление № 1 от 03.04.2026 к документу № 1: изменились реквизиты "
                                "(покупатель).")
        rows = table(pane)
        assert rows[1] == ["", "1", "31.03.2026", "03.2026", "48 800,00", "8 800,00", "Счёт-фактура",
                           "№ 1 от 03.04.2026", "не отправлялся"]
        assert rows[2] == MARCH[1]                   # the original stays
        await pilot.press("enter")                   # the cursor stayed on the second row: the correction
        await settle(app, pilot)
        facts = dict(cells(app.screen.query_one("#ldoc-facts", DataTable)))
        assert facts["Документ"] == "Счёт-фактура № 1 от 31.03.2026, исправление № 1 от 03.04.2026"
        assert facts["Покупатель"].startswith("ООО «Завод-2»")


def pages_of(pdf: bytes) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@sync
async def test_marked_documents_are_printed_into_one_pdf_the_operator_confirms(docs_db, tmp_path):
    app = SbytConsole(docs_db, strict=True, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        pane = await docs_tab(app, pilot)
        await pilot.press("p")                      # one document: <kind>_<number>.pdf in the current directory
        assert app.screen.query_one(Input).value == str(Path.cwd() / "bill_penalty_С-1.pdf")
        await pilot.press("escape", "down", "space", "down", "space")
        assert [r[0] for r in table(pane)] == ["", "✓", "✓"]
        await pilot.press("з")
        box = app.screen.query_one(Input)
        assert box.value == str(Path.cwd() / "documents_Д-1.pdf")
        out = tmp_path / "out" / "март.pdf"
        box.value = str(out)
        await pilot.press("enter")
        await settle(app, pilot)
        pdf = out.read_bytes()
        assert pdf.startswith(b"%PDF") and pages_of(pdf) >= 2
        assert status(pane) == f"Напечатано документов: 2, страниц: {pages_of(pdf)} — {out}"
        await pilot.press("space")                  # unmarked: the cursor's document alone
        assert [r[0] for r in table(pane)] == ["", "✓", ""]
        await pilot.press("up", "up", "p")
        assert app.screen.query_one(Input).value == str(Path.cwd() / "sf_1.pdf")   # the one marked


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201
        if address.startswith("refuse@"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp(docs_db):
    """A real SMTP server on localhost and the [smtp] section of the store's sbyt.toml."""
    controller = pytest.importorskip("aiosmtpd.controller")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Mailbox()
    ctl = controller.Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    (docs_db.parent / "sbyt.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nfrom = "docs@sbyt.example"\nstarttls = false\n', encoding="utf-8")
    yield box
    ctl.stop()


@sync
async def test_documents_are_sent_by_email_and_the_delivery_shows(docs_db, smtp):
    with open_store(docs_db) as st:    # the penalty bill's address is refused by the mail server
        st.execute("UPDATE legal_doc SET email = 'refuse@zavod.example' WHERE doc_no = 'С-1'")
    app = SbytConsole(docs_db, strict=True, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        pane = await docs_tab(app, pilot)
        await pilot.press("space", "down", "space", "s")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert status(pane) == ("Документы: отправлено 1, ошибок 1, уже были отправлены ранее 0. Причины ошибок — "
                                "в столбце «Доставка» (и в sbyt docs log).")
        delivery = [r[8] for r in table(pane)]
        assert [r[0] for r in table(pane)] == ["✓", "✓", ""]         # the marks stay
        await pilot.press("ы", "y")                  # again: the sent one is not sent twice, the failed one retried
        await settle(app, pilot)
        assert status(pane).startswith("Документы: отправлено 0, ошибок 1, уже были отправлены ранее 1.")
    with open_store(docs_db, read_only=True) as st:
        when = st.scalar("SELECT max(sent_at) FROM legal_doc_delivery WHERE status = 'sent'")
        reason = st.scalar("SELECT DISTINCT error FROM legal_doc_delivery WHERE status = 'failed'")
    assert reason == "адрес отклонён сервером: 550 5.1.1 Mailbox unavailable"
    assert delivery == [f"e-mail: ошибка — {reason}", f"e-mail: отправлено {when:%d.%m.%Y}", "не отправлялся"]
    ((to, raw),) = smtp.messages
    msg = message_from_bytes(raw, policy=email_policy)
    assert to == ["buh@zavod.example"]
    assert msg["Subject"] == "Счёт-фактура № 1 от 31.03.2026, договор № Д-1"
    (attachment,) = msg.iter_attachments()
    assert attachment.get_filename() == "sf_1_2026-03-31.pdf" and attachment.get_content().startswith(b"%PDF")


def test_documents_tab_snapshot(docs_db, snap_compare):
    """What the operator sees at 80×24 on the tab (keys in the footer)."""
    async def run_before(pilot) -> None:  # noqa: ANN001
        app = pilot.app
        app.animation_level = "none"
        await docs_tab(app, pilot)
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.press("space")
        await settle(app, pilot)

    assert snap_compare(SbytConsole(docs_db, strict=True, today=TODAY), run_before=run_before, terminal_size=(80, 24))
