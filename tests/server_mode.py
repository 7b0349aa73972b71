"""The suite's CLI tests against a server too (issue 12: every command works in both modes).

In the «server» mode of a CLI test (`cli_mode` in conftest), `CliRunner.invoke` of the `sbyt` app
does what the `sbyt` program does when a server runs for the store: the command line goes to a
server over its Unix socket — identity from the peer's credentials, the files it names sent along,
the files it wrote written back — and runs there as a job on the server's connection. The server
is the real one (`sbyt.server.app`, uvicorn, the same routes), started in this process on the
store for the one command and stopped after it, so that the test may open the file between
commands as it does without a server. Commands that run without a server only (`LOCAL_ONLY`), and
invocations naming no existing store, run as they are.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
import uvicorn
from click.testing import Result
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.location import resolve_db_path
from sbyt.server.address import LOCAL_ONLY, Target, db_from_argv
from sbyt.server.app import Server, open_served, unix_socket, uvicorn_server
from sbyt.server.client import execute
from sbyt.server.main import strip_db

ORIGINAL_INVOKE = CliRunner.invoke


def sbyt_command() -> Any:  # noqa: ANN401
    """The click command of the `sbyt` app, built once (as `sbyt serve` builds it once for all its
    jobs): typer rebuilds it on every call, ~50 ms a command of a test."""
    global _COMMAND
    if _COMMAND is None:
        _COMMAND = typer.main.get_command(app)
    return _COMMAND


_COMMAND = None


class QuickStopServer(uvicorn.Server):
    """uvicorn's server, stopping as soon as it is told to: uvicorn polls its exit flag every 0.1 s
    and sleeps 0.1 s more while closing, ~0.15 s a command of a test in the «server» mode. Closing
    still waits for the open connections to finish and for the listening socket to close."""

    async def main_loop(self) -> None:
        while not self.should_exit:
            await asyncio.sleep(0.002)

    async def shutdown(self, sockets: list | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        deadline = time.monotonic() + 30
        while (self.server_state.connections or self.server_state.tasks) and time.monotonic() < deadline:
            await asyncio.sleep(0.002)
        for server in self.servers:
            await server.wait_closed()


@contextmanager
def in_process_server(db: Path) -> Iterator[Target]:
    """A real server of `db` in a thread of this process, on a socket in a short temporary path."""
    streams = sys.stdin, sys.stdout, sys.stderr
    store, _ = open_served(db)
    sockdir = Path(tempfile.mkdtemp(prefix="sbyt-"))
    uv = QuickStopServer(uvicorn_server(Server(store, sbyt_command())).config)
    thread = threading.Thread(target=asyncio.run, args=(uv.serve(sockets=[unix_socket(sockdir / "s")]),),
                              daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not uv.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the in-process server did not start")
            time.sleep(0.002)
        yield Target(sock=sockdir / "s")
    finally:
        uv.should_exit = True
        thread.join(30)
        store.close()
        shutil.rmtree(sockdir, ignore_errors=True)
        sys.stdin, sys.stdout, sys.stderr = streams


def invoke_through_server(self: CliRunner, cli: Any, args: Any = None, input: Any = None,  # noqa: A002, ANN401
                          env: dict[str, str | None] | None = None, **kwargs: Any) -> Result:
    argv = shlex.split(args) if isinstance(args, str) else [str(a) for a in (args or [])]
    rest = strip_db(argv)
    words = [a for a in rest if not a.startswith("-")]
    saved = {k: os.environ.get(k) for k in (env or {})}
    try:
        for k, v in (env or {}).items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        db = resolve_db_path(db_from_argv(argv)).resolve()
        if cli is not app or not words or words[0] in LOCAL_ONLY or not db.exists():
            return ORIGINAL_INVOKE(self, cli, args, input=input, env=env, **kwargs)
        stdin = input.decode() if isinstance(input, bytes) else (input if isinstance(input, str) else "")
        with in_process_server(db) as target:
            result = execute(target, rest, stdin)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    out, err = result["stdout"].encode(), result["stderr"].encode()
    code = int(result["exit_code"])
    return Result(runner=self, stdout_bytes=out, stderr_bytes=err, output_bytes=out + err, return_value=None,
                  exit_code=code, exception=SystemExit(code) if code else None)


class ServedBackend:
    """The console's backend in the «server» mode of a console test: a real server of `db` in
    this process (as `in_process_server`), the console its client through `RemoteBackend`; the
    server stops when the console closes its backend, so the test may open the file after."""

    def __init__(self, db: Path) -> None:
        from sbyt.server.remote import RemoteBackend

        self._server = in_process_server(Path(db))
        self.remote = RemoteBackend(self._server.__enter__())
        self.where = self.remote.where
        self.call = self.remote.call

    def close(self) -> None:
        if self._server is not None:
            self.remote.close()
            self._server.__exit__(None, None, None)
            self._server = None
