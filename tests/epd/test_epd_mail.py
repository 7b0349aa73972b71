"""E-mail delivery against a real SMTP server on localhost (aiosmtpd), with a refused recipient."""

from __future__ import annotations

from email import message_from_bytes
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.config import SmtpConfig, smtp_config
from sbyt.core.errors import SbytError
from sbyt.core.store import Store
from sbyt.reports.epd_mail import send_epd

def test_send_refused_recipient_and_rerun(epd_store: Store, smtp_server) -> None:
    ctl, handler = smtp_server
    cfg = SmtpConfig(host="127.0.0.1", port=ctl.port, sender="ЕПД <epd@sbyt.example>", starttls=False)
    res = send_epd(epd_store, cfg)
    assert (res.period, res.sent, res.failed, res.skipped) == (202610, 1, 1, 0)
    assert len(handler.messages) == 1
    _, rcpt, raw = handler.messages[0]
    assert rcpt == ["maria@example.org"]
    msg = message_from_bytes(raw)
    assert "1000000001" in str(msg["Subject"]) or "1000000001" in msg.get("Subject", "")
    pdfs = [p for p in msg.walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_payload(decode=True).startswith(b"%PDF")
    assert pdfs[0].get_filename() == "epd_1000000001_2026-10.pdf"
    log = epd_store.all("SELECT a.number, d.email, d.status, d.error FROM epd_delivery d"
                        " JOIN account a ON a.id = d.account_id ORDER BY a.number")
    assert log[0][:3] == ("1000000001", "maria@example.org", "sent") and log[0][3] is None
    assert log[1][:3] == ("1000000004", "refuse@example.org", "failed")
    assert log[1][3] == "адрес отклонён сервером: 550 5.1.1 Mailbox unavailable"

    again = send_epd(epd_store, cfg)   # the rerun sends nothing new, retries the failure
    assert (again.sent, again.failed, again.skipped) == (0, 1, 1)
    assert len(handler.messages) == 1


def test_server_unreachable_is_a_clear_error(epd_store: Store, unused_port: int) -> None:
    cfg = SmtpConfig(host="127.0.0.1", port=unused_port, sender="epd@sbyt.example", starttls=False, timeout=2)
    with pytest.raises(SbytError, match="Не удалось подключиться к почтовому серверу 127.0.0.1"):
        send_epd(epd_store, cfg)
    assert epd_store.scalar("SELECT count(*) FROM epd_delivery") == 0


def test_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SBYT_CONFIG", raising=False)
    db = tmp_path / "x.duckdb"
    with pytest.raises(SbytError, match=r"нет раздела \[smtp\]"):
        smtp_config(db)
    (tmp_path / "sbyt.toml").write_text('[smtp]\nhost = "mail.example"\nlogin = "u"\npassword = "p"\n'
                                         'from = "epd@example"\n', encoding="utf-8")
    assert smtp_config(db) == SmtpConfig("mail.example", 587, "epd@example", True, False, "u", "p", 30.0)
    other = tmp_path / "other.toml"
    other.write_text('[smtp]\nhost = "h"\nfrom = "f@x"\nssl = true\n', encoding="utf-8")
    monkeypatch.setenv("SBYT_CONFIG", str(other))
    assert smtp_config(db) == SmtpConfig("h", 465, "f@x", False, True, "", "", 30.0)


def test_cli_send(epd_store: Store, smtp_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctl, handler = smtp_server
    path = epd_store.path
    epd_store.close()
    cfg = tmp_path / "mail.toml"
    cfg.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {ctl.port}\nstarttls = false\nfrom = "epd@sbyt.example"\n',
                   encoding="utf-8")
    monkeypatch.setenv("SBYT_CONFIG", str(cfg))
    res = CliRunner().invoke(app, ["--db", str(path), "epd", "send"])
    assert res.exit_code == 0, res.output
    assert "ЕПД за 10.2026: отправлено 1, ошибок 1, уже были доставлены ранее 0." in res.output
    res = CliRunner().invoke(app, ["--db", str(path), "epd", "send", "--period", "2026-10"])
    assert "ЕПД за 10.2026: отправлено 0, ошибок 1, уже были доставлены ранее 1." in res.output
    assert len(handler.messages) == 1
