"""Where the server of a store listens, and whether one runs: shared by the server and its clients."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from sbyt.core.location import resolve_db_path

LOCAL_ONLY = frozenset({"serve", "demo", "init", "console", "bench"})
"""Commands the server does not run: they open or create files of their own, or (the console)
run in the operator's terminal, as a client of the server when one runs (`sbyt.server.main`)."""


def socket_path(db: Path) -> Path:
    """The Unix socket beside the store: `sbyt.duckdb` -> `sbyt.duckdb.sock`."""
    return db.with_name(db.name + ".sock")


def alive(sock: Path) -> bool:
    """A server answers on `sock` (a socket file left by a killed server does not)."""
    if not sock.exists():
        return False
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect(str(sock))
        return True
    except OSError:
        return False
    finally:
        s.close()


@dataclass(frozen=True)
class Target:
    """A running server to send a command to: a Unix socket, or an HTTP URL with a token."""

    sock: Path | None = None
    url: str | None = None
    token: str | None = None


def db_from_argv(argv: list[str]) -> str | None:
    """The `--db` given before the command (the root option), if any."""
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--db="):
            return arg[5:]
        if not arg.startswith("-"):
            return None
    return None


def target(argv: list[str]) -> Target | None:
    """The server for this command line: $SBYT_SERVER (an HTTP URL, with $SBYT_TOKEN), else the
    socket beside the store named by `--db` / $SBYT_DB if a server answers there; None = no server."""
    url = os.environ.get("SBYT_SERVER")
    token = os.environ.get("SBYT_TOKEN")
    if url:
        return Target(url=url.rstrip("/"), token=token)
    sock = socket_path(resolve_db_path(db_from_argv(argv)))
    return Target(sock=sock, token=token) if alive(sock) else None
