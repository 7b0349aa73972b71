"""`sbyt vat-book ...`: the sales book and the purchase book of a quarter (table, CSV, JSON; XLSX and
PDF files) and the dated table of operation codes (docs/vat_books.md)."""

from __future__ import annotations

from decimal import Decimal

import typer

from sbyt.console.cli import common
from sbyt.core.legal_docs import quarter_title
from sbyt.core.money import format_rub
from sbyt.reports.table import Column, Table

sub = typer.Typer(name="vat-book", help="Книга продаж и книга покупок за квартал (XLSX, PDF), коды видов операций.",
                  no_args_is_help=True)

QUARTER_HELP = "Квартал: ГГГГ-К, например 2026-2 (II квартал 2026 г.)."


def _value(v: object, money: bool) -> object:
    return Decimal(int(v)).scaleb(-2) if money and v is not None else v  # type: ignore[call-overload]


def _tables(book) -> dict[str, Table]:  # noqa: ANN001 - sbyt.reports.vat_books.Book
    from sbyt.reports.vat_books import BOOK_TITLES, quarter_label

    def table(title: str, columns, rows) -> Table:  # noqa: ANN001
        cols = [Column(c.key, f"{c.label} {c.title}", "money", total=True) if c.money
                else Column(c.key, f"{c.label} {c.title}", "text") for c in columns]
        body = [tuple(_value(r.cells.get(c.key), c.money) for c in columns) for r in rows]
        return Table(title, cols, body)

    out = {"book": table(book.title, book.columns, book.rows)}
    for n, sheet in enumerate(book.sheets, 1):
        out[f"sheet_{n}_{quarter_label(sheet.for_quarter)}"] = table(
            f"Дополнительный лист № {n} {BOOK_TITLES[book.book].lower().replace('книга', 'книги')} за "
            f"{quarter_title(sheet.for_quarter)} (без строки «Итого» книги)", sheet.columns, sheet.rows)
    return out


def _book(kind: str, quarter: str, xlsx: str | None, pdf: str | None, fmt: common.Fmt) -> None:
    from sbyt.console.cli import files
    from sbyt.reports import vat_books

    q = vat_books.parse_quarter(quarter)
    with common.store(read_only=True) as st:
        book = vat_books.build_book(st, kind, q)
    written = []
    if xlsx:
        vat_books.write_xlsx(book, xlsx, save=files.write)
        written.append(xlsx)
    if pdf:
        _, pages = vat_books.write_pdf(book, pdf, save=files.write)
        written.append(f"{pdf} ({pages} стр.)")
    n = len(book.rows)
    vat = book.totals.get("vat", sum(v for k, v in book.totals.items() if k.startswith("vat_")))
    word = "запись" if n % 10 == 1 and n % 100 != 11 else "записи" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 \
        else "записей"
    message = f"{book.title}: {n} {word}, НДС {format_rub(vat)} ₽"
    if book.sheets:
        message += f", дополнительных листов: {len(book.sheets)}"
    common.err(message + (f". Записано: {', '.join(written)}." if written else "."))
    if not written or fmt is not common.Fmt.table:
        common.emit_tables(_tables(book), fmt)


@sub.command("sales", help="Книга продаж за квартал: записи в порядке регистрации, итоги по ставкам, "
                           "дополнительные листы; в XLSX и PDF — по форме.")
def sales(quarter: str = typer.Option(..., "--quarter", "-q", help=QUARTER_HELP),
          xlsx: str = typer.Option(None, "--xlsx", help="Записать книгу в XLSX-файл.", metavar="FILE.xlsx"),
          pdf: str = typer.Option(None, "--pdf", help="Записать книгу в PDF-файл (A4 альбомная).", metavar="FILE.pdf"),
          fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    _book("sales", quarter, xlsx, pdf, fmt)


@sub.command("purchase", help="Книга покупок за квартал (вычет НДС с авансов при отгрузке — код 22, "
                              "корректировочные счета-фактуры на уменьшение — код 18).")
def purchase(quarter: str = typer.Option(..., "--quarter", "-q", help=QUARTER_HELP),
             xlsx: str = typer.Option(None, "--xlsx", help="Записать книгу в XLSX-файл.", metavar="FILE.xlsx"),
             pdf: str = typer.Option(None, "--pdf", help="Записать книгу в PDF-файл (A4 альбомная).",
                                     metavar="FILE.pdf"),
             fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    _book("purchase", quarter, xlsx, pdf, fmt)


@sub.command("codes", help="Коды видов операций книг покупок и продаж (датированный справочник).")
def codes(fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.reports.vat_books import op_codes

    with common.store(read_only=True) as st:
        rows = op_codes(st)
    common.emit(["Код", "Действует с", "Действует по", "Вид операции"], rows, fmt,
                title="Коды видов операций (книги покупок и продаж)")


def register(app: typer.Typer) -> None:
    app.add_typer(sub)
