"""A PDF of pages drawn on canvases: fpdf2 builds the file and embeds the font subset.

Pages arrive as finished content streams (`Canvas.getvalue()`), possibly drawn in other
processes: the glyph ids are fixed by `typeface.pick_charset`, so they agree everywhere.
One /Resources dictionary serves all pages (every page of a form uses the same two fonts).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from fpdf import FPDF

from sbyt.reports import fonts
from sbyt.reports.forms.typeface import FAMILY, Typeface, pick_charset


class _FontResources:
    """Stands in for fpdf2's blend group so that our Form XObject gets a /Resources with the fonts."""

    def __init__(self, font_ids: list[int]) -> None:
        self.font_ids = font_ids

    def get_resource_dictionary(self, gfx: object, patterns: object, shadings: object,
                                font_objs_per_index: dict, img_objs_per_index: object) -> str:
        fonts = "".join(f"/F{i} {font_objs_per_index[i].id} 0 R" for i in self.font_ids if i in font_objs_per_index)
        return f"<</Font <<{fonts}>>>>"


class FormDocument:
    def __init__(self, title: str = "", author: str = "sbyt", compress: bool = True) -> None:
        pdf = FPDF(unit="mm", format="A4")
        pdf.set_compression(compress)
        pdf.set_creator("sbyt")
        pdf.set_author(author)
        if title:
            pdf.set_title(title)
        pdf.set_auto_page_break(False)
        fonts.add_to(pdf)
        pick_charset(pdf)
        face = Typeface.load()
        for style, ours in (("", face.regular), ("B", face.bold)):
            font = pdf.fonts[f"{FAMILY.lower()}{style}"]
            if f"/F{font.i}" != ours.resource:  # pragma: no cover - guards the fixed-id contract
                raise RuntimeError("font resource ids differ between Typeface and FormDocument")
        # All pages share one resource dictionary: both fonts on every page.
        pdf.single_resources_object = True
        self.pdf = pdf
        self._font_ids = [pdf.fonts[k].i for k in pdf.fonts]
        self.pages = 0
        self._background = b""

    def set_background(self, content: bytes) -> bool:
        """Draw `content` under every following page as one shared Form XObject.

        Uses fpdf2's internal list of form XObjects (fpdf2 ≥ 2.8.5); returns False, changing
        nothing, when that is not available: the caller then puts the bytes on each page."""
        try:
            from fpdf.syntax import Name, PDFArray, PDFContentStream

            catalog = self.pdf._resource_catalog
            forms = catalog.form_xobjects
            index = catalog.next_xobject_index
        except (ImportError, AttributeError):
            return False
        xobj = PDFContentStream(contents=content, compress=self.pdf.compress)
        xobj.type = Name("XObject")  # type: ignore[attr-defined]
        xobj.subtype = Name("Form")  # type: ignore[attr-defined]
        xobj.b_box = PDFArray([0, 0, round(self.pdf.w_pt, 2), round(self.pdf.h_pt, 2)])  # type: ignore[attr-defined]
        xobj._registered = False  # type: ignore[attr-defined]
        xobj._blend_group = _FontResources(self._font_ids)  # type: ignore[attr-defined]
        catalog.next_xobject_index = index + 1
        forms.append((index, xobj))
        self._background = f"q /I{index} Do Q\n".encode("ascii")
        return True

    def add_page(self, content: bytes | Iterable[bytes]) -> None:
        pdf = self.pdf
        pdf.add_page()
        buf = pdf.pages[pdf.page].contents
        if self._background:
            buf += self._background
        if isinstance(content, (bytes, bytearray)):
            buf += content
        else:
            for part in content:
                buf += part
        if self.pages == 0:
            from fpdf.enums import PDFResourceType

            for i in self._font_ids:
                pdf._resource_catalog.add(PDFResourceType.FONT, i, pdf.page)
        self.pages += 1

    def output(self, path: str | os.PathLike[str] | None = None) -> bytes | None:
        """Write the file (or return its bytes when `path` is None)."""
        if self.pages == 0:
            self.pdf.add_page()
        if path is None:
            return bytes(self.pdf.output())
        self.pdf.output(str(path))
        return None
