"""`sbyt counterparty ...`: counterparties of legal-entity contracts (requisites checked)."""

from __future__ import annotations

import typer

from sbyt.console.cli import common
from sbyt.core import counterparties as svc
from sbyt.core import clock
from sbyt.core.errors import SbytError

sub = typer.Typer(name="counterparty", help="Контрагенты (юридические лица, ИП, УК, бюджетные организации): "
                                            "реквизиты с проверкой контрольных чисел, сведения на дату.",
                  no_args_is_help=True)

DATE_HELP = "Дата, с которой действуют сведения (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)."
KIND_HELP = "Вид: legal — юрлицо, sole_trader — ИП, manager — УК/ТСЖ/ЖСК, budget — бюджетная организация."


def _fields(name: str | None, short: str | None, address: str | None, postal: str | None, mobile: str | None,
            email: str | None, budget: str | None, financing: str | None, group: str | None) -> dict:
    given = {"name": name, "short_name": short, "legal_address": address, "postal_address": postal,
             "mobile": mobile, "email": email, "budget_level": budget, "financing_group": financing,
             "consumer_group": group}
    return {k: v for k, v in given.items() if v is not None}


NAME = typer.Option(None, "--name", help="Полное наименование (как в ЕГРЮЛ/ЕГРИП).")
SHORT = typer.Option(None, "--short", help="Краткое наименование.")
ADDRESS = typer.Option(None, "--address", help="Юридический адрес.")
POSTAL = typer.Option(None, "--postal", help="Почтовый адрес.")
MOBILE = typer.Option(None, "--mobile", help="Мобильный телефон для уведомлений об ограничении.")
EMAIL = typer.Option(None, "--email", help="Адрес электронной почты для уведомлений.")
BUDGET = typer.Option(None, "--budget", help="Уровень бюджета: federal, regional, local.")
FINANCING = typer.Option(None, "--financing", help="Группа финансирования.")
GROUP = typer.Option(None, "--group", help="Группа потребителей для статистической отчётности.")


@sub.command("add", help="Новый контрагент: ИНН, КПП, ОГРН проверяются по контрольным числам.")
def add(inn: str = typer.Argument(..., help="ИНН."),
        kind: str = typer.Option("legal", "--kind", help=KIND_HELP),
        kpp: str = typer.Option(None, "--kpp", help="КПП (у организаций)."),
        ogrn: str = typer.Option(None, "--ogrn", help="ОГРН (13 цифр) или ОГРНИП (15 цифр)."),
        on: str = typer.Option(None, "--date", help=DATE_HELP + " По умолчанию — сегодня."),
        manager: str = typer.Option(None, "--manager", help="Код управляющей организации (для вида manager)."),
        name: str = NAME, short: str = SHORT, address: str = ADDRESS, postal: str = POSTAL, mobile: str = MOBILE,
        email: str = EMAIL, budget: str = BUDGET, financing: str = FINANCING, group: str = GROUP) -> None:
    kind = common.code_arg("counterparty_kind", kind, "Вид контрагента")
    given = _fields(name, short, address, postal, mobile, email, budget, financing, group)
    if "name" not in given:
        raise SbytError("Укажите наименование контрагента (--name).")
    day = common.date_arg(on) or clock.today()
    with common.store() as st:
        svc.add_counterparty(st, kind, inn, kpp, ogrn, svc.CounterpartyFacts(**given), day, manager_code=manager)
    common.err(f"Контрагент ИНН {inn} добавлен (сведения с {day:%d.%m.%Y}).")


@sub.command("change", help="Изменить сведения контрагента с даты (наименование, адреса, телефон, почта, группы).")
def change(key: str = typer.Argument(..., help="ИНН или ИНН/КПП."),
           on: str = typer.Option(..., "--date", help=DATE_HELP),
           name: str = NAME, short: str = SHORT, address: str = ADDRESS, postal: str = POSTAL, mobile: str = MOBILE,
           email: str = EMAIL, budget: str = BUDGET, financing: str = FINANCING, group: str = GROUP) -> None:
    changes = _fields(name, short, address, postal, mobile, email, budget, financing, group)
    if not changes:
        raise SbytError("Укажите, что меняется (например --mobile, --email, --name).")
    day = common.date_arg(on)
    with common.store() as st:
        svc.change_counterparty(st, key, day, changes)
    common.err(f"Сведения контрагента {key} изменены с {day:%d.%m.%Y}.")


@sub.command("bank", help="Банковский счёт контрагента: БИК и ключ счёта проверяются.")
def bank(key: str = typer.Argument(..., help="ИНН или ИНН/КПП."),
         bik: str = typer.Option(..., "--bik", help="БИК банка."),
         account: str = typer.Option(..., "--account", help="Расчётный счёт (20 цифр)."),
         corr: str = typer.Option(None, "--corr", help="Корреспондентский счёт банка."),
         bank_name: str = typer.Option(None, "--bank", help="Наименование банка."),
         on: str = typer.Option(None, "--date", help=DATE_HELP + " По умолчанию — сегодня.")) -> None:
    day = common.date_arg(on) or clock.today()
    with common.store() as st:
        svc.add_bank_account(st, key, bik, account, day, corr_account=corr, bank_name=bank_name)
    common.err(f"Счёт {account} контрагента {key} записан с {day:%d.%m.%Y}.")


@sub.command("find", help="Поиск контрагента по ИНН (началу), части наименования или номеру договора.")
def find(text: str = typer.Argument(..., help="ИНН, часть наименования или номер договора."),
         fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store(read_only=True) as st:
        rows = svc.search(st, text)
    if not rows:
        raise SbytError(f"Контрагенты по запросу «{text}» не найдены.")
    common.emit(["ИНН", "КПП", "Наименование", "Вид", "Договоры"], rows, fmt,
                codes={"Вид": "counterparty_kind"})


def register(app: typer.Typer) -> None:
    app.add_typer(sub)
