"""Renderer registry: one entry per output format, shared by reports, ad-hoc SQL and `emit`.

`write(table, fmt, out)` writes a `Table` to a file (`out` given) or to stdout (text formats);
code columns (`Column.domain`) show their Russian labels in every format but JSON, which is for
programs and keeps the codes;
binary formats (xlsx, pdf) without `out` go to `default_path(table, fmt)`: «<name>.<ext>» in the
current directory.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sbyt.core.errors import SbytError
from sbyt.reports.table import Table


@dataclass(frozen=True)
class Renderer:
    name: str
    extension: str
    binary: bool
    write: Callable[..., None]
    title: str


def _terminal(table: Table, out: Any) -> None:
    from sbyt.reports.render import terminal

    terminal.write(table, out)


def _csv(table: Table, out: Any, *, bom: bool = False) -> None:
    from sbyt.reports.render import csvfile

    csvfile.write(table, out, bom=bom)


def _json(table: Table, out: Any) -> None:
    from sbyt.reports.render import jsonfile

    jsonfile.write(table, out)


def _xlsx(table: Table, out: Any) -> None:
    from sbyt.reports.render import xlsx

    xlsx.write(table, out)


def _pdf(table: Table, out: Any) -> None:
    from sbyt.reports.render import pdf

    pdf.write(table, out)


RENDERERS: dict[str, Renderer] = {
    r.name: r
    for r in [
        Renderer("table", "txt", False, _terminal, "таблица в терминале"),
        Renderer("csv", "csv", False, _csv, "CSV для Excel: UTF-8 с BOM, разделитель «;», десятичная запятая"),
        Renderer("json", "json", False, _json, "JSON: список объектов"),
        Renderer("xlsx", "xlsx", True, _xlsx, "книга Excel"),
        Renderer("pdf", "pdf", True, _pdf, "PDF, A4 альбомная"),
    ]
}


def renderer(fmt: str) -> Renderer:
    try:
        return RENDERERS[fmt]
    except KeyError:
        raise SbytError(f"Неизвестный формат «{fmt}» (допустимы: {', '.join(RENDERERS)}).") from None


def default_path(table: Table, fmt: str) -> Path:
    return Path(f"{table.name}.{renderer(fmt).extension}")


def write(table: Table, fmt: str, out: str | Path | None = None,
          save: Callable[[Path, bytes], None] | None = None) -> Path | None:
    """Render `table` to stdout (a text format without `out`) or to a file: `out`, or
    «<name>.<ext>» for a binary format; returns the path written. The file's bytes go to
    `save(path, data)` (by default written here) only once fully rendered: a failure leaves no
    half-written file."""
    r = renderer(fmt)
    if fmt != "json":
        table = table.labelled()
    if out is None and not r.binary:
        r.write(table, sys.stdout)
        sys.stdout.flush()
        return None
    path = Path(out) if out is not None else default_path(table, fmt)
    if r.binary:
        buf = io.BytesIO()
        r.write(table, buf)
        data = buf.getvalue()
    else:
        text = io.StringIO()
        if fmt == "csv":
            r.write(table, text, bom=True)
        else:
            r.write(table, text)
        data = text.getvalue().encode("utf-8")
    (save or Path.write_bytes)(path, data)
    return path


def to_text(table: Table, fmt: str) -> str:
    """A text format as a string (tests, the console)."""
    buf = io.StringIO()
    renderer(fmt).write(table if fmt == "json" else table.labelled(), buf)
    return buf.getvalue()
