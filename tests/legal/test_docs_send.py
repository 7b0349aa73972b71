"""`sbyt.reports.legal_doc_delivery.send_docs` against a real SMTP server on localhost: each
document to its contract's e-mail with its PDF, a missing address logged as a failure, a rerun
sends nothing twice and retries only the failures."""

from __future__ import annotations

from email import message_from_bytes, policy

from sbyt.calc.legal_docs import issue
from sbyt.core.config import SmtpConfig
from sbyt.core.legal_docs import select_docs
from sbyt.core.store import open_store
from sbyt.reports.legal_doc_delivery import send_docs


def test_send_then_rerun(demo_db, smtp_server):
    ctl, handler = smtp_server
    cfg = SmtpConfig(host="127.0.0.1", port=ctl.port, sender="Документы <docs@sbyt.example>", starttls=False)
    with open_store(demo_db) as st:
        a, b = [r[0] for r in st.all("SELECT DISTINCT c.number FROM contract c JOIN legal_charge l ON l.contract_id = c.id"
                                     " WHERE l.period = 202610 AND l.component <> 'penalty' ORDER BY 1 LIMIT 2")]
        st.execute("UPDATE counterparty_fact SET email = NULL WHERE counterparty_id ="
                   " (SELECT counterparty_id FROM contract WHERE number = ?)", [b])     # B's card has no e-mail
        issue(st, 202610)
        ids = select_docs(st, period=202610, contracts=[a, b], kinds=["sf"])
        number = a
        email = st.scalar("SELECT email FROM legal_doc WHERE id = ?", [ids[0]])
        assert email and st.scalar("SELECT email FROM legal_doc WHERE id = ?", [ids[-1]]) is None
        res = send_docs(st, cfg, ids)
        assert (res.sent, res.failed, res.skipped) == (len(ids) - 1, 1, 0)
        assert [r[1] for r in handler.messages] == [[email]] * (len(ids) - 1)
        msg = message_from_bytes(handler.messages[0][2], policy=policy.default)
        sf_no = st.scalar("SELECT doc_no FROM legal_doc WHERE id = ?", [ids[0]])
        assert str(msg["Subject"]) == f"Счёт-фактура № {sf_no} от 31.10.2026, договор № {number}"
        (pdf,) = [p for p in msg.walk() if p.get_content_type() == "application/pdf"]
        assert pdf.get_payload(decode=True).startswith(b"%PDF")
        assert st.all("SELECT status, error FROM legal_doc_delivery WHERE doc_id = ?", [ids[-1]]) == [
            ("failed", "нет адреса e-mail у контрагента")]
        again = send_docs(st, cfg, ids)
        assert (again.sent, again.failed, again.skipped) == (0, 1, len(ids) - 1)
    assert len(handler.messages) == len(ids) - 1
