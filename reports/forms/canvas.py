"""A page drawn as PDF content-stream operators: millimetres, origin at the top-left corner.

Graphics and text are collected apart and written graphics first, then one text object, so that
text is never hidden under a filled box and the stream stays short (one BT … ET per page part).
"""

from __future__ import annotations

from sbyt.reports.forms.typeface import MM_PER_PT, Typeface

A4_W = 210.0
A4_H = 297.0
K = 72 / 25.4  # points per millimetre
_UNIT_MM = 0.001 * MM_PER_PT  # 1/1000 em at 1 pt, in millimetres


class Canvas:
    def __init__(self, face: Typeface, page_h: float = A4_H) -> None:
        self.face = face
        self.page_h = page_h
        self._g: list[str] = []
        self._t: list[str] = []
        self._font_style: object = None
        self._font_size = 0.0
        self._gray: float | None = None
        self._lw: float | None = None

    # -- graphics ------------------------------------------------------------------------------
    def line_width(self, mm: float) -> None:
        if self._lw != mm:
            self._lw = mm
            self._g.append(f"{mm * K:.2f} w")

    def rect(self, x: float, y: float, w: float, h: float, fill: float | None = None,
             stroke: bool = True) -> None:
        """A rectangle; `fill` is a gray level 0 (black) … 1 (white)."""
        op = "B" if (fill is not None and stroke) else "f" if fill is not None else "S"
        if fill is not None:
            self._g.append(f"{fill:.2f} g")
        self._g.append(f"{x * K:.2f} {(self.page_h - y - h) * K:.2f} {w * K:.2f} {h * K:.2f} re {op}")
        if fill is not None:
            self._g.append("0 g")

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        ph = self.page_h
        self._g.append(f"{x1 * K:.2f} {(ph - y1) * K:.2f} m {x2 * K:.2f} {(ph - y2) * K:.2f} l S")

    def hline(self, x1: float, x2: float, y: float) -> None:
        self.line(x1, y, x2, y)

    def vline(self, x: float, y1: float, y2: float) -> None:
        self.line(x, y1, x, y2)

    def fill_rects(self, rects: list[tuple[float, float, float, float]], gray: float = 0.0) -> None:
        """Many filled rectangles as one path (QR modules, chart bars)."""
        if not rects:
            return
        ph = self.page_h
        parts = [f"{gray:.2f} g"]
        parts.extend(f"{x * K:.2f} {(ph - y - h) * K:.2f} {w * K:.2f} {h * K:.2f} re" for x, y, w, h in rects)
        parts.append("f 0 g")
        self._g.append("\n".join(parts))

    def raw(self, ops: str) -> None:
        """Operators drawn as they are (already in points)."""
        self._g.append(ops)

    # -- text ----------------------------------------------------------------------------------
    def width(self, s: str, size: float = 7.0, bold: bool = False) -> float:
        return self.face.style(bold).width(s, size)

    def text(self, x: float, baseline: float, s: str, size: float = 7.0, bold: bool = False,
             align: str = "L", w: float = 0.0) -> None:
        """Text on a baseline; `align` R/C places it inside [x, x + w]."""
        if not s:
            return
        style = self.face.bold if bold else self.face.regular
        if align != "L":
            tw = style.units(s) * size * _UNIT_MM
            x = x + w - tw if align == "R" else x + (w - tw) / 2
        if self._font_style is not style or self._font_size != size:
            self._font_style, self._font_size = style, size
            self._t.append("%s %.2f Tf" % (style.resource, size))
        self._t.append("1 0 0 1 %.2f %.2f Tm <%s> Tj" % (x * K, (self.page_h - baseline) * K, s.translate(style.table)))

    def cell(self, x: float, y: float, w: float, h: float, s: str, size: float = 7.0, bold: bool = False,
             align: str = "L", pad: float = 1.0) -> None:
        """Text vertically centred in the box (x, y, w, h) with a horizontal padding."""
        self.text(x + pad, y + h / 2 + size * MM_PER_PT * 0.35, s, size, bold, align, w - 2 * pad)

    def fit(self, s: str, w: float, size: float = 7.0, bold: bool = False) -> str:
        """`s` cut with «…» to fit the width `w`."""
        style = self.face.style(bold)
        if style.surely_fits(s, w, size) or style.width(s, size) <= w:
            return s
        while s and style.width(s + "…", size) > w:
            s = s[:-1]
        return s.rstrip() + "…"

    def wrap(self, s: str, w: float, size: float = 7.0, bold: bool = False, max_lines: int = 0) -> list[str]:
        """Greedy word wrap to width `w`; with `max_lines` the last line ends in «…» if cut."""
        style = self.face.style(bold)
        lines: list[str] = []
        cur = ""
        for word in s.split():
            trial = f"{cur} {word}" if cur else word
            if style.width(trial, size) <= w or not cur:
                cur = trial
            else:
                lines.append(cur)
                cur = word
        if cur:
            lines.append(cur)
        lines = [ln if style.width(ln, size) <= w else self.fit(ln, w, size, bold) for ln in lines]
        if max_lines and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = self.fit(lines[-1] + " …", w, size, bold) if not lines[-1].endswith("…") else lines[-1]
        return lines

    def paragraph(self, x: float, y: float, w: float, s: str, size: float = 7.0, bold: bool = False,
                  leading: float = 1.2, max_lines: int = 0) -> float:
        """Wrapped text whose first line's top is `y`; returns the y below the last line."""
        step = size * MM_PER_PT * leading
        for ln in self.wrap(s, w, size, bold, max_lines):
            y += step
            self.text(x, y - step * 0.22, ln, size, bold)
        return y

    # -- result --------------------------------------------------------------------------------
    def getvalue(self) -> bytes:
        parts = ["q 0 G 0 g 0 J 0 j"]
        parts.extend(self._g)
        if self._t:
            parts.append("BT")
            parts.extend(self._t)
            parts.append("ET")
        parts.append("Q\n")
        return "\n".join(parts).encode("ascii")

    def reset(self) -> None:
        self._g.clear()
        self._t.clear()
        self._font_style = None
        self._lw = None
