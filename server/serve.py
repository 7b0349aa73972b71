"""`sbyt serve`: start the server of a store (registered on the `sbyt` app by importing this module)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import typer

from sbyt.console.cli import common
from sbyt.console.cli.main import app
from sbyt.core import access
from sbyt.core.errors import RefusedError, StoreError
from sbyt.core.store import open_store, resolve_db_path
from sbyt.server.address import alive, socket_path
from sbyt.server.app import Server, serve_forever, tcp_socket, unix_socket


@app.command("serve", help="Запустить сервер базы: один процесс владеет файлом, пользователи работают через "
                           "сокет рядом с базой (по логину ОС) и по HTTP (по токену).")
def serve(
    socket_opt: str = typer.Option(None, "--socket", metavar="PATH", help="Сокет (по умолчанию — рядом с базой: "
                                                                        "ФАЙЛ.duckdb.sock)."),
    http: str = typer.Option(None, "--http", metavar="HOST:PORT", help="Ещё и HTTP на этом адресе."),
) -> None:
    db = resolve_db_path(common.STATE.db).resolve()
    sock = socket_path(db) if socket_opt is None else Path(socket_opt).resolve()
    if alive(sock):
        raise RefusedError(f"Сервер базы {db} уже запущен (сокет {sock}).")
    try:
        store = open_store(db, create=False)
    except StoreError as exc:
        if "lock" in exc.message.lower():
            raise RefusedError(f"База {db} уже открыта другим процессом: второй сервер (или программа) на тот же "
                               "файл не запускается. Подробности: " + exc.message) from None
        raise
    login = getpass.getuser()
    store.session = access.local_session(store)
    if access.ensure_admin(store, login):
        common.err(f"Пользователь ОС «{login}» зарегистрирован администратором.")
    if sock.exists():
        sock.unlink()               # left by a server that was killed
    sockets = [unix_socket(sock)]
    if http:
        host, _, port = http.rpartition(":")
        sockets.append(tcp_socket(host or "127.0.0.1", int(port)))
    command = typer.main.get_command(app)
    common.err(f"Сервер sbyt: база {db}, сокет {sock}" + (f", HTTP {http}" if http else "") + f", PID {os.getpid()}.")
    try:
        serve_forever(Server(store, command), sockets)
    finally:
        if sock.exists():
            sock.unlink()
        store.close()
