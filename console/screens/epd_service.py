"""ЕПД printing through `sbyt.reports.epd_print` (the document, its layout and its QR payload
belong to the reports engineer; this only picks the accounts and the file)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sbyt.core.console_reads import account_numbers
from sbyt.core.store import Store


def print_accounts(store: Store, account_ids: Sequence[int], out: Path, period: int | None = None) -> int:
    """One PDF with the ЕПД of the given accounts for `period` (the last closed month by default);
    returns the number of pages. Drawn in this process (a handful of pages; no worker processes
    forked from the console's threads)."""
    from sbyt.reports.epd_print import print_epd

    numbers = account_numbers(store, account_ids)
    result = print_epd(store, out, period=period, accounts=numbers, workers=1)
    return result.pages
