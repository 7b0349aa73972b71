"""The console's doors into other engineers' services (readings, recalculation, ЕПД, payments,
calculation, period close). Each function only locates the service and calls it; the logic stays
in the service. A service not installed yet gives a Russian message in the error dialog.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from sbyt.core.errors import SbytError


def service(what: str, *candidates: str) -> Callable[..., Any]:
    """The first of `module:function` candidates that exists."""
    for cand in candidates:
        mod_name, fn_name = cand.split(":")
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            continue
        fn = getattr(mod, fn_name, None)
        if fn is not None:
            return fn
    raise SbytError(f"{what}: функция ещё не подключена в этой версии sbyt ({', '.join(candidates)}).")
