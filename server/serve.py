"""`sbyt serve`: start the server of a store (registered on the `sbyt` app by importing this module)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import typer

from sbyt.console.cli import common
from sbyt.console.cli.bench import bench_app
from sbyt.console.cli.main import app
from sbyt.core.errors import RefusedError, StoreError
from sbyt.core.store import resolve_db_path
from sbyt.server.address import alive, socket_path
from sbyt.server.app import Server, check_socket_path, open_served, serve_forever, tcp_socket, unix_socket


@app.command("serve", help="Запустить сервер базы: один процесс владеет файлом, пользователи работают через "
                           "сокет рядом с базой (по логину ОС) и по HTTP (по токену).")
def serve(
    socket_opt: str = typer.Option(None, "--socket", metavar="PATH", help="Сокет (по умолчанию — рядом с базой: "
                                                                        "ФАЙЛ.duckdb.sock)."),
    http: str = typer.Option(None, "--http", metavar="HOST:PORT", help="Ещё и HTTP на этом адресе."),
) -> None:
    db = resolve_db_path(common.STATE.db).resolve()
    sock = socket_path(db) if socket_opt is None else Path(socket_opt).resolve()
    check_socket_path(sock)
    if alive(sock):
        raise RefusedError(f"Сервер базы {db} уже запущен (сокет {sock}).")
    store, registered = open_served(db)
    if registered:
        common.err(f"Пользователь ОС «{getpass.getuser()}» зарегистрирован администратором.")
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


@bench_app.command("serve", help="Замер сервера: CLIENTS клиентов SECONDS секунд читают карточки и вводят показания "
                                 "и оплаты — без расчёта и во время расчёта; JSON: записей в секунду, p50/p95 "
                                 "задержки карточки и ввода показания.")
def bench_serve_command(
    db: str = typer.Option("bench.duckdb", "--db", metavar="PATH", help="Демо-база (её копия; «sbyt bench --keep»)."),
    clients: int = typer.Option(20, "--clients", min=1, help="Число клиентов (процессов)."),
    seconds: float = typer.Option(30, "--seconds", min=1, help="Длительность каждой фазы, с."),
) -> None:
    from sbyt.server.bench import bench_serve, main_json

    path = Path(db)
    if not path.exists():
        raise StoreError(f"Файл базы не найден: {path}. Постройте её: «sbyt bench --accounts 1000000 --db {path}».")
    print(main_json(bench_serve(path, clients, seconds)))
