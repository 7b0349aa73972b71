"""1CClientBankExchange bank statements (formats 1.02 and 1.03): bytes in, a typed statement out.

The file is `Key=Value` lines: a header, balance sections `СекцияРасчСчет … КонецРасчСчет`,
documents `СекцияДокумент=<kind> … КонецДокумента`, and `КонецФайла`. Real files disagree with
their own header about the encoding (UTF-8 bytes under `Кодировка=Windows`), so the bytes decide
(see `payment_text.decode`); line ends may be CRLF or LF; unknown keys are kept and ignored.

Checks: every section is closed (a truncated file is an error naming the line where it broke),
each balance section reconciles (opening + credits − debits = closing), and the documents agree
with the sections' turnover per account. Incoming documents are those whose payee account is one
of the statement's own accounts (`РасчСчет` of the header) and whose payer is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sbyt.core.errors import RowError
from sbyt.core.money import format_rub
from sbyt.core.periods import parse_date
from sbyt.io.payment_text import decode, parse_kop

MAGIC = "1CClientBankExchange"


@dataclass(frozen=True)
class BalanceSection:
    row: int
    account: str
    date_from: date | None
    date_to: date | None
    opening_kop: int
    credits_kop: int
    debits_kop: int
    closing_kop: int


@dataclass(frozen=True)
class BankDocument:
    row: int                      # line of `СекцияДокумент`
    kind: str                     # «Платежное поручение», «Банковский ордер», ...
    number: str
    doc_date: date
    amount_kop: int
    payer_account: str
    payer_inn: str
    payer_kpp: str
    payer_name: str
    payee_account: str
    payee_inn: str
    payee_name: str
    credited: date | None         # ДатаПоступило
    debited: date | None          # ДатаСписано
    purpose: str
    incoming: bool

    @property
    def pay_date(self) -> date:
        return self.credited or self.doc_date


@dataclass(frozen=True)
class BankStatement:
    file_name: str
    version: str
    encoding: str                 # the encoding the bytes were read in
    declared_encoding: str        # what `Кодировка=` said
    sender: str
    date_from: date | None
    date_to: date | None
    accounts: tuple[str, ...]
    sections: tuple[BalanceSection, ...]
    documents: tuple[BankDocument, ...] = field(default_factory=tuple)

    @property
    def incoming(self) -> tuple[BankDocument, ...]:
        return tuple(d for d in self.documents if d.incoming)


def _opt_date(value: str | None) -> date | None:
    if not value or not value.strip():
        return None
    return parse_date(value)


def parse_bank_1c(data: bytes, file_name: str = "statement.txt") -> tuple[BankStatement | None, list[RowError]]:
    """Parse a statement; returns (statement, errors). With any error the statement is None."""
    text, encoding = decode(data)
    lines = text.splitlines()
    errors: list[RowError] = []

    def error(row: int, message: str, column: str | None = None) -> None:
        errors.append(RowError(file_name, row, message, column))

    if not lines or lines[0].strip().lstrip("\ufeff") != MAGIC:
        error(1, f"не выписка 1С: первая строка должна быть «{MAGIC}»")
        return None, errors

    header: dict[str, str] = {}
    accounts: list[str] = []
    sec_raw: list[tuple[int, dict[str, str]]] = []
    doc_raw: list[tuple[int, str, dict[str, str]]] = []
    current: dict[str, str] | None = None
    mode = "header"          # header | section | document
    opened_at = 0
    ended = False
    last_row = 0
    stray: list[RowError] = []
    for i, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        last_row = i
        if ended:
            error(i, "данные после «КонецФайла»")
            break
        key, sep, value = line.partition("=")
        key = key.strip()
        if mode == "header":
            if key == "СекцияРасчСчет":
                mode, current, opened_at = "section", {}, i
            elif key == "СекцияДокумент":
                mode, current, opened_at = "document", {"__kind": value.strip()}, i
            elif key == "КонецФайла":
                ended = True
            elif sep:
                if key == "РасчСчет":
                    accounts.append(value.strip())
                else:
                    header.setdefault(key, value.strip())
            elif i > 1:
                stray.append(RowError(file_name, i, f"строка без «=»: «{line[:60]}»"))
        elif mode == "section":
            if key == "КонецРасчСчет":
                sec_raw.append((opened_at, current or {}))
                mode, current = "header", None
            elif key in ("СекцияДокумент", "СекцияРасчСчет", "КонецФайла", "КонецДокумента"):
                error(i, f"секция остатков, начатая в строке {opened_at}, не закрыта «КонецРасчСчет»")
                mode = "broken"
                break
            elif sep and current is not None:
                current[key] = value.strip()
        elif mode == "document":
            if key == "КонецДокумента":
                doc_raw.append((opened_at, (current or {}).pop("__kind", ""), current or {}))
                mode, current = "header", None
            elif key in ("СекцияДокумент", "СекцияРасчСчет", "КонецФайла", "КонецРасчСчет"):
                error(i, f"документ, начатый в строке {opened_at}, не закрыт «КонецДокумента»")
                mode = "broken"
                break
            elif sep and current is not None:
                if key in current and key.startswith("НазначениеПлатежа"):
                    current[key] += " " + value.strip()
                else:
                    current[key] = value.strip()
    if mode == "section":
        error(last_row, f"файл оборван после строки {last_row}: секция остатков, начатая в строке "
                        f"{opened_at}, не закрыта «КонецРасчСчет»")
    elif mode == "document":
        error(last_row, f"файл оборван после строки {last_row}: документ, начатый в строке {opened_at}, "
                        f"не закрыт «КонецДокумента»")
    elif mode == "header" and not ended:
        if stray and stray[-1].row == last_row:     # the cut fragment of the last line
            stray.pop()
        error(last_row, f"файл оборван после строки {last_row}: нет «КонецФайла»")
    errors[:0] = stray
    if errors:
        return None, errors

    sections: list[BalanceSection] = []
    for row, s in sec_raw:
        try:
            sec = BalanceSection(
                row=row, account=s.get("РасчСчет", ""),
                date_from=_opt_date(s.get("ДатаНачала")), date_to=_opt_date(s.get("ДатаКонца")),
                opening_kop=parse_kop(s.get("НачальныйОстаток", "0") or "0"),
                credits_kop=parse_kop(s.get("ВсегоПоступило", "0") or "0"),
                debits_kop=parse_kop(s.get("ВсегоСписано", "0") or "0"),
                closing_kop=parse_kop(s.get("КонечныйОстаток", "0") or "0"),
            )
        except ValueError as exc:
            error(row, f"секция остатков: {exc}")
            continue
        if sec.opening_kop + sec.credits_kop - sec.debits_kop != sec.closing_kop:
            error(row, "остатки не сходятся: начальный "
                       f"{format_rub(sec.opening_kop)} + поступило {format_rub(sec.credits_kop)} − списано "
                       f"{format_rub(sec.debits_kop)} = {format_rub(sec.opening_kop + sec.credits_kop - sec.debits_kop)}, "
                       f"а конечный остаток {format_rub(sec.closing_kop)}")
        sections.append(sec)
        if sec.account and sec.account not in accounts:
            accounts.append(sec.account)

    ours = set(accounts)
    documents: list[BankDocument] = []
    for row, kind, d in doc_raw:
        try:
            amount = parse_kop(d.get("Сумма", ""))
        except ValueError as exc:
            error(row, str(exc), "Сумма")
            continue
        try:
            doc_date = parse_date(d.get("Дата", ""))
            credited = _opt_date(d.get("ДатаПоступило"))
            debited = _opt_date(d.get("ДатаСписано"))
        except ValueError as exc:
            error(row, str(exc), "Дата")
            continue
        payer_acc = d.get("ПлательщикСчет") or d.get("ПлательщикРасчСчет", "")
        payee_acc = d.get("ПолучательСчет") or d.get("ПолучательРасчСчет", "")
        purpose = " ".join(v for k, v in sorted(d.items()) if k.startswith("НазначениеПлатежа") and v)
        documents.append(BankDocument(
            row=row, kind=kind, number=d.get("Номер", ""), doc_date=doc_date, amount_kop=amount,
            payer_account=payer_acc, payer_inn=d.get("ПлательщикИНН", ""), payer_kpp=d.get("ПлательщикКПП", ""),
            payer_name=d.get("Плательщик1") or d.get("Плательщик", ""),
            payee_account=payee_acc, payee_inn=d.get("ПолучательИНН", ""),
            payee_name=d.get("Получатель1") or d.get("Получатель", ""),
            credited=credited, debited=debited, purpose=purpose.strip(),
            incoming=payee_acc in ours and payer_acc not in ours,
        ))

    # The documents must add up to each account's turnover (a missing document is an error).
    for acc in ours:
        secs = [s for s in sections if s.account == acc]
        if not secs:
            continue
        credits = sum(d.amount_kop for d in documents if d.incoming and d.payee_account == acc)
        if len(ours) == 1:      # every other document of a one-account statement is a debit
            debits = sum(d.amount_kop for d in documents if not d.incoming)
        else:
            debits = sum(d.amount_kop for d in documents if d.payer_account == acc)
        want_c = sum(s.credits_kop for s in secs)
        want_d = sum(s.debits_kop for s in secs)
        if credits != want_c:
            error(secs[0].row, f"по счёту {acc} документов поступления на {format_rub(credits)}, "
                               f"а в секции остатков «ВсегоПоступило» {format_rub(want_c)}")
        if debits != want_d:
            error(secs[0].row, f"по счёту {acc} документов списания на {format_rub(debits)}, "
                               f"а в секции остатков «ВсегоСписано» {format_rub(want_d)}")
    if errors:
        return None, errors
    try:
        date_from, date_to = _opt_date(header.get("ДатаНачала")), _opt_date(header.get("ДатаКонца"))
    except ValueError as exc:
        return None, [RowError(file_name, 1, f"заголовок: {exc}")]
    return BankStatement(
        file_name=file_name, version=header.get("ВерсияФормата", ""), encoding=encoding,
        declared_encoding=header.get("Кодировка", ""), sender=header.get("Отправитель", ""),
        date_from=date_from, date_to=date_to, accounts=tuple(accounts), sections=tuple(sections),
        documents=tuple(documents),
    ), []


def looks_like(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(MAGIC.encode())
