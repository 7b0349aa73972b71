"""The legal-entity console (F8): a counterparty found by INN, name or contract number, its card
(contracts, objects, points, meters, hourly data, documents, payments) and a contract card with its
lifecycle, checklist and overdue tasks; approval through the dialog. The data is made by the core
services, as an operator would, on the console's store; «today» is 05.12.2026."""

from __future__ import annotations

import asyncio
import functools
import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from textual.widgets import DataTable, Input, Static, TabbedContent

from sbyt.console.app import SbytConsole
from sbyt.console.screens.legal_card import ContractCardScreen, CounterpartyCardScreen
from sbyt.console.screens.legal_search import LegalSearchScreen
from sbyt.console.widgets.dialogs import ConfirmDialog, ErrorDialog
from sbyt.core import contracts as k
from sbyt.core.counterparties import CounterpartyFacts, add_bank_account, add_counterparty, change_counterparty
from sbyt.core.meter_hours import HOURS_SCHEMA, HourFile, import_hours
from sbyt.core.store import open_store

TODAY = date(2026, 12, 5)
SIZE = (80, 24)
ALL = ["register_extract", "authority", "title", "grid_act", "meter_act", "capacity_doc"]


def _hours(file_no: int, code: str, day: date, values: dict[int, int], incomplete: set[int]) -> pa.Table:
    """One day of a channel: 10 000 + 100·h Wh in hour h unless `values` says otherwise."""
    hours = range(1, 25)
    return pa.table({"file_no": [file_no] * 24, "day": [day] * 24, "point_code": [code] * 24, "channel": ["01"] * 24,
                     "hour": list(hours), "value_wh": [values.get(h, 10_000 + 100 * h) for h in hours],
                     "intervals": [1 if h in incomplete else 2 for h in hours], "flag": ["0"] * 24,
                     "complete": [h not in incomplete for h in hours]}, schema=HOURS_SCHEMA)


def build_legal(path: Path) -> None:
    """Three counterparties: ООО «Ромашка» (a signed contract with an object, two points — one a transit
    of the other —, two meters, three days of АСКУЭ data, an amendment; a second contract waiting for
    documents, its notice overdue), ИП Петров (a draft to approve), a school (a protocol of
    disagreements). And a bank payment from the company's INN, unidentified (no legal ledger yet)."""
    from sbyt.console.services import import_payment_file

    with open_store(path) as st:
        add_counterparty(st, "legal", "7736207543", "770401001", "1027700229193",
                         CounterpartyFacts("ООО «Ромашка»", short_name="Ромашка",
                                           legal_address="г. Гатчина, ул. Мира, д. 5", mobile="+7 912 345-67-89",
                                           email="office@romashka.ru", consumer_group="промышленные"),
                         date(2026, 4, 1))
        change_counterparty(st, "7736207543", date(2026, 9, 1), {"email": "buh@romashka.ru"})
        add_bank_account(st, "7736207543", "044525225", "40702810500000001234", date(2026, 4, 1),
                         corr_account="30101810400000000225", bank_name="ПАО Сбербанк")
        k.apply(st, "77-001", "7736207543", "supply", date(2026, 4, 29), ALL)
        k.make_draft(st, "77-001", date(2026, 5, 6))
        k.approve(st, "77-001", date(2026, 5, 7))
        k.sign(st, "77-001", date(2026, 5, 8), date(2026, 6, 1), doc_no="77-001/Д")
        k.add_object(st, "77-001", "OB1", "Магазин", date(2026, 6, 1), address="г. Гатчина, ул. Мира, д. 5")
        k.add_point(st, "OB1", "TP1", date(2026, 6, 1), k.PointFacts("SN2", Decimal(150), 3), grid_company="МРСК")
        k.add_point(st, "OB1", "TP2", date(2026, 6, 1), k.PointFacts("NN", Decimal(15), 1), head_point="TP1")
        k.amend(st, "77-001", "77-001/001", date(2026, 9, 1), date(2026, 10, 1), "TP1", {"max_kw": Decimal(200)})
        k.add_meter(st, "TP1", k.MeterSpec("012345", date(2026, 6, 1), model="Меркурий 234", accuracy="0,5S",
                                           ct_ratio=30, verified=date(2026, 1, 15), verify_years=16,
                                           askue_code="131040001114001", askue_channel="01"))
        k.add_meter(st, "TP2", k.MeterSpec("067890", date(2026, 6, 1), model="СЕ 301", askue_code="131040001114002",
                                           askue_channel="01"))
        days = [date(2026, 11, 1), date(2026, 11, 2), date(2026, 12, 1)]
        files = [HourFile(f"80020_{d:%Y%m%d}.xml", hashlib.sha256(str(d).encode()).hexdigest(), d) for d in days]
        # TP1: hour 10 at 250 kW is over its 200 kW (rejected); hour 5 of 1 November incomplete (substituted)
        import_hours(st, files, pa.concat_tables(
            [_hours(n, "131040001114001", d, {10: 250_000}, {5} if n == 0 else set()) for n, d in enumerate(days)]
            + [_hours(n, "131040001114002", d, {}, set()) for n, d in enumerate(days)]))
        k.apply(st, "77-002", "7736207543", "supply", date(2026, 11, 20), ["register_extract"])

        add_counterparty(st, "sole_trader", "500100732259", None, "304500116000157",
                         CounterpartyFacts("ИП Петров Пётр Иванович", mobile="+79110000001", email="petrov@mail.ru"),
                         date(2026, 10, 1))
        k.apply(st, "78-010", "500100732259", "sale", date(2026, 10, 5), ALL)
        k.make_draft(st, "78-010", date(2026, 10, 12))
        add_counterparty(st, "budget", "4707013298", "470701001", None,
                         CounterpartyFacts("МБОУ «Гатчинская СОШ № 1»", budget_level="local"), date(2026, 3, 1))
        k.apply(st, "50-100", "4707013298", "supply", date(2026, 11, 30), ALL)
        k.make_draft(st, "50-100", date(2026, 12, 1))
        k.disagreement(st, "50-100", date(2026, 12, 2))
        lines = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "РасчСчет=40702810900000000001",
                 "СекцияДокумент=Платежное поручение", "Номер=512", "Дата=06.11.2026", "Сумма=150000.00",
                 "ПлательщикСчет=40702810500000001234", "ПлательщикИНН=7736207543", "Плательщик1=ООО «Ромашка»",
                 "ПолучательСчет=40702810900000000001", "ДатаПоступило=06.11.2026",
                 "НазначениеПлатежа=Оплата за электроэнергию по договору 77-001 за октябрь", "КонецДокумента",
                 "КонецФайла"]
        import_payment_file(st, "vypiska.txt", "\r\n".join(lines).encode("cp1251"), TODAY)


