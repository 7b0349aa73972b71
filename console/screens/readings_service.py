"""Readings through `sbyt.core.readings` (control and saving belong to that service)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sbyt.console.screens.actions import service
from sbyt.core.store import Store


def _text(result: Any) -> str:
    """One control result as a line: accepted with its consumption, or rejected with the reason."""
    status = getattr(result, "status", None)
    reason = getattr(result, "reason", None)
    cons = getattr(result, "consumption", None)
    if cons is None:
        cons = getattr(result, "consumption_kwh", None)
    parts = []
    if status == "rejected" or (status is None and reason):
        parts.append(f"Отклонено: {reason}")
    else:
        parts.append("Принято")
        if cons is not None:
            parts.append(f"расход {cons} кВт·ч")
        warning = getattr(result, "warning", None) or getattr(result, "anomaly", None)
        if warning:
            parts.append(f"внимание: {warning}")
    return "; ".join(parts)


def check_many(store: Store, entries: Sequence[Any], source: str = "operator") -> list[str]:
    check = service("Проверка показаний", "sbyt.core.readings:check_readings")
    return [_text(r) for r in check(store, _inputs(entries, source))]


def check_one(store: Store, entry: Any) -> str:
    return check_many(store, [entry])[0]


def save(store: Store, entries: Sequence[Any], source: str = "operator") -> Any:
    saver = service("Запись показаний", "sbyt.core.readings:save_readings")
    return saver(store, _inputs(entries, source))


def _inputs(entries: Sequence[Any], source: str) -> list[Any]:
    """Console entries -> the service's input records (its own type when it declares one)."""
    try:
        from sbyt.core import readings as mod
    except ImportError:
        return list(entries)
    cls = getattr(mod, "ReadingInput", None)
    if cls is None:
        return list(entries)
    return [cls(meter_id=e.meter_id, zone=e.zone, value=e.value, read_on=e.read_on, source=source) for e in entries]
