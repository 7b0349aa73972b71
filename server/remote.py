"""The console as a client of `sbyt serve`: its services run on the server (`POST /call`).

`sbyt console` starts with this backend when a server answers for the store, so any number of
operators work in their consoles while others run commands; each call runs as the operator's OS
login (or token) with that user's role, is audited and logged like a command line.
"""

from __future__ import annotations

import base64
import json
import pickle
from collections.abc import Callable
from typing import Any

import httpx

from sbyt.core.errors import NotFoundError, RefusedError, SbytError
from sbyt.server import wire
from sbyt.server.address import Target
from sbyt.server.client import connect

_ERRORS: dict[int, type[SbytError]] = {RefusedError("").exit_code: RefusedError, NotFoundError("").exit_code: NotFoundError}
"""A service's refusal raised again here by its exit code (what the console and scripts act on)."""


class RemoteBackend:
    def __init__(self, target: Target) -> None:
        self.target = target
        self.http = connect(target)             # thread-safe: the workers share its connection pool
        info = self.http.get("/health").json()
        self.where = f"{info['db']} (сервер)"

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:    # noqa: ANN401
        from sbyt.console.services import name_of

        callbacks: list[Callable[..., Any]] = []
        body = {"service": name_of(func), "args": wire.encode(list(args), callbacks),
                "kwargs": {k: wire.encode(v, callbacks) for k, v in kwargs.items()}}
        try:
            with self.http.stream("POST", "/call", json=body) as r:
                r.raise_for_status()
                for raw in r.iter_lines():
                    if not raw:
                        continue
                    line = json.loads(raw)
                    if "progress" in line:
                        callbacks[int(line["progress"])](*wire.decode(line["args"], {}))
                    elif "result" in line:
                        return pickle.loads(base64.b64decode(line["result"]))   # noqa: S301 - our server
                    elif "error" in line:
                        e = line["error"]
                        raise _ERRORS.get(int(e["exit_code"]), SbytError)(e["message"])
                    elif "defect" in line:
                        raise RuntimeError(f"ошибка на сервере:\n{line['defect']}")
        except httpx.HTTPError as exc:
            raise SbytError(f"Сервер sbyt ({self.target.sock or self.target.url}) не ответил: {exc}") from None
        raise SbytError("Сервер sbyt прервал ответ")

    def close(self) -> None:
        self.http.close()
