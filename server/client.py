"""The client side: send a command line to a running server and print what it answers."""

from __future__ import annotations

import sys

import httpx

from sbyt.server.address import Target


def _client(target: Target) -> tuple[httpx.Client, str]:
    headers = {"Authorization": f"Bearer {target.token}"} if target.token else {}
    if target.sock is not None:
        return httpx.Client(transport=httpx.HTTPTransport(uds=str(target.sock)), headers=headers,
                            timeout=None), "http://sbyt"
    return httpx.Client(headers=headers, timeout=None), str(target.url)


def call(target: Target, argv: list[str], stdin: str = "", client: httpx.Client | None = None) -> dict:
    """One command line on the server: {"exit_code", "stdout", "stderr"}."""
    own = client is None
    c, base = _client(target) if own else (client, "http://sbyt" if target.sock else str(target.url))
    try:
        r = c.post(base + "/run", json={"argv": argv, "stdin": stdin})
        r.raise_for_status()
        return r.json()
    finally:
        if own:
            c.close()


def forward(target: Target, argv: list[str]) -> int:
    """Run `argv` on the server as this user; its output goes to our stdout and stderr."""
    stdin = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
    try:
        result = call(target, argv, stdin)
    except httpx.HTTPError as exc:
        where = target.sock or target.url
        print(f"Ошибка: сервер sbyt ({where}) не ответил: {exc}", file=sys.stderr)
        return 5
    sys.stdout.write(result["stdout"])
    sys.stdout.flush()
    sys.stderr.write(result["stderr"])
    return int(result["exit_code"])