@pytest.fixture
def legal_db(console_db: Path) -> Path:
    build_legal(console_db)
    return console_db


def sync(fn):  # noqa: ANN001, ANN201
    @functools.wraps(fn)
    def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return asyncio.run(fn(*args, **kwargs))
    return run


def make_app(db) -> SbytConsole:  # noqa: ANN001
    return SbytConsole(db, strict=True, today=TODAY)


async def settle(app: SbytConsole, pilot) -> None:  # noqa: ANN001
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def search(app: SbytConsole, pilot, text: str) -> list[list[str]]:  # noqa: ANN001
    box = app.screen.query_one("#legal-input", Input)
    box.value = text
    await pilot.pause(0.4)          # past the typing pause
    await settle(app, pilot)
    return cells(app.screen.query_one("#legal-results", DataTable))


ROMASHKA = ["7736207543", "770401001", "ООО «Ромашка»", "юридическое лицо", "77-001, 77-002"]


@sync
async def test_search_by_inn_name_and_contract_number(legal_db):
    app = make_app(legal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, LegalSearchScreen)
        assert await search(app, pilot, "7736") == [ROMASHKA]
        assert await search(app, pilot, "РОМАШ") == [ROMASHKA]        # any case
        assert await search(app, pilot, "77-002") == [ROMASHKA]
        assert await search(app, pilot, "5001") == [["500100732259", "", "ИП Петров Пётр Иванович",
                                                     "индивидуальный предприниматель", "78-010"]]
        assert [r[0] for r in await search(app, pilot, "о")] == ["500100732259", "4707013298", "7736207543"]   # by name
        assert await search(app, pilot, "нет такого") == []
        assert str(app.screen.query_one("#legal-status", Static).content) == "Ничего не найдено"
        # Enter with one hit opens the card at once
        app.screen.query_one("#legal-input", Input).value = "7736207543"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterpartyCardScreen) and app.screen.data.inn == "7736207543"
        await pilot.press("escape")
        assert isinstance(app.screen, LegalSearchScreen)


