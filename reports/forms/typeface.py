"""Glyph ids and widths of the shipped fonts, with a subset order fixed in advance.

fpdf2 numbers the glyphs of an embedded subset in the order they are first used. Picking a fixed
character set in a fixed order before anything is drawn makes every glyph id a constant, so a
`Canvas` can encode text without a document and pages drawn anywhere can be merged.
Characters outside `CHARSET` print as «?».
"""

from __future__ import annotations

from functools import cache

from fpdf import FPDF

from sbyt.reports import fonts

FAMILY = fonts.FAMILY
CHARSET = (
    "".join(chr(c) for c in range(0x21, 0x7F))
    + "".join(chr(c) for c in range(0x410, 0x450))
    + "Ёё№«»–—−…₽°·²×•✂"
)
MM_PER_PT = 25.4 / 72


def pick_charset(pdf: FPDF) -> None:
    """Register both styles on `pdf` and pick CHARSET in order (same ids in every process)."""
    for style in ("", "B"):
        font = pdf.fonts[f"{FAMILY.lower()}{style}"]
        for ch in CHARSET:
            font.subset.pick(ord(ch))


class _Glyphs(dict):
    """char -> 4 hex digits of its glyph id; unknown characters map to «?»."""

    def __init__(self, data: dict[str, str], fallback: str) -> None:
        super().__init__(data)
        self.fallback = fallback

    def __missing__(self, key: str) -> str:
        return self.fallback


class _OrdGlyphs(dict):
    """The same for str.translate, which looks up code points."""

    def __init__(self, data: dict[int, str], fallback: str) -> None:
        super().__init__(data)
        self.fallback = fallback

    def __missing__(self, key: int) -> str:
        return self.fallback


class _Widths(dict):
    def __init__(self, data: dict[str, int], fallback: int) -> None:
        super().__init__(data)
        self.fallback = fallback

    def __missing__(self, key: str) -> int:
        return self.fallback


class Style:
    """One font style: PDF resource name, glyph encoding and advance widths (1/1000 em)."""

    def __init__(self, resource: str, glyphs: dict[str, int], widths: dict[str, int]) -> None:
        self.resource = resource
        hexes = {ch: f"{gid:04X}" for ch, gid in glyphs.items()}
        hexes[" "] = "0020"
        hexes["\u00a0"] = "0020"
        self.table = _OrdGlyphs({ord(k): v for k, v in hexes.items()}, hexes["?"])
        self.widths = _Widths(widths, widths["?"])
        self.widths["\u00a0"] = widths[" "]
        self.max_width = max(widths.values())
        self._units: dict[str, int] = {}

    def encode(self, text: str) -> str:
        return text.translate(self.table)

    def units(self, text: str) -> int:
        """Advance width of `text` in 1/1000 em (memoised: forms repeat the same strings)."""
        u = self._units.get(text)
        if u is None:
            if len(self._units) > 100_000:
                self._units.clear()
            u = self._units[text] = sum(map(self.widths.__getitem__, text))
        return u

    def width(self, text: str, size_pt: float) -> float:
        """Width of `text` in millimetres at `size_pt` points."""
        return self.units(text) * size_pt * (0.001 * MM_PER_PT)

    def surely_fits(self, text: str, w: float, size_pt: float) -> bool:
        """A cheap upper bound: True when even the widest glyphs would fit."""
        return len(text) * self.max_width * size_pt * (0.001 * MM_PER_PT) <= w


class Typeface:
    """Regular and bold DejaVu Sans as fixed-subset styles."""

    def __init__(self, regular: Style, bold: Style) -> None:
        self.regular = regular
        self.bold = bold

    def style(self, bold: bool) -> Style:
        return self.bold if bold else self.regular

    @staticmethod
    @cache
    def load() -> Typeface:
        pdf = FPDF(unit="mm", format="A4")
        fonts.add_to(pdf)
        pick_charset(pdf)
        styles = []
        for style in ("", "B"):
            font = pdf.fonts[f"{FAMILY.lower()}{style}"]
            glyphs = {ch: font.subset.pick(ord(ch)) for ch in CHARSET}
            widths = {ch: int(font.cw[ord(ch)]) for ch in CHARSET + " "}
            styles.append(Style(f"/F{font.i}", glyphs, widths))
        return Typeface(*styles)
