"""The client side: send a command line to a running server and print what it answers.

The files the command line names go with it, and the files the command wrote come back and are
written here, as this user, relative to this working directory (`sbyt.console.cli.files`)."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import httpx

from sbyt.server.address import Target


def connect(target: Target) -> httpx.Client:
    """An HTTP client of the server (its socket, or its URL), with the token if there is one."""
    headers = {"Authorization": f"Bearer {target.token}"} if target.token else {}
    if target.sock is not None:
        return httpx.Client(transport=httpx.HTTPTransport(uds=str(target.sock)), headers=headers,
                            timeout=None, base_url="http://sbyt")
    return httpx.Client(headers=headers, timeout=None, base_url=str(target.url))


def call(target: Target, argv: list[str], stdin: str = "", client: httpx.Client | None = None,
         files: dict[str, bytes] | None = None, cwd: Path | None = None) -> dict:
    """One command line on the server: {"exit_code", "stdout", "stderr", "files"} (the files the
    command wrote, path -> bytes). `client`: a connection from `connect` to reuse."""
    c = client or connect(target)
    body = {"argv": argv, "stdin": stdin, "cwd": str(cwd or Path.cwd()),
            "files": {p: base64.b64encode(d).decode() for p, d in (files or {}).items()}}
    try:
        r = c.post("/run", json=body)
        r.raise_for_status()
        result = r.json()
    finally:
        if client is None:
            c.close()
    result["files"] = {p: base64.b64decode(d) for p, d in (result.get("files") or {}).items()}
    return result


def execute(target: Target, argv: list[str], stdin: str = "", cwd: Path | None = None) -> dict:
    """`call` with the files `argv` names sent along and the files the command wrote written here."""
    from sbyt.console.cli import files

    cwd = cwd or Path.cwd()
    result = call(target, argv, stdin, files=files.gather(argv, cwd), cwd=cwd)
    for path, data in result["files"].items():
        files.write(path, data)                 # here, as this user
    return result


def forward(target: Target, argv: list[str]) -> int:
    """Run `argv` on the server as this user; its output goes to our stdout and stderr, the files
    it wrote into our directories."""
    from sbyt.core.errors import SbytError

    stdin = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
    try:
        result = execute(target, argv, stdin)
    except httpx.HTTPError as exc:
        where = target.sock or target.url
        print(f"Ошибка: сервер sbyt ({where}) не ответил: {exc}", file=sys.stderr)
        return 5
    except SbytError as exc:
        print(f"Ошибка: {exc.message}", file=sys.stderr)
        return exc.exit_code
    sys.stdout.write(result["stdout"])
    sys.stdout.flush()
    sys.stderr.write(result["stderr"])
    return int(result["exit_code"])
