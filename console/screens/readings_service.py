"""Readings through `sbyt.core.readings`: the control (`check_readings`) and the saving
(`enter_readings`: checked again, stored, audited) belong to that service; this module only turns console entries into its
candidate table and its results into one line of text per reading."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from sbyt.core.readings import CANDIDATE_SCHEMA, check_readings, counts_for, enter_readings
from sbyt.core.store import Store


def candidates(entries: Sequence[Any], source: str) -> pa.Table:
    return pa.table({
        "_row": list(range(1, len(entries) + 1)),
        "meter_id": [e.meter_id for e in entries],
        "zone": [e.zone for e in entries],
        "read_on": [e.read_on for e in entries],
        "value": [e.value for e in entries],
        "source": [source] * len(entries),
        "kind": ["regular"] * len(entries),
    }, schema=CANDIDATE_SCHEMA)


def result_text(row: dict[str, Any]) -> str:
    """«Принято: расход 120 кВт·ч (было 3 124 на 22.10.2026)» or «Отклонено: <reason>»."""
    if row["status"] != "accepted":
        return f"Отклонено: {row['reason']}"
    month = counts_for(row["read_on"])
    if row["consumption"] is None:
        return f"Принято: первое показание прибора; {month}"
    return (f"Принято: расход {row['consumption']} кВт·ч (было {row['prev_value']} на {row['prev_date']:%d.%m.%Y});"
            f" {month}")


def check_many(store: Store, entries: Sequence[Any], source: str = "operator") -> list[str]:
    return [result_text(r) for r in check_readings(store, candidates(entries, source)).to_pylist()]


def check_one(store: Store, entry: Any, source: str = "operator") -> str:
    return check_many(store, [entry], source)[0]


def save(store: Store, entries: Sequence[Any], source: str = "operator") -> list[str]:
    """Check the whole batch again (history may have changed) and store it in one statement, the
    rejected readings with their reasons; the control result of each."""
    results = enter_readings(store, candidates(entries, source))
    return [result_text(r) for r in results.to_pylist()]
