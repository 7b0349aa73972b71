"""The server process: owns the DuckDB file, identifies each client, runs its commands as jobs.

Transport: HTTP/1.1 (Starlette on uvicorn) over a Unix socket beside the store and, if asked, over
TCP. Over the socket the client is the peer's OS login (SO_PEERCRED: an SSH user needs no
password); over TCP it is the user of a token (`sbyt user token LOGIN`, `Authorization: Bearer`).
A token sent over the socket identifies its user too.

Endpoints:
- `POST /run` `{"argv": [...], "stdin": "...", "cwd": "...", "files": {path: base64}}` — one `sbyt`
  command line, run as a job on the server's store with the client's session and the files its
  command line names (`sbyt.console.cli.files`); answers `{"exit_code", "stdout", "stderr", "files"}`
  with the files the command wrote for the client.
- `POST /call` `{"service": name, "args": [...], "kwargs": {...}}` — one of the console's services
  (`sbyt.console.services.SERVICES`, nothing else) with the client's session, arguments in the
  wire format of `sbyt.server.wire`; answers NDJSON lines: `{"progress": n, "args": [...]}` for
  each call of a callback argument, then `{"result": pickle}`, `{"error": {...}}` (a service's
  refusal) or `{"defect": traceback}`. The console's long services run as jobs.
- `GET /health` — the store and the process.
Commands only: there is no endpoint for raw SQL writes (`sbyt sql` stays read-only).
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import getpass
import json
import os
import pickle
import pwd
import socket
import struct
import traceback
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from sbyt.console.cli.files import ClientFiles
from sbyt.core import access, jobs
from sbyt.core.errors import RefusedError, SbytError, StoreError
from sbyt.core.store import Store, open_store
from sbyt.server import wire
from sbyt.server.address import LOCAL_ONLY
from sbyt.server.runner import install_routers, run_command


class PeerProtocol(H11Protocol):
    """uvicorn's h11 protocol that records the OS user of a Unix-socket peer as the client
    address `("unix:UID", PID)`, which TCP clients cannot forge."""

    def connection_made(self, transport: Any) -> None:      # noqa: ANN401 - asyncio's transport
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family == socket.AF_UNIX:
            pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                                  struct.calcsize("3i")))
            self.client = (f"unix:{uid}", pid)


class Server:
    def __init__(self, store: Store, command: Any) -> None:    # noqa: ANN401 - click's command
        self.root = store
        self.command = command
        self._known: dict[str, tuple[int, Any]] = {}    # login or token digest -> (access.changes(), what)
        install_routers()

    def _cached(self, key: str, load: Any) -> Any:     # noqa: ANN401
        """`load()` once until users, roles or tokens change (`access.changes`); a refusal is not kept."""
        seen = self._known.get(key)
        if seen is not None and seen[0] == access.changes():
            return seen[1]
        changes = access.changes()
        value = load()
        self._known[key] = (changes, value)
        return value

    def _session(self, request: Request, argv: list[str]) -> access.Session:
        host = request.client.host if request.client else ""
        auth = request.headers.get("authorization", "")
        peer = f"{host}:{request.client.port}" if request.client else None
        cmd = " ".join(argv)
        reader: Store | None = None

        def store() -> Store:
            nonlocal reader
            reader = reader or self._store(True, None)
            return reader

        try:
            if auth.startswith("Bearer "):
                token = auth[7:].strip()
                login = self._cached("token:" + access.token_digest(token), lambda: access.token_login(store(), token))
                if login is None:
                    self._known.pop("token:" + access.token_digest(token), None)
                    access.log(store(), "?", "refused", None, cmd, "неверный токен", peer)
                    raise access.AccessDenied("Неверный или отозванный токен.")
            elif host.startswith("unix:"):
                uid = int(host[5:])
                try:
                    login = pwd.getpwuid(uid).pw_name
                except KeyError:
                    login = str(uid)
            else:
                raise access.AccessDenied("Нужен токен: «sbyt user token ЛОГИН», заголовок Authorization: Bearer.")
            known = self._cached("user:" + login, lambda: access.user_session(store(), login, command=cmd, peer=peer))
            return dataclasses.replace(known, command=cmd, peer=peer)
        finally:
            if reader is not None:
                reader.con.close()

    def _store(self, read_only: bool, session: access.Session | None) -> Store:
        con = self.root.con.cursor()
        con.execute("SET enable_progress_bar = false")
        return Store(con, self.root.path, session.login if session else self.root.user, read_only, session)

    def _run(self, request: Request, argv: list[str], stdin: str, client: ClientFiles) -> dict[str, Any]:
        try:
            session = self._session(request, argv)
        except SbytError as exc:
            return {"exit_code": exc.exit_code, "stdout": "", "stderr": f"Ошибка: {exc.message}\n"}
        if argv and argv[0] in LOCAL_ONLY:
            return {"exit_code": 3, "stdout": "",
                    "stderr": f"Ошибка: команда «sbyt {argv[0]}» выполняется без сервера; остановите сервер.\n"}
        with jobs.job(session.login, session.command or "") as job:
            bound = dataclasses.replace(session, job_id=job.id)
            outcome = run_command(self.command, argv, stdin, lambda ro: self._store(ro, bound), client)
            job.exit_code = outcome.exit_code
        return {"exit_code": outcome.exit_code, "stdout": outcome.stdout, "stderr": outcome.stderr,
                "files": {p: base64.b64encode(data).decode() for p, data in outcome.files.items()}}

    async def run(self, request: Request) -> JSONResponse:
        body = await request.json()
        argv = [str(a) for a in body.get("argv", [])]
        client = ClientFiles(Path(body.get("cwd") or "/"),
                             {str(p): base64.b64decode(d) for p, d in (body.get("files") or {}).items()})
        result = await run_in_threadpool(self._run, request, argv, str(body.get("stdin") or ""), client)
        return JSONResponse(result)

    def _call(self, request: Request, body: dict[str, Any], send: Any) -> dict[str, Any]:   # noqa: ANN401
        """One console service for the client; `send(line)` streams its progress."""
        from sbyt.console import services

        name = str(body.get("service") or "")
        func = services.SERVICES.get(name)
        try:
            if func is None:
                raise RefusedError(f"Консоль запросила неизвестную службу «{name}»")
            session = self._session(request, ["console", func.__name__])
            long = name in services.LONG

            def callback(n: int) -> Any:        # noqa: ANN401
                return lambda *a: send({"progress": n, "args": wire.encode(list(a))})

            args = wire.decode(body.get("args") or [], services.TYPES, callback)
            kwargs = {str(k): wire.decode(v, services.TYPES, callback) for k, v in (body.get("kwargs") or {}).items()}
            with jobs.job(session.login, session.command or "") if long else nullcontext() as job:
                bound = dataclasses.replace(session, job_id=job.id if job else None)
                store = self._store(False, bound)
                try:
                    result = func(store, *args, **kwargs)
                finally:
                    store.con.close()
                if job:
                    job.exit_code = 0
        except SbytError as exc:
            return {"error": {"kind": type(exc).__name__, "message": exc.message, "exit_code": exc.exit_code}}
        except Exception:                  # a defect: the console shows it, the server goes on
            return {"defect": traceback.format_exc()}
        return {"result": base64.b64encode(pickle.dumps(result)).decode()}

    async def call(self, request: Request) -> StreamingResponse:
        body = await request.json()
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()

        def send(line: dict[str, Any]) -> None:
            loop.call_soon_threadsafe(lines.put_nowait, line)

        async def work() -> None:
            try:
                await lines.put(await run_in_threadpool(self._call, request, body, send))
            finally:
                await lines.put(None)

        async def stream():  # noqa: ANN202 - an async generator of NDJSON lines
            task = asyncio.ensure_future(work())
            while (line := await lines.get()) is not None:
                yield json.dumps(line, ensure_ascii=False) + "\n"
            await task

        return StreamingResponse(stream(), media_type="application/x-ndjson")

    async def health(self, request: Request) -> JSONResponse:
        return JSONResponse({"db": str(self.root.path), "pid": os.getpid(), "jobs": len(jobs.listing())})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/run", self.run, methods=["POST"]), Route("/call", self.call, methods=["POST"]),
                                 Route("/health", self.health, methods=["GET"])])


def open_served(db: Path) -> tuple[Store, bool]:
    """The store a server owns, with the OS user of the process as its administrator (and whether
    that user was registered just now); a file another process holds is refused clearly."""
    try:
        store = open_store(db, create=False)
    except StoreError as exc:
        if "lock" in exc.message.lower():
            raise RefusedError(f"База {db} уже открыта другим процессом: второй сервер (или программа) на тот же "
                               "файл не запускается. Подробности: " + exc.message) from None
        raise
    store.session = access.local_session(store)
    return store, access.ensure_admin(store, getpass.getuser())


def uvicorn_server(server: Server) -> uvicorn.Server:
    config = uvicorn.Config(server.app(), http=PeerProtocol, lifespan="off", log_level="warning",
                            access_log=False, timeout_keep_alive=60)
    return uvicorn.Server(config)


SOCKET_PATH_MAX = 107
"""Bytes of a Unix socket's path that Linux accepts (sun_path is 108 bytes with its terminating zero)."""


def check_socket_path(path: Path) -> None:
    if len(str(path).encode()) > SOCKET_PATH_MAX:
        raise RefusedError(f"Путь к сокету сервера слишком длинный ({len(str(path).encode())} байт, допустимо "
                           f"{SOCKET_PATH_MAX}): {path}. Сокет создаётся рядом с базой — перенесите базу в каталог "
                           "с более коротким путём.")


def unix_socket(path: Path) -> socket.socket:
    check_socket_path(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(path))
    os.chmod(path, 0o666)       # anyone on the machine may connect; who they are decides what they may do
    s.listen(512)
    return s


def tcp_socket(host: str, port: int) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(512)
    return s


def serve_forever(server: Server, sockets: list[socket.socket]) -> None:
    asyncio.run(uvicorn_server(server).serve(sockets=sockets))
