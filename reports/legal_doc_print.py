"""Printing legal-entity documents (`sbyt docs print`): many documents into one PDF, fast.

The forms are drawn by `sbyt.reports.legal_doc_print_forms` (docs/legal_forms.md lists them). A page is
the fixed part of its form — shared in the file as one Form XObject per form and edition — and the
document's own text. Large runs draw the pages in worker processes (chunks of documents in,
finished content streams out, in order); the parent only appends them to one `FormDocument`.
The PDF's creation date is the latest document's date, so the same documents print to the same bytes.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sbyt.core.legal_docs import Doc, load_docs
from sbyt.core.store import Store
from sbyt.reports.forms import A4_H, A4_W, FormDocument
from sbyt.reports.legal_doc_print_forms import Renderer

Progress = Callable[[int, int], None]
Stream = tuple[bool, bytes, bytes]          # landscape, the form's fixed part, the document's part

CHUNK = 250             # documents drawn per task
PARALLEL_FROM = 1500    # below this many documents one process is faster than starting workers


@dataclass(frozen=True)
class PrintResult:
    documents: int
    pages: int
    seconds: float
    path: Path | None = None

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0


class DocsDocument(FormDocument):
    """A `FormDocument` with portrait and landscape pages, each over the shared fixed part of its form."""

    def __init__(self, title: str = "") -> None:
        super().__init__(title=title)
        self._forms: dict[tuple[bool, bytes], bytes] = {}

    def _form(self, landscape: bool, content: bytes) -> bytes:
        """The operator drawing `content` as a Form XObject (registered once), or `content` itself
        when fpdf2's internals are not available."""
        key = (landscape, content)
        op = self._forms.get(key)
        if op is not None:
            return op
        try:
            from fpdf.syntax import Name, PDFArray, PDFContentStream

            from sbyt.reports.forms.document import _FontResources

            catalog = self.pdf._resource_catalog
            forms = catalog.form_xobjects
            index = catalog.next_xobject_index
        except (ImportError, AttributeError):  # pragma: no cover - older or newer fpdf2
            self._forms[key] = content
            return content
        w, h = (A4_H, A4_W) if landscape else (A4_W, A4_H)
        k = 72 / 25.4
        xobj = PDFContentStream(contents=content, compress=self.pdf.compress)
        xobj.type = Name("XObject")  # type: ignore[attr-defined]
        xobj.subtype = Name("Form")  # type: ignore[attr-defined]
        xobj.b_box = PDFArray([0, 0, round(w * k, 2), round(h * k, 2)])  # type: ignore[attr-defined]
        xobj._registered = False  # type: ignore[attr-defined]
        xobj._blend_group = _FontResources(self._font_ids)  # type: ignore[attr-defined]
        catalog.next_xobject_index = index + 1
        forms.append((index, xobj))
        op = self._forms[key] = f"q /I{index} Do Q\n".encode("ascii")
        return op

    def add(self, landscape: bool, static: bytes, body: bytes) -> None:
        pdf = self.pdf
        pdf.add_page(orientation="L" if landscape else "P")
        buf = pdf.pages[pdf.page].contents
        if static:
            buf += self._form(landscape, static)
        buf += body
        if self.pages == 0:
            from fpdf.enums import PDFResourceType

            for i in self._font_ids:
                pdf._resource_catalog.add(PDFResourceType.FONT, i, pdf.page)
        self.pages += 1


# -------------------------------------------------------------------------------- worker side
_RENDERER: Renderer | None = None


def _renderer() -> Renderer:
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = Renderer()
    return _RENDERER


def _draw_chunk(docs: Sequence[Doc]) -> list[list[Stream]]:
    r = _renderer()
    return [r.streams(d) for d in docs]


def _chunks(docs: Sequence[Doc], size: int) -> Iterator[Sequence[Doc]]:
    for i in range(0, len(docs), size):
        yield docs[i:i + size]


# -------------------------------------------------------------------------------- parent side
def render(docs: Sequence[Doc], *, workers: int | None = None, progress: Progress | None = None,
           title: str = "") -> DocsDocument:
    """The pages of `docs` (in that order) in one PDF document."""
    out = DocsDocument(title=title or ("Документы" if len(docs) != 1 else f"Документ № {docs[0].doc_no}"))
    if docs:
        day = max(d.doc_date for d in docs)
        out.pdf.set_creation_date(datetime(day.year, day.month, day.day, tzinfo=timezone.utc))
    total = len(docs)
    done = 0

    def add(parts: list[list[Stream]]) -> None:
        nonlocal done
        for pages in parts:
            for landscape, static, body in pages:
                out.add(landscape, static, body)
        done += len(parts)
        if progress:
            progress(done, total)

    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    if n_workers <= 1 or total < PARALLEL_FROM:
        r = _renderer()
        for chunk in _chunks(docs, CHUNK):
            add([r.streams(d) for d in chunk])
        return out
    ctx = mp.get_context("spawn")  # the caller may hold a DuckDB connection and threads: never fork
    with ctx.Pool(n_workers) as pool:
        for parts in pool.imap(_draw_chunk, _chunks(docs, CHUNK)):
            add(parts)
    return out


def print_docs(docs: Sequence[Doc], out: str | os.PathLike[str], *, progress: Progress | None = None,
               workers: int | None = None, save: Callable[[Path, bytes], None] | None = None) -> PrintResult:
    """The documents into one PDF file (its bytes go to `save(path, data)`, by default written here)."""
    started = time.perf_counter()
    doc = render(docs, workers=workers, progress=progress)
    path = Path(out)
    (save or Path.write_bytes)(path, doc.output() or b"")
    return PrintResult(len(docs), doc.pages, time.perf_counter() - started, path)


def doc_pdf(doc: Doc) -> bytes:
    """One document as PDF bytes (e-mail attachments, previews)."""
    return render([doc], workers=1).output() or b""


def bench_print(store_or_docs: Store | Sequence[Doc], n: int | None = None, *,
                workers: int | None = None) -> dict[str, object]:
    """Print `n` documents into memory and time it: {documents, pages, seconds, pages_per_s, mb} —
    for `sbyt bench`. From a store: its first `n` documents by id; a list is repeated up to `n`."""
    if isinstance(store_or_docs, Store):
        limit = "" if n is None else f" LIMIT {int(n)}"
        ids = [r[0] for r in store_or_docs.all(f"SELECT id FROM legal_doc ORDER BY id{limit}")]
        docs: Sequence[Doc] = load_docs(store_or_docs, ids)
    else:
        docs = store_or_docs
    if not docs:
        return {"documents": 0, "pages": 0, "seconds": 0.0, "pages_per_s": 0.0, "mb": 0.0}
    n = n or len(docs)
    batch = [docs[i % len(docs)] for i in range(n)]
    started = time.perf_counter()
    doc = render(batch, workers=workers)
    data = doc.output() or b""
    seconds = time.perf_counter() - started
    return {"documents": n, "pages": doc.pages, "seconds": round(seconds, 3),
            "pages_per_s": round(doc.pages / seconds, 1) if seconds else 0.0, "mb": round(len(data) / 1e6, 1)}
