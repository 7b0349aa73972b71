"""The console's calls on the wire (`POST /call`, `sbyt.server.remote`).

Arguments go from the console to the server as JSON with tags for what JSON lacks — never as
pickles, so a client can make the server build nothing but plain values and the dataclasses the
console's services declare (`sbyt.console.services.TYPES`). A callable argument (a progress
callback) goes as `{"$callback": n}`: the server passes a function that sends its calls back as
progress lines. Results come back pickled: the client trusts the server it connected to (its
socket is beside the store), never the other way round.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from sbyt.core.errors import SbytError


def encode(value: Any, callbacks: list[Callable[..., Any]] | None = None) -> Any:    # noqa: ANN401
    """A value -> JSON; callables are numbered into `callbacks` (refused when None)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, list):
        return [encode(v, callbacks) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode(v, callbacks) for v in value]}
    if isinstance(value, dict):
        return {"$dict": [[encode(k, callbacks), encode(v, callbacks)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        t = type(value)
        return {"$dc": f"{t.__module__}.{t.__qualname__}",
                "fields": {f.name: encode(getattr(value, f.name), callbacks) for f in dataclasses.fields(value)}}
    if isinstance(value, PurePath):
        raise TypeError("a path is the client's: send the file's bytes instead")
    if callable(value) and callbacks is not None:
        callbacks.append(value)
        return {"$callback": len(callbacks) - 1}
    raise TypeError(f"cannot send {type(value).__name__} to the server")


def decode(obj: Any, types: dict[str, type], callback: Callable[[int], Callable[..., None]] | None = None) -> Any:  # noqa: ANN401
    """JSON -> a value; dataclasses only of `types`; `{"$callback": n}` -> `callback(n)`."""
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if isinstance(obj, list):
        return [decode(v, types, callback) for v in obj]
    if not isinstance(obj, dict) or len(obj) not in (1, 2):
        raise SbytError("Неверный запрос консоли: неизвестное значение")
    if "$date" in obj:
        return date.fromisoformat(obj["$date"])
    if "$datetime" in obj:
        return datetime.fromisoformat(obj["$datetime"])
    if "$decimal" in obj:
        return Decimal(obj["$decimal"])
    if "$bytes" in obj:
        return base64.b64decode(obj["$bytes"])
    if "$tuple" in obj:
        return tuple(decode(v, types, callback) for v in obj["$tuple"])
    if "$dict" in obj:
        return {decode(k, types, callback): decode(v, types, callback) for k, v in obj["$dict"]}
    if "$dc" in obj:
        t = types.get(obj["$dc"])
        if t is None:
            raise SbytError(f"Неверный запрос консоли: тип «{obj['$dc']}» не принимается")
        return t(**{k: decode(v, types, callback) for k, v in obj["fields"].items()})
    if "$callback" in obj and callback is not None:
        return callback(int(obj["$callback"]))
    raise SbytError("Неверный запрос консоли: неизвестное значение")
