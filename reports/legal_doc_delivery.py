"""Delivery of legal-entity documents: by e-mail (`sbyt docs send`, a PDF per document to the
contract's e-mail) and as ЭДО exchange files (`sbyt docs export`, the ФНС XML of the VAT invoices,
УПД and corrective invoices).

Every attempt is written to `legal_doc_delivery` (sent, or failed with the reason), so a rerun sends
nothing twice and retries only the failures — the habits of the ЕПД sender
(`sbyt.reports.epd_mail`), whose SMTP connection and error wording it shares.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from sbyt.core.access import requires
from sbyt.core.config import SmtpConfig
from sbyt.core.errors import SbytError
from sbyt.core.labels import label
from sbyt.core.legal_docs import Doc, load_docs
from sbyt.core.money import format_rub
from sbyt.core.store import Store
from sbyt.io.edo_xml import EdoFile, edo_file, signer_on
from sbyt.reports.epd_mail import smtp_connect, smtp_reason

EDO_KINDS = ("sf", "sf_advance", "ksf", "upd")
CHUNK = 500          # documents read at once


@dataclass(frozen=True)
class DeliveryResult:
    sent: int
    failed: int
    skipped: int          # delivered earlier

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.skipped


def _delivered(store: Store, ids: Sequence[int], channel: str) -> set[int]:
    return {r[0] for r in store.all("SELECT DISTINCT doc_id FROM legal_doc_delivery WHERE channel = ?"
                                    " AND status = 'sent' AND list_contains(?, doc_id)", [channel, list(ids)])}


def _log(store: Store, rows: list[tuple]) -> None:
    if rows:
        store.con.executemany("INSERT INTO legal_doc_delivery (doc_id, channel, address, status, error, file_name)"
                              " VALUES (?, ?, ?, ?, ?, ?)", rows)


def _chunks(store: Store, ids: Sequence[int]) -> Iterator[list[Doc]]:
    for i in range(0, len(ids), CHUNK):
        yield load_docs(store, ids[i:i + CHUNK])


def file_stem(doc: Doc) -> str:
    """`sf_45_2026-10-31` / `sf_45_1_2026-10-31` (a correction): the name of a document's files."""
    corr = f"_{doc.correction_no}" if doc.correction_no else ""
    return f"{doc.kind}_{doc.doc_no}{corr}_{doc.doc_date:%Y-%m-%d}"


def _message(doc: Doc, cfg: SmtpConfig, pdf: bytes) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = cfg.sender
    msg["To"] = (doc.email or "").strip()
    what = f"{label('doc_kind', doc.kind)} № {doc.doc_no} от {doc.doc_date:%d.%m.%Y}"
    msg["Subject"] = f"{what}, договор № {doc.contract_no}"
    msg["Message-ID"] = make_msgid(domain=cfg.sender.rsplit("@", 1)[-1].strip(" >") or None)
    text = f"Здравствуйте!\n\nВо вложении {what[0].lower() + what[1:]} по договору № {doc.contract_no}"
    text += f" на сумму {format_rub(doc.total_kop)} руб."
    if doc.due_date:
        text += f" Срок оплаты — до {doc.due_date:%d.%m.%Y}; в назначении платежа укажите номер счёта {doc.doc_no}."
    msg.set_content(text + f"\n\n{doc.seller.name}\n")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=file_stem(doc) + ".pdf")
    return msg


@requires("docs.issue")
def send_docs(store: Store, cfg: SmtpConfig, ids: Sequence[int], *,
              progress: Callable[[int, int], None] | None = None) -> DeliveryResult:
    """E-mail each document to its contract's address (see the module docstring)."""
    from sbyt.reports.legal_doc_print import doc_pdf

    done = _delivered(store, ids, "email")
    todo = [i for i in ids if i not in done]
    sent = failed = 0
    if not todo:
        return DeliveryResult(0, 0, len(ids))
    smtp = None
    try:
        n = 0
        for docs in _chunks(store, todo):
            rows = []
            for doc in docs:
                n += 1
                address = (doc.email or "").strip()
                if not address:
                    rows.append((doc.id, "email", None, "failed", "нет адреса e-mail у контрагента", None))
                    failed += 1
                    continue
                smtp = smtp or smtp_connect(cfg)
                try:
                    smtp.send_message(_message(doc, cfg, doc_pdf(doc)))
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                    rows.append((doc.id, "email", address, "failed", smtp_reason(exc), None))
                    failed += 1
                except (OSError, smtplib.SMTPException) as exc:
                    rows.append((doc.id, "email", address, "failed", smtp_reason(exc), None))
                    _log(store, rows)
                    raise SbytError(f"Рассылка прервана: {smtp_reason(exc)}. Отправлено: {sent}; повторный запуск "
                                    f"продолжит с неотправленных.") from None
                else:
                    rows.append((doc.id, "email", address, "sent", None, file_stem(doc) + ".pdf"))
                    sent += 1
                if progress:
                    progress(n, len(todo))
            _log(store, rows)
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
    return DeliveryResult(sent, failed, len(ids) - len(todo))


@dataclass(frozen=True)
class Export:
    files: list[EdoFile]
    skipped: int          # exported earlier
    not_edo: int          # documents of kinds that have no ЭДО format (bills, acts)


@requires("docs.issue")
def export_edo(store: Store, ids: Sequence[int], *, again: bool = False, now: datetime | None = None,
               progress: Callable[[int, int], None] | None = None) -> Export:
    """The ЭДО files of the documents that have a ФНС format, each validated against its schema
    (`sbyt.io.edo_xml`); the export is logged (channel 'edo'), and a rerun without `again` leaves
    out what was exported before. Nothing is logged when a file fails its schema."""
    kinds = dict(store.all("SELECT id, kind FROM legal_doc WHERE list_contains(?, id)", [list(ids)]))
    edo = [i for i in ids if kinds.get(i) in EDO_KINDS]
    done = set() if again else _delivered(store, edo, "edo")
    todo = [i for i in edo if i not in done]
    files: list[EdoFile] = []
    signers: dict = {}
    n = 0
    for docs in _chunks(store, todo):
        for doc in docs:
            day = doc.correction_date or doc.doc_date
            if day not in signers:
                signers[day] = signer_on(store, day)
            when = now or datetime.combine(day, datetime.min.time())      # the same document, the same file
            files.append(edo_file(doc, sender_id=None, recipient_id=None, now=when, signer=signers[day]))
            n += 1
            if progress:
                progress(n, len(todo))
    with store.transaction():
        _log(store, [(i, "edo", None, "sent", None, f.name) for i, f in zip(todo, files)])
    return Export(files, len(edo) - len(todo), len(ids) - len(edo))
