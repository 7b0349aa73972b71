"""Loading a supplier's data from its old system: one CSV/XLSX file per entity (`sbyt load DIR`).

`load_tables` validates everything, then writes all or nothing; `templates` gives every file's
header and a sample row; `rates` loads a newer key-rate table. See docs/loading.md.
"""

from __future__ import annotations

from sbyt.core.loading.engine import EntityCount, LoadReport, TableLike, load_tables
from sbyt.core.loading.entities import BY_NAME, ENTITIES, Entity


def templates() -> dict[str, tuple[list[str], list[list[str]]]]:
    """File name stem -> (header, [one sample row]); the sample rows load together cleanly."""
    return {e.name: ([c.name for c in e.columns], [[c.example for c in e.columns]]) for e in ENTITIES}


__all__ = ["BY_NAME", "ENTITIES", "Entity", "EntityCount", "LoadReport", "TableLike", "load_tables", "templates"]
