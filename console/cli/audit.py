"""`sbyt audit`: the audit trail of changes (who, when, which command, what, old -> new); `--access`
shows the access log instead (refusals, views of personal data)."""

from __future__ import annotations

import typer

from sbyt.console.cli import common
from sbyt.core import audit as svc


def audit(account: str = typer.Option(None, "--account", metavar="ЛС", help="Изменения по лицевому счёту."),
          user: str = typer.Option(None, "--user", metavar="LOGIN", help="Изменения пользователя."),
          since: str = typer.Option(None, "--since", metavar="ДАТА", help="С этой даты."),
          access_log: bool = typer.Option(False, "--access", help="Журнал доступа: отказы в правах и просмотры "
                                                                  "персональных данных."),
          fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store() as st:
        if access_log:
            rows = svc.access_events(st, user=user, since=common.date_arg(since))
            common.emit(["№", "Когда", "Пользователь", "Событие", "Право", "Команда", "Чьи данные / что", "Откуда"],
                        rows, fmt)
            return
        rows = svc.changes(st, account=account, user=user, since=common.date_arg(since))
    common.emit(["№", "Когда", "Пользователь", "Команда", "Действие", "Объект", "Ключ", "Было", "Стало"], rows, fmt)


def register(app: typer.Typer) -> None:
    app.command("audit", help="Журнал изменений: кто, когда, какой командой, что и как изменил "
                              "(только добавляется, не правится).")(audit)