@sync
async def test_the_counterparty_card_shows_what_the_store_holds(legal_db):
    app = make_app(legal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f8")
        await search(app, pilot, "ромашка")
        await pilot.press("down", "enter")
        await settle(app, pilot)
        card = app.screen
        assert isinstance(card, CounterpartyCardScreen)
        header = str(card.query_one("#legal-header", Static).content)
        assert header.splitlines() == [
            "ООО «Ромашка»  юридическое лицо",
            "ИНН 7736207543 · КПП 770401001 · ОГРН 1027700229193 · в базе с 01.04.2026",
            "г. Гатчина, ул. Мира, д. 5 · тел. +79123456789 · buh@romashka.ru",
            "Сальдо не ведётся (нет начислений юрлиц) · с ИНН поступило 150\u00a0000,00 ₽ (1)"]

        def table(tid: str) -> list[list[str]]:
            return cells(card.query_one(f"#{tid}", DataTable))

        assert table("cp-contracts-table") == [
            ["77-001", "энергоснабжения", "подписан", "29.04.2026", "29.04.2026", "08.05.2026", "01.06.2026",
             "бессрочно", "", "нет"],
            ["77-002", "энергоснабжения", "заявка", "20.11.2026", "", "", "", "", "", "нет"]]
        assert table("cp-objects-table") == [["77-001", "OB1", "Магазин", "г. Гатчина, ул. Мира, д. 5", "", "",
                                              "01.06.2026", ""]]
        assert table("cp-points-table") == [
            ["77-001", "OB1", "TP1", "", "СН2", "200", "3", "", "01.10.2026", "МРСК", "", ""],
            ["77-001", "OB1", "TP2", "", "НН", "15", "1", "", "01.06.2026", "", "TP1", ""]]
        assert table("cp-meters-table") == [
            ["TP1", "012345", "Меркурий 234", "0,5S", "30", "1", "30", "01.06.2026", "", "15.01.2026", "15.01.2042",
             "0", "131040001114001 / 01"],
            ["TP2", "067890", "СЕ 301", "", "1", "1", "1", "01.06.2026", "", "", "", "0", "131040001114002 / 01"]]
        # TP1 on 1–2 November: 48 hours, hour 10 over 200 kW twice (rejected), hour 5 of the 1st substituted by 0
        # (no day before): kWh = 2·(Σ 10 000 + 100·h over 24 h) − 2·11 000 (hour 10) − 10 500 (hour 5)
        day_wh = sum(10_000 + 100 * h for h in range(1, 25))
        assert day_wh == 270_000
        assert table("cp-hours-table") == [
            ["012345", "11.2026", "48", "45", "1", "2", "507,5"],
            ["012345", "12.2026", "24", "23", "0", "1", "259"],
            ["067890", "11.2026", "48", "48", "0", "0", "540"],
            ["067890", "12.2026", "24", "24", "0", "0", "270"]]
        assert 2 * day_wh - 2 * 11_000 - 10_500 == 507_500
        docs = table("cp-docs-table")
        assert [(r[0], r[1], r[2]) for r in docs] == [
            ("77-001", "29.04.2026", "заявка"), ("77-001", "06.05.2026", "проект договора"),
            ("77-001", "07.05.2026", "согласование"), ("77-001", "08.05.2026", "подписание"),
            ("77-001", "01.09.2026", "дополнительное соглашение"), ("77-002", "20.11.2026", "заявка")]
        assert docs[4][3:6] == ["77-001/001", "01.10.2026", "max_kw: 200; point: TP1"]
        assert [r[:2] + r[7:8] for r in table("cp-facts-table")] == [
            ["01.04.2026", "01.09.2026", "office@romashka.ru"], ["01.09.2026", "", "buh@romashka.ru"]]
        assert table("cp-banks-table") == [["044525225", "ПАО Сбербанк", "40702810500000001234",
                                            "30101810400000000225", "01.04.2026", ""]]
        assert table("cp-payments-table") == [["06.11.2026", "150\u00a0000,00", "по договору", "77-001", "512",
                                               "Оплата за электроэнергию по договору 77-001 за октябрь"]]
        assert "сальдо не рассчитывается" in str(card.query_one("#cp-ledger-note", Static).content)
        await pilot.press("8")
        assert card.query_one(TabbedContent).active == "cp-payments"
        # Enter on a contract: its card
        await pilot.press("1")
        card.query_one("#cp-contracts-table", DataTable).focus()
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ContractCardScreen) and app.screen.data.contract.number == "77-002"


