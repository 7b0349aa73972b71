"""`sbyt epd send`: each consenting account gets its ЕПД as a PDF attachment over SMTP.

Every attempt is written to `epd_delivery` right after it (sent, or failed with the reason), so a
rerun — even after a crash halfway — never sends a delivered document again and retries only the
failures. One SMTP connection serves the whole run; a refused recipient fails only its message.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from sbyt.core.access import requires
from sbyt.core.config import SmtpConfig
from sbyt.core.errors import SbytError
from sbyt.core.periods import period_iso, period_title
from sbyt.core.store import Store
from sbyt.reports.epd_data import Epd, check_period, gather, last_closed_period, select_accounts
from sbyt.reports.epd_print import render_epds

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SendResult:
    period: int
    sent: int
    failed: int
    skipped: int          # already delivered earlier

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.skipped


def _message(epd: Epd, cfg: SmtpConfig, pdf: bytes) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = cfg.sender
    msg["To"] = epd.email.strip()
    msg["Subject"] = f"Платёжный документ за {period_title(epd.period)} г., лицевой счёт {epd.number}"
    msg["Message-ID"] = make_msgid(domain=cfg.sender.rsplit("@", 1)[-1].strip(" >") or None)
    msg.set_content(
        f"Здравствуйте!\n\nВо вложении единый платёжный документ за {period_title(epd.period)} г. "
        f"по лицевому счёту {epd.number} ({epd.address}).\n"
        f"Сумма к оплате: {epd.to_pay_kop // 100},{epd.to_pay_kop % 100:02d} руб. "
        f"Для оплаты отсканируйте QR-код в приложении банка.\n\n{epd.supplier.name}\n"
    )
    msg.add_attachment(pdf, maintype="application", subtype="pdf",
                       filename=f"epd_{epd.number}_{period_iso(epd.period)}.pdf")
    return msg


def smtp_connect(cfg: SmtpConfig) -> smtplib.SMTP:
    try:
        if cfg.ssl:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
            if cfg.starttls:
                smtp.starttls(context=ssl.create_default_context())
        if cfg.login:
            smtp.login(cfg.login, cfg.password)
    except (OSError, smtplib.SMTPException) as exc:
        raise SbytError(f"Не удалось подключиться к почтовому серверу {cfg.host}:{cfg.port}: {exc}") from None
    return smtp


def _log(store: Store, epd: Epd, status: str, error: str | None) -> None:
    store.execute(
        "INSERT INTO epd_delivery (id, period, account_id, email, status, error, attempted_by)"
        " VALUES (nextval('epd_delivery_seq'), ?, ?, ?, ?, ?, ?)",
        [epd.period, epd.account_id, epd.email.strip(), status, error, store.user],
    )


def smtp_reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"адрес отклонён сервером: {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    if isinstance(exc, smtplib.SMTPResponseException):
        err = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"ошибка сервера: {exc.smtp_code} {err}"
    return f"{type(exc).__name__}: {exc}"


@requires("epd.print")
def send_epd(store: Store, cfg: SmtpConfig, *, period: int | None = None,
             progress: Progress | None = None) -> SendResult:
    if period is None:
        period = last_closed_period(store)
    check_period(store, period)
    ids = select_accounts(store, period, email_only=True)
    done = {r[0] for r in store.all(
        "SELECT DISTINCT account_id FROM epd_delivery WHERE period = ? AND status = 'sent'", [period])}
    todo = [i for i in ids if i not in done]
    skipped = len(ids) - len(todo)
    sent = failed = 0
    if not todo:
        return SendResult(period, 0, 0, skipped)
    smtp = smtp_connect(cfg)
    try:
        for n, epd in enumerate(gather(store, period, todo), start=1):
            pdf = render_epds([epd])
            try:
                smtp.send_message(_message(epd, cfg, pdf))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                _log(store, epd, "failed", smtp_reason(exc))
                failed += 1
            except (OSError, smtplib.SMTPException) as exc:  # the connection is gone: stop the run
                _log(store, epd, "failed", smtp_reason(exc))
                raise SbytError(f"Рассылка прервана: {smtp_reason(exc)}. Отправлено: {sent}; повторный запуск "
                                f"продолжит с неотправленных.") from None
            else:
                _log(store, epd, "sent", None)
                sent += 1
            if progress:
                progress(n, len(todo))
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return SendResult(period, sent, failed, skipped)
