"""`sbyt contract recon | recon-signed`: the reconciliation act of a contract (or of all contracts of
a counterparty) for a date range — PDF, XLSX or the table — and the record that the consumer signed
it. The commands join the `contract` group: `console/cli/contract.py` calls `add_commands(sub)`."""

from __future__ import annotations

from pathlib import Path

import typer

from sbyt.console.cli import common
from sbyt.core.errors import SbytError
from sbyt.core.legal_payments import record_recon_signed
from sbyt.core.money import format_rub


def add_commands(sub: typer.Typer) -> None:
    """Add recon and recon-signed to the `contract` group (once)."""
    if any(c.name == "recon" for c in sub.registered_commands):
        return

    @sub.command("recon", help="Акт сверки взаимных расчётов по договору (или по всем договорам контрагента, "
                               "--inn) за период: сальдо на начало, начисления с документами отгрузки, перерасчёты, "
                               "пени, оплаты, обороты, сальдо на конец; PDF и/или XLSX.")
    def recon(number: str = typer.Argument(None, help="Номер договора (или --inn)."),
              inn: str = typer.Option(None, "--inn", help="ИНН контрагента: все его договоры."),
              date_from: str = typer.Option(..., "--from", help="Начало периода (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)."),
              date_to: str = typer.Option(..., "--to", help="Конец периода."),
              pdf: str = typer.Option(None, "--pdf", help="Записать PDF в файл.", metavar="FILE"),
              xlsx: str = typer.Option(None, "--xlsx", help="Записать XLSX в файл.", metavar="FILE"),
              fmt: common.Fmt = common.FORMAT_OPTION) -> None:
        from sbyt.console.cli import files
        from sbyt.reports.recon_act import as_rows, recon_act, recon_pdf, recon_xlsx

        if not number and not inn:
            raise SbytError("Укажите номер договора или ИНН контрагента (--inn).")
        with common.store(read_only=True) as st:
            a = recon_act(st, number, common.date_arg(date_from), common.date_arg(date_to), inn=inn)
        if pdf:
            files.write(Path(pdf), recon_pdf(a))
            common.err(f"Акт сверки {a.title}: PDF в {pdf}.")
        if xlsx:
            files.write(Path(xlsx), recon_xlsx(a))
            common.err(f"Акт сверки {a.title}: XLSX в {xlsx}.")
        if not pdf and not xlsx:
            common.emit(["Дата", "Документ", "Дебет, ₽", "Кредит, ₽"], as_rows(a), fmt,
                        title=f"Акт сверки {a.title} за {a.date_from:%d.%m.%Y}–{a.date_to:%d.%m.%Y}")
            if fmt is common.Fmt.table:
                common.err(a.in_favour())

    @sub.command("recon-signed", help="Отметить, что потребитель подписал акт сверки (подписанный уполномоченным "
                                      "лицом акт прерывает срок исковой давности, ГК РФ ст. 203).")
    def recon_signed(number: str = typer.Argument(..., help="Номер договора."),
                     date_to: str = typer.Option(..., "--to", help="Последний день акта сверки."),
                     date_from: str = typer.Option(None, "--from", help="Первый день акта сверки."),
                     signed_on: str = typer.Option(..., "--signed-on", help="Дата подписания потребителем."),
                     signer: str = typer.Option(..., "--signer", help="Кто подписал: «ФИО, должность»."),
                     authorised: bool = typer.Option(False, "--authorised/--not-authorised",
                                                     help="Полномочия подписавшего подтверждены (устав, доверенность).")
                     ) -> None:
        to, on = common.date_arg(date_to), common.date_arg(signed_on)
        with common.store() as st:
            rid, bal = record_recon_signed(st, number, to, on, signer, authorised, common.date_arg(date_from))
        who = "уполномоченным лицом" if authorised else "лицом без подтверждённых полномочий (давность не прерывается)"
        common.err(f"Акт сверки № {rid} по договору № {number} на {to:%d.%m.%Y} подписан "
                   f"{on:%d.%m.%Y} {who}: {signer}; сальдо {format_rub(bal)} ₽.")
