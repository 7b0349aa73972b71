"""Running a CLI command line inside the server: the same Typer commands as without a server, on a
Store bound to the request's session, with the command's stdin, stdout and stderr its own.

`sys.stdout`, `sys.stderr` and `sys.stdin` are replaced once, at start, by routers that send each
worker thread's text to that thread's buffers (the commands print with Rich and click, which look
up `sys.stdout` when they write), and anything else to the server's own streams.
"""

from __future__ import annotations

import io
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

import typer

from sbyt.console.cli import common, files
from sbyt.core.store import Store

_local = threading.local()


class _Router(io.TextIOBase):
    """A text stream that writes to (or reads from) the current thread's buffer if it has one."""

    def __init__(self, name: str, default: TextIO) -> None:
        self._name, self._default = name, default

    def _target(self) -> Any:
        return getattr(_local, self._name, None) or self._default

    @property
    def encoding(self) -> str:          # type: ignore[override]
        return "utf-8"

    def write(self, s: str) -> int:
        return self._target().write(s)

    def flush(self) -> None:
        self._target().flush()

    def read(self, size: int | None = -1) -> str:
        return self._target().read(size)

    def readline(self, size: int | None = -1) -> str:   # type: ignore[override]
        return self._target().readline(size)

    def isatty(self) -> bool:
        t = self._target()
        return t is self._default and t.isatty()

    def fileno(self) -> int:
        t = self._target()
        if t is self._default:
            return t.fileno()
        raise io.UnsupportedOperation("fileno")

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True


def install_routers() -> None:
    if not isinstance(sys.stdout, _Router):
        sys.stdout = _Router("stdout", sys.stdout)
        sys.stderr = _Router("stderr", sys.stderr)
        sys.stdin = _Router("stdin", sys.stdin)


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    files: dict[str, bytes]


def run_command(command: Any, argv: list[str], stdin: str, make_store: Callable[[bool], Store],
                client: files.ClientFiles) -> Outcome:
    """Run one command line of the `sbyt` click command in this thread: its output captured, its
    stores made by `make_store(read_only)`, its files the client's. Never raises."""
    out, err = io.StringIO(), io.StringIO()
    _local.stdout, _local.stderr, _local.stdin = out, err, io.StringIO(stdin)
    token = common.STORE_FACTORY.set(make_store)
    files_token = files.CLIENT.set(client)
    code: Any = 0
    try:
        command.main(args=argv, prog_name="sbyt", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
    except typer.Exit as exc:
        code = exc.exit_code
    except Exception:                  # a defect: the client sees the traceback, the server goes on
        err.write(traceback.format_exc())
        code = 1
    finally:
        common.STORE_FACTORY.reset(token)
        files.CLIENT.reset(files_token)
        _local.stdout = _local.stderr = _local.stdin = None
    if code is None:
        code = 0
    elif not isinstance(code, int):
        err.write(f"{code}\n")
        code = 1
    return Outcome(code, out.getvalue(), err.getvalue(), client.outputs)
