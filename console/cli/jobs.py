"""`sbyt jobs`: what the server runs now and ran last, with progress."""

from __future__ import annotations

from datetime import datetime

import typer

from sbyt.console.cli import common
from sbyt.core import jobs as svc

STATES = {"running": "выполняется", "done": "готово", "failed": "ошибка"}


def jobs(fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    me = svc.current()
    rows = [(j.id, j.login, j.command, datetime.fromtimestamp(j.started).replace(microsecond=0),
             STATES.get(j.state, j.state), j.stage, f"{j.fraction * 100:.0f} %",
             "" if j.exit_code is None else j.exit_code)
            for j in svc.listing() if me is None or j.id != me.id]
    if me is None:
        common.err("Сервер не запущен: задания выполняются только в сервере («sbyt serve»).")
    common.emit(["№", "Пользователь", "Команда", "Начато", "Состояние", "Этап", "Готово", "Код выхода"], rows, fmt)


def register(app: typer.Typer) -> None:
    app.command("jobs", help="Задания сервера: что выполняется (с ходом работы) и что выполнялось недавно.")(jobs)
