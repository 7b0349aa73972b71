"""ЕПД printing through `sbyt.reports.epd` (the document and its layout belong to that module)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sbyt.console.screens.actions import service
from sbyt.core.store import Store


def print_accounts(store: Store, account_ids: Sequence[int], out: Path, period: int | None = None) -> int:
    """One PDF with the ЕПД of the given accounts (the last closed month by default); pages."""
    fn = service("Печать ЕПД", "sbyt.reports.epd:print_accounts", "sbyt.reports.epd:print_epd")
    result = fn(store, account_ids=list(account_ids), out=out, period=period)
    return int(getattr(result, "pages", result) or 0)
