"""Reusable pieces of printed forms: titled boxes, label/value rows, tables, bar charts, QR codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sbyt.reports.forms.canvas import K, Canvas

TITLE_GRAY = 0.88
HEADER_GRAY = 0.94


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "L"     # L, R or C for the cells; headers are centred


def box(c: Canvas, x: float, y: float, w: float, h: float, title: str = "", size: float = 7.0) -> float:
    """A framed area with an optional shaded title strip; returns the y where its body starts."""
    c.line_width(0.2)
    c.rect(x, y, w, h)
    if not title:
        return y
    strip = size * 0.55
    c.rect(x, y, w, strip, fill=TITLE_GRAY)
    c.cell(x, y, w, strip, title, size=size, bold=True, pad=1.5)
    return y + strip


def field_row(c: Canvas, x: float, baseline: float, label: str, value: str, label_w: float,
              value_w: float, size: float = 7.0, bold_value: bool = False) -> None:
    """«Label    value» on one line; the value is cut with «…» to fit."""
    c.text(x, baseline, label, size=size)
    c.text(x + label_w, baseline, c.fit(value, value_w, size, bold_value), size=size, bold=bold_value)


def table_header(c: Canvas, x: float, y: float, columns: Sequence[Column], h: float, size: float = 6.0) -> float:
    """A shaded header row with wrapped, centred titles; returns the y below it."""
    c.line_width(0.15)
    cx = x
    total = sum(col.width for col in columns)
    c.rect(x, y, total, h, fill=HEADER_GRAY)
    for col in columns:
        lines = c.wrap(col.title, col.width - 1.0, size)
        step = size * 0.3528 * 1.1
        top = y + (h - step * len(lines)) / 2
        for i, ln in enumerate(lines):
            c.text(cx, top + step * (i + 0.8), ln, size=size, align="C", w=col.width)
        if cx > x:
            c.vline(cx, y, y + h)
        cx += col.width
    return y + h


def table_rows(c: Canvas, x: float, y: float, columns: Sequence[Column], rows: Sequence[Sequence[str]],
               row_h: float = 4.0, size: float = 6.5, bold: Sequence[bool] = (), shade: Sequence[bool] = ()) -> float:
    """Rows of cells with a grid; `bold`/`shade` flags per row. Returns the y below the last row."""
    c.line_width(0.15)
    total = sum(col.width for col in columns)
    for r, row in enumerate(rows):
        if r < len(shade) and shade[r]:
            c.rect(x, y, total, row_h, fill=HEADER_GRAY, stroke=False)
        b = r < len(bold) and bold[r]
        cx = x
        for col, value in zip(columns, row):
            if value:
                text = c.fit(value, col.width - 1.6, size, b)
                c.cell(cx, y, col.width, row_h, text, size=size, bold=b, align=col.align, pad=0.8)
            cx += col.width
        y += row_h
        c.hline(x, x + total, y)
    return y


def table_grid(c: Canvas, x: float, y0: float, y1: float, columns: Sequence[Column]) -> None:
    """Vertical rules and the outer frame of a table body from y0 to y1."""
    c.line_width(0.15)
    total = sum(col.width for col in columns)
    c.rect(x, y0, total, y1 - y0)
    cx = x
    for col in columns[:-1]:
        cx += col.width
        c.vline(cx, y0, y1)


def table(c: Canvas, x: float, y: float, columns: Sequence[Column], rows: Sequence[Sequence[str]],
          header_h: float = 7.0, row_h: float = 4.0, size: float = 6.5, bold: Sequence[bool] = ()) -> float:
    """Header, rows and grid in one call; returns the y below the table."""
    top = y
    y = table_header(c, x, y, columns, header_h, size=size - 0.5)
    y = table_rows(c, x, y, columns, rows, row_h, size, bold)
    table_grid(c, x, top, y, columns)
    return y


def qr(c: Canvas, x: float, y: float, size: float, matrix: Sequence[Sequence[int]] | np.ndarray) -> None:
    """A QR symbol (module matrix without the quiet zone) at (x, y), `size` mm wide, as an inline
    1-bit image mask scaled up without interpolation: a few hundred bytes, no image resource."""
    m = np.asarray(matrix, dtype=np.uint8)
    h, w = m.shape
    data = np.packbits(m, axis=1).tobytes().hex()
    side = size * K
    c.raw(f"q {side:.3f} 0 0 {side * h / w:.3f} {x * K:.3f} {(c.page_h - y) * K - side * h / w:.3f} cm\n"
          f"BI /IM true /W {w} /H {h} /BPC 1 /D [1 0] /F /AHx ID\n{data}>\nEI Q")


def bar_chart_axis(c: Canvas, x: float, y: float, w: float, h: float, labels: Sequence[str],
                   size: float = 5.5) -> None:
    """The static part of `bar_chart`: the base line and a label under each slot."""
    n = len(labels)
    label_h = size * 0.3528 * 1.6
    base = y + h - label_h
    slot = w / n
    c.line_width(0.15)
    c.hline(x, x + w, base)
    for i, label in enumerate(labels):
        c.text(x + i * slot, base + label_h * 0.75, label, size=size, align="C", w=slot)


def bar_chart(c: Canvas, x: float, y: float, w: float, h: float, values: Sequence[int],
              value_text: Sequence[str], size: float = 5.5, labels: Sequence[str] = ()) -> None:
    """Vertical bars from zero with the value above each; `labels` (or `bar_chart_axis` drawn
    once in the static part of a form) name the slots."""
    n = len(values)
    if n == 0:
        return
    if labels:
        bar_chart_axis(c, x, y, w, h, labels, size)
    label_h = size * 0.3528 * 1.6
    plot_h = h - 2 * label_h
    base = y + h - label_h
    peak = max(max(values), 1)
    slot = w / n
    bar_w = slot * 0.62
    rects = []
    for i, v in enumerate(values):
        if v <= 0:
            continue
        bh = plot_h * v / peak
        rects.append((x + i * slot + (slot - bar_w) / 2, base - bh, bar_w, bh))
        if value_text[i]:
            c.text(x + i * slot, base - bh - 0.6, value_text[i], size=size - 0.5, align="C", w=slot)
    c.fill_rects(rects, gray=0.55)
