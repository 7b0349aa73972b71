"""Mass printing of payment documents: one multi-page PDF per run, in delivery order.

The parent process selects the accounts and gathers them chunk by chunk (bulk SQL); the QR
payloads and the page drawing (the expensive part: text layout and QR encoding) run in worker
processes that return finished content streams; the parent appends them to one `FormDocument`
in order. The static part of the page is one shared Form XObject when fpdf2 allows it (see
`FormDocument.set_background`), otherwise inlined on each page.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sbyt.core.access import requires
from sbyt.core.periods import period_label
from sbyt.core.store import Store
from sbyt.reports.epd import PageRenderer
from sbyt.reports.epd_data import Epd, check_period, gather, last_closed_period, select_accounts
from sbyt.reports.epd_qr import epd_payload
from sbyt.reports.forms import FormDocument

Progress = Callable[[int, int], None]

CHUNK = 1000            # accounts gathered and drawn per task
PARALLEL_FROM = 3000    # below this many pages one process is faster than starting workers


@dataclass(frozen=True)
class PrintResult:
    period: int
    pages: int
    path: Path | None
    seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0


# -------------------------------------------------------------------------------- worker side
_RENDERER: PageRenderer | None = None


def _renderer() -> PageRenderer:
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = PageRenderer()
    return _RENDERER


def _draw_chunk(epds: Sequence[Epd]) -> list[bytes]:
    """Account parts of the pages of one chunk (runs in a worker)."""
    r = _renderer()
    return [r.page(e, epd_payload(e))[1] for e in epds]


# -------------------------------------------------------------------------------- parent side
def _chunks(store: Store, period: int, ids: Sequence[int], size: int) -> Iterator[list[Epd]]:
    for i in range(0, len(ids), size):
        yield gather(store, period, ids[i:i + size])


def render_document(store: Store, period: int, ids: Sequence[int], *,
                    workers: int | None = None, progress: Progress | None = None,
                    title: str = "") -> FormDocument:
    """The pages of `ids` (in that order) in one `FormDocument`."""
    doc = FormDocument(title=title)
    total = len(ids)
    if total == 0:
        return doc
    renderer = PageRenderer()
    first = gather(store, period, ids[:1])[0]
    static = renderer.static(first)
    background = doc.set_background(static)
    done = 0

    def add(parts: list[bytes]) -> None:
        nonlocal done
        for part in parts:
            doc.add_page(part if background else (static, part))
        done += len(parts)
        if progress:
            progress(done, total)

    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    if n_workers <= 1 or total < PARALLEL_FROM:
        for epds in _chunks(store, period, ids, CHUNK):
            add([renderer.page(e, epd_payload(e))[1] for e in epds])
        return doc
    ctx = mp.get_context("spawn")  # the parent holds a DuckDB connection and threads: never fork
    with ctx.Pool(n_workers) as pool:
        for parts in pool.imap(_draw_chunk, _chunks(store, period, ids, CHUNK)):
            add(parts)
    return doc


@requires("epd.print")
def print_epd(store: Store, out: str | os.PathLike[str], *, period: int | None = None,
              districts: Sequence[str] = (), buildings: Sequence[str] = (), accounts: Sequence[str] = (),
              limit: int | None = None, workers: int | None = None,
              progress: Progress | None = None, on_selected: Callable[[int], None] | None = None,
              save: Callable[[Path, bytes], None] | None = None) -> PrintResult:
    """`sbyt epd print`: the ЕПД of the selection for a closed period into one PDF file (its bytes
    go to `save(path, data)`, by default written here)."""
    started = time.perf_counter()
    if period is None:
        period = last_closed_period(store)
    check_period(store, period)
    ids = select_accounts(store, period, districts=districts, buildings=buildings, accounts=accounts, limit=limit)
    if on_selected:
        on_selected(len(ids))
    doc = render_document(store, period, ids, workers=workers, progress=progress,
                          title=f"ЕПД за {period_label(period)}")
    path = Path(out)
    (save or Path.write_bytes)(path, doc.output() or b"")
    return PrintResult(period, len(ids), path, time.perf_counter() - started)


def render_epds(epds: Sequence[Epd]) -> bytes:
    """Already gathered documents as PDF bytes, in one process (e-mail attachments, previews)."""
    doc = FormDocument(title="ЕПД")
    renderer = PageRenderer()
    for e in epds:
        doc.add_page(renderer.page(e, epd_payload(e)))
    return doc.output() or b""


def render_one(store: Store, period: int, account_id: int) -> bytes:
    """One account's ЕПД as PDF bytes (e-mail attachments, previews)."""
    return render_document(store, period, [account_id], workers=1).output() or b""
