"""`sbyt docs`: legal-entity documents — issue the month's documents, list and show them, print
them to PDF, send them by e-mail, export them for ЭДО, correct a VAT invoice (docs/legal_docs.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from sbyt.console.cli import common, files
from sbyt.core.errors import SbytError

docs_app = typer.Typer(name="docs", help="Документы юридических лиц: счета на оплату, счета-фактуры, акты, УПД, "
                                         "корректировочные счета-фактуры; печать, рассылка, выгрузка в ЭДО.",
                       no_args_is_help=True)

KIND_HELP = ("Вид документа (можно несколько раз): bill_advance, bill_actual, bill_remainder, bill_penalty, sf, "
             "sf_advance, ksf, act, act_recalc, upd.")
ISSUE_KIND_HELP = ("Что выписать (можно несколько раз; по умолчанию всё): bill_advance — счета на промежуточные "
                   "платежи, shipment — акт и счёт-фактура (или УПД), ksf — корректировочные счета-фактуры и акты "
                   "перерасчёта, sf_advance — счета-фактуры на аванс, bill_remainder — счета на окончательный "
                   "расчёт, bill_penalty — счета на пени, households — сводная запись книги продаж по населению.")


def _period(text: str | None) -> int:
    from sbyt.core.period_state import open_period

    p = common.period_arg(text)
    if p is not None:
        return p
    with common.store(read_only=True) as st:
        return open_period(st)


@docs_app.command("issue", help="Выписать документы месяца по всем договорам с поставкой (или по выбранным): "
                                "счета на промежуточные платежи открытого месяца; по закрытому месяцу — акт "
                                "приёма-передачи и счёт-фактуру (или УПД), корректировочные счета-фактуры к "
                                "перерасчётам прошлых месяцев, счета-фактуры на аванс, счета на окончательный "
                                "расчёт и на пени, записи книг продаж и покупок. Уже выписанное повторно не "
                                "выписывается; документы не изменяются после выписки.")
def issue_cmd(period: str = typer.Option(None, "--period", "-p", help="Месяц ГГГГ-ММ (по умолчанию открытый)."),
              contract: list[str] = typer.Option(None, "--contract", help="Номер договора (можно несколько раз)."),
              kind: list[str] = typer.Option(None, "--kind", help=ISSUE_KIND_HELP)) -> None:
    from sbyt.calc.legal_docs import issue
    from sbyt.console.progress import stage_progress
    from sbyt.core.labels import label

    p = _period(period)
    with stage_progress("Выписка документов") as tick, common.store() as st:
        tick("отбор и расчёт", 0.1)
        res = issue(st, p, contracts=contract or None, kinds=kind or None,
                    progress=lambda text: tick(text, 0.6))
        tick("готово", 1.0)
    for w in res.warnings:
        common.err(w)
    if not res.issued:
        common.err(f"Новых документов за {_title(p)} нет: всё уже выписано.")
        return
    rows = [(label("doc_kind", k) if k != "households" else "Сводная запись книги продаж (население)", n)
            for k, n in res.counts.items()]
    common.emit(["документ", "выписано"], rows, common.Fmt.table, title=f"Документы за {_title(p)}")
    common.err(f"Выписано документов: {res.issued} (выписка № {res.run_id}).")


def _title(period: int) -> str:
    from sbyt.core.periods import period_title

    return f"{period_title(period)} г."


@docs_app.command("list", help="Документы: номер, дата, вид, договор, месяц, сумма, НДС, исправление.")
def list_cmd(period: str = typer.Option(None, "--period", "-p", help="Выписанные в месяце ГГГГ-ММ."),
             contract: list[str] = typer.Option(None, "--contract", help="Номер договора (можно несколько раз)."),
             kind: list[str] = typer.Option(None, "--kind", help=KIND_HELP),
             fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.labels import label
    from sbyt.core.legal_docs import load_docs, select_docs
    from sbyt.core.money import rub
    from sbyt.core.periods import period_label

    with common.store(read_only=True) as st:
        docs = load_docs(st, select_docs(st, period=common.period_arg(period), contracts=contract or None,
                                         kinds=kind or None, latest_only=False))
    rows = [(d.doc_no, d.doc_date, label("doc_kind", d.kind) + (f" (статус {d.upd_status})" if d.upd_status else ""),
             d.contract_no, period_label(d.for_period), rub(d.total_kop), rub(d.vat_kop),
             f"№ {d.correction_no} от {d.correction_date:%d.%m.%Y}" if d.correction_no else "")
            for d in docs]
    common.emit(["номер", "дата", "вид", "договор", "месяц", common.money("сумма, руб."), common.money("НДС, руб."),
                 "исправление"], rows, fmt, title="Документы юридических лиц")


@docs_app.command("show", help="Документ целиком: реквизиты сторон, строки, ссылки (платёжные документы, "
                               "зачтённые авансы, документ отгрузки), записи в книгах продаж и покупок.")
def show_cmd(number: str = typer.Argument(..., help="Номер документа (С-12, А-7, 45)."),
             year: int = typer.Option(None, "--year", help="Год документа (по умолчанию последний с таким номером)."),
             kind: str = typer.Option(None, "--kind", help="Вид, если номер есть у документов разных видов."),
             fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.legal_docs import book_rows, doc_facts, doc_title, find_doc
    from sbyt.core.money import rub

    with common.store(read_only=True) as st:
        d = find_doc(st, number, year, kind)
        facts = doc_facts(d, book_rows(st, d.id))
    head = doc_title(d)
    lines = [(ln.line_no, ln.name, ln.unit or "", ln.quantity, ln.price, rub(ln.amount_kop), ln.vat_rate or "",
              rub(ln.vat_kop), rub(ln.total_kop)) for ln in d.lines]
    common.emit_tables({"Документ": common.table(["поле", "значение"], facts, head),
                        "Строки": common.table(["№", "наименование", "ед.", "количество", "цена без НДС",
                                                common.money("стоимость без НДС"), "ставка", common.money("НДС"),
                                                common.money("всего")], lines, "Строки")}, fmt)


@docs_app.command("correct", help="Исправленный счёт-фактура (строка 1а): тот же номер, дата и суммы с "
                                  "текущими реквизитами продавца и покупателя; в книге продаж запись исправляемого "
                                  "документа аннулируется и регистрируется исправление (в дополнительном листе, "
                                  "если квартал прошёл). Для изменения стоимости — перерасчёт и корректировочный "
                                  "счёт-фактура (sbyt docs issue).")
def correct_cmd(number: str = typer.Argument(..., help="Номер счёта-фактуры или УПД."),
                reason: str = typer.Option(..., "--reason", help="Что исправлено (ошибка в реквизитах)."),
                year: int = typer.Option(None, "--year", help="Год документа."),
                kind: str = typer.Option(None, "--kind", help="Вид документа, если номер неоднозначен.")) -> None:
    from sbyt.calc.legal_docs import correct

    with common.store() as st:
        c = correct(st, number, year=year, kind=kind, reason=reason)
    common.err(f"Выписано исправление № {c.correction_no} от {c.correction_date:%d.%m.%Y} к документу "
               f"№ {c.doc_no}: изменились реквизиты ({', '.join(c.changed)}).")


def _selected(st, numbers: list[str] | None, period: str | None, contract: list[str] | None,  # noqa: ANN001
              kind: list[str] | None) -> list[int]:
    from sbyt.core.legal_docs import select_docs

    if not numbers and not period:
        raise SbytError("Укажите номера документов или месяц (--period).")
    return select_docs(st, period=common.period_arg(period), contracts=contract or None, kinds=kind or None,
                       numbers=numbers or None)


NUMBERS = typer.Argument(None, help="Номера документов (или отбор: --period, --contract, --kind).")
PERIOD = typer.Option(None, "--period", "-p", help="Документы, выписанные в месяце ГГГГ-ММ.")
CONTRACT = typer.Option(None, "--contract", help="Номер договора (можно несколько раз).")
KIND = typer.Option(None, "--kind", help=KIND_HELP)


@docs_app.command("print", help="Напечатать документы в один PDF-файл: по номерам или все выписанные в месяце "
                                "(с отбором по договорам и видам); исправленный документ — в последнем исправлении.")
def print_cmd(numbers: list[str] = NUMBERS, out: Path = typer.Option(..., "--out", "-o", metavar="FILE.pdf",
                                                                     help="PDF-файл результата."),
              period: str = PERIOD, contract: list[str] = CONTRACT, kind: list[str] = KIND) -> None:
    from sbyt.core.legal_docs import load_docs
    from sbyt.reports.legal_doc_print import print_docs

    with common.store(read_only=True) as st:
        ids = _selected(st, numbers, period, contract, kind)
        if not ids:
            raise SbytError("Нет документов по заданному отбору.")
        docs = load_docs(st, ids)
    res = print_docs(docs, out, save=files.write)
    common.err(f"Напечатано документов: {res.documents}, страниц: {res.pages} — {out} "
               f"за {res.seconds:.1f} с ({res.pages / max(res.seconds, 1e-9):.0f} стр./с).")


@docs_app.command("send", help="Разослать документы по e-mail контрагентов (PDF во вложении): по номерам или "
                               "выписанные в месяце. Уже отправленные повторно не отправляются, ошибки — в журнале "
                               "доставки; настройки SMTP — раздел [smtp] в sbyt.toml рядом с базой.")
def send_cmd(numbers: list[str] = NUMBERS, period: str = PERIOD, contract: list[str] = CONTRACT,
             kind: list[str] = KIND) -> None:
    from sbyt.core.config import smtp_config
    from sbyt.reports.legal_doc_delivery import send_docs

    with common.store() as st:
        ids = _selected(st, numbers, period, contract, kind)
        res = send_docs(st, smtp_config(st.path), ids)
    common.err(f"Документы: отправлено {res.sent}, ошибок {res.failed}, уже были отправлены ранее {res.skipped}.")
    if res.failed:
        common.err("Причины ошибок — в журнале доставки (sbyt docs log).")


@docs_app.command("export", help="Выгрузить для ЭДО файлы ФНС (XML, windows-1251): счета-фактуры, УПД, "
                                 "корректировочные счета-фактуры, каждый проверен по схеме XSD. Уже выгруженные "
                                 "повторно не выгружаются (--again — выгрузить снова); счета на оплату и акты в ЭДО "
                                 "не выгружаются.")
def export_cmd(numbers: list[str] = NUMBERS,
               out: Path = typer.Option(..., "--out", "-o", metavar="DIR", help="Каталог для файлов."),
               period: str = PERIOD, contract: list[str] = CONTRACT, kind: list[str] = KIND,
               again: bool = typer.Option(False, "--again", help="Выгрузить и уже выгруженные.")) -> None:
    from sbyt.reports.legal_doc_delivery import export_edo

    with common.store() as st:
        ids = _selected(st, numbers, period, contract, kind)
        res = export_edo(st, ids, again=again)
    for f in res.files:
        files.write(Path(out) / f.name, f.data)
    text = f"Выгружено файлов ЭДО: {len(res.files)} в {out}"
    if res.skipped:
        text += f"; выгружены ранее: {res.skipped}"
    if res.not_edo:
        text += f"; без формата ЭДО (счета на оплату, акты): {res.not_edo}"
    common.err(text + ".")


@docs_app.command("log", help="Журнал доставки документов: e-mail и выгрузки ЭДО, с причинами ошибок.")
def log_cmd(period: str = PERIOD, fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store(read_only=True) as st:
        rows = st.all("SELECT d.doc_no, d.doc_date, c.number, l.channel, l.address, l.status, l.error, l.file_name,"
                      " l.sent_at FROM legal_doc_delivery l JOIN legal_doc d ON d.id = l.doc_id"
                      " JOIN contract c ON c.id = d.contract_id WHERE (? IS NULL OR d.period = ?)"
                      " ORDER BY l.sent_at, d.year, d.series, d.seq", [common.period_arg(period)] * 2)
    common.emit(["номер", "дата", "договор", "канал", "адрес", "статус", "ошибка", "файл", "когда"], rows, fmt,
                title="Доставка документов", codes={"статус": "delivery_status"})


def register(app: typer.Typer) -> None:
    app.add_typer(docs_app)