@sync
async def test_the_contract_card_lists_missing_documents_and_overdue_tasks(legal_db):
    app = make_app(legal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ContractCardScreen("77-002"))
        await settle(app, pilot)
        card = app.screen
        header = str(card.query_one("#legal-header", Static).content).splitlines()
        assert header[0] == "Договор № 77-002 энергоснабжения · заявка"
        assert header[1] == "ООО «Ромашка» · ИНН 7736207543/770401001"
        assert header[2] == "заявка 20.11.2026 · оплата п. 82"
        assert header[3] == ("Не хватает (5): полномочия подписанта, право на энергопринимающие устройства, акт о "
                             "техприсоединении и АРБП, акт допуска прибора учёта, документ о максимальной мощности")
        items = cells(card.query_one("#ct-items-table", DataTable))
        assert items[:3] == [["заявление", "да", "20.11.2026"], ["выписка из ЕГРЮЛ/ЕГРИП", "да", "20.11.2026"],
                             ["полномочия подписанта", "да", "не получен"]]
        assert items[6] == ["акт аварийной и технологической брони", "нет", "не получен"]
        # applied Friday 20.11.2026 + 5 working days = Friday 27.11; on 05.12 overdue by 8 days
        assert cells(card.query_one("#ct-tasks-table", DataTable)) == [
            ["направить уведомление о недостающих документах", "27.11.2026", "просрочено 8 дн."]]
        await pilot.press("escape")
        app.push_screen(ContractCardScreen("50-100"))
        await settle(app, pilot)
        assert cells(app.screen.query_one("#ct-tasks-table", DataTable)) == [
            ["ответить на протокол разногласий", "16.12.2026", "осталось 11 дн."]]
        app.push_screen(ContractCardScreen("77-001"))
        await settle(app, pilot)
        card = app.screen
        assert cells(card.query_one("#ct-tasks-table", DataTable)) == []
        assert [r[2] for r in cells(card.query_one("#ct-points-table", DataTable))] == ["TP1", "TP2"]
        await pilot.press("a")                  # a signed contract is not approved again
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert app.errors == ["Договор № 77-001 в состоянии «подписан»: согласовать можно проект или договор "
                              "с протоколом разногласий."]


@sync
async def test_a_draft_is_approved_from_its_card(legal_db):
    app = make_app(legal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ContractCardScreen("78-010"))
        await settle(app, pilot)
        await pilot.press("ф")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        card = app.screen
        assert isinstance(card, ContractCardScreen) and card.data.contract.state == "approved"
        assert [r[1] for r in cells(card.query_one("#ct-docs-table", DataTable))] == [
            "заявка", "проект договора", "согласование"]
        assert cells(card.query_one("#ct-docs-table", DataTable))[2][0] == "05.12.2026"
    with open_store(legal_db) as st:
        assert st.scalar("SELECT state FROM contract WHERE number = '78-010'") == "approved"
        assert st.scalar("SELECT json_extract_string(new_value, '$.doc') FROM audit_log WHERE entity = 'contract'"
                         " AND entity_id = '78-010' ORDER BY id DESC LIMIT 1") == "approval"


def test_a_session_without_personal_data_sees_a_sole_trader_masked(legal_db):
    """An analyst (no 'pd.read'): the sole trader's name and every mobile number masked, the company's
    name as it is; an administrator's view of the sole trader's card is logged (152-ФЗ)."""
    from sbyt.core import access
    from sbyt.core.legal_cards import contract_card, counterparty_card, find_counterparties

    with open_store(legal_db) as st:
        access.add_user(st, "anna", "analyst")
        petrov = find_counterparties(st, "500100732259", TODAY)[0].counterparty_id
        assert counterparty_card(st, petrov, TODAY).facts.name == "ИП Петров Пётр Иванович"
        assert st.all("SELECT event, subject FROM access_log WHERE event = 'pd_view'") == \
            [("pd_view", "ИНН 500100732259")]
        st.session = access.user_session(st, "anna")
        assert [h.name for h in find_counterparties(st, "о", TODAY)] == [
            "ИП П*** П. И.", "МБОУ «Гатчинская СОШ № 1»", "ООО «Ромашка»"]   # found by the real name
        card = counterparty_card(st, petrov, TODAY)
        assert (card.facts.name, card.facts.mobile) == ("ИП П*** П. И.", "***01")
        assert contract_card(st, "78-010", TODAY).name == "ИП П*** П. И."
        company = counterparty_card(st, 1, TODAY).facts
        assert (company.name, company.mobile) == ("ООО «Ромашка»", "***89")
        assert st.scalar("SELECT count(*) FROM access_log WHERE event = 'pd_view'") == 1
