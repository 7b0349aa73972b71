"""`sbyt user add|list|role|disable|enable|token|roles`: users of the server and their roles."""

from __future__ import annotations

import typer

from sbyt.console.cli import common
from sbyt.core import access

user = typer.Typer(name="user", help="Пользователи и роли (для работы через сервер «sbyt serve»).",
                   no_args_is_help=True)


@user.command("add", help="Зарегистрировать пользователя: логин ОС (через сокет сервера он входит без пароля) "
                          "и его роль.")
def add(login: str = typer.Argument(..., metavar="LOGIN", help="Логин ОС."),
        role: str = typer.Option(..., "--role", metavar="РОЛЬ", help="Роль: код или название («sbyt user roles»)."),
        name: str = typer.Option(None, "--name", metavar="ФИО", help="ФИО сотрудника.")) -> None:
    with common.store() as st:
        access.add_user(st, login, role, name)
    common.err(f"Пользователь «{login}» добавлен.")


@user.command("list", help="Пользователи: логин, ФИО, роль, отключён ли, действующих токенов.")
def list_(fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store() as st:
        rows = access.users(st)
    common.emit(["Логин", "ФИО", "Роль", "Название роли", "Отключён", "Токенов"],
                [(r[0], r[1], r[2], r[3], "да" if r[4] else "нет", r[5]) for r in rows], fmt)


@user.command("roles", help="Роли и их права.")
def roles(fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store() as st:
        rows = access.roles(st)
    common.emit(["Роль", "Название", "Права"], rows, fmt)


@user.command("role", help="Сменить роль пользователя.")
def role(login: str = typer.Argument(..., metavar="LOGIN"),
         new_role: str = typer.Argument(..., metavar="РОЛЬ")) -> None:
    with common.store() as st:
        access.set_role(st, login, new_role)
    common.err(f"Роль пользователя «{login}»: {new_role}.")


@user.command("disable", help="Отключить пользователя (его токены отзываются).")
def disable(login: str = typer.Argument(..., metavar="LOGIN")) -> None:
    with common.store() as st:
        access.set_disabled(st, login, True)
    common.err(f"Пользователь «{login}» отключён.")


@user.command("enable", help="Снова включить отключённого пользователя.")
def enable(login: str = typer.Argument(..., metavar="LOGIN")) -> None:
    with common.store() as st:
        access.set_disabled(st, login, False)
    common.err(f"Пользователь «{login}» включён.")


@user.command("token", help="Выдать пользователю токен для HTTP (показывается один раз).")
def token(login: str = typer.Argument(..., metavar="LOGIN")) -> None:
    with common.store() as st:
        print(access.new_token(st, login))


def register(app: typer.Typer) -> None:
    app.add_typer(user)
