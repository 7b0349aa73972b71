"""Where the store is: `--db PATH`, else $SBYT_DB, else ./sbyt.duckdb (no database import here:
the client side of the server finds its socket with this alone)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "sbyt.duckdb"


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH`, else `SBYT_DB`, else `./sbyt.duckdb`."""
    return Path(cli_value or os.environ.get("SBYT_DB") or DEFAULT_DB)
