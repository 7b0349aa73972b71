"""The layout toolkit for printed forms (ЕПД, invoices, acts).

A form is drawn on a `Canvas` (millimetres from the top-left corner of an A4 page) that writes PDF
content-stream operators directly, with glyph ids and widths from a `Typeface` whose subset order
is fixed. Pages are then put into a `FormDocument` (fpdf2 builds the file and embeds the subset).
Because the glyph ids never depend on what was drawn before, a page's bytes can be drawn once and
reused (the static part of a form) or drawn in another process and merged (mass printing).

    from sbyt.reports.forms import Canvas, FormDocument, Typeface, money
    face = Typeface.load()
    c = Canvas(face)
    c.text(10, 20, "Итого: " + money(123456), size=9, bold=True)
    doc = FormDocument()
    doc.add_page(c.getvalue())
    doc.output("out.pdf")
"""

from sbyt.reports.forms.canvas import A4_H, A4_W, Canvas
from sbyt.reports.forms.document import FormDocument
from sbyt.reports.forms.text import date_ru, money, price, volume, whole
from sbyt.reports.forms.typeface import Typeface
from sbyt.reports.forms.widgets import Column, bar_chart, box, field_row, qr, table

__all__ = [
    "A4_H", "A4_W", "Canvas", "Column", "FormDocument", "Typeface", "bar_chart", "box", "date_ru",
    "field_row", "money", "price", "qr", "table", "volume", "whole",
]
