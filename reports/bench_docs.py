"""`sbyt bench docs`: time the month's legal-entity documents on a demo store — `sbyt docs issue` for
every contract, then printing them to one PDF.

The demo store keeps its open month calculated and never closed (`sbyt bench` recalculates it), so
the measurement runs on a scratch copy: the copy's open month gets its legal-entity lines (a
legal-only calculation if it has none) posted into the contracts' ledger as the close posts them
(`sbyt.calc.close.post_legal`) and is marked closed; the households are left as they are. The copy
is deleted afterwards.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from sbyt.calc.bench import peak_rss_mb
from sbyt.calc.close import post_legal
from sbyt.calc.legal_docs import issue
from sbyt.calc.pipeline import calculate
from sbyt.core.legal_docs import load_docs, select_docs
from sbyt.core.period_state import open_period
from sbyt.core.store import open_store
from sbyt.reports.legal_doc_print import print_docs

Progress = Callable[[str, float], None]


def run_docs_bench(path: Path, *, print_limit: int | None = 20_000, progress: Progress | None = None,
                   memory_limit: str | None = "4GB") -> dict[str, object]:
    tick = progress or (lambda stage, frac: None)
    scratch = path.with_name(path.stem + ".docs-bench.duckdb")
    tick("копия базы", 0.05)
    shutil.copyfile(path, scratch)
    try:
        with open_store(scratch) as st:
            if memory_limit:
                st.execute(f"SET memory_limit = '{memory_limit}'")
            period = open_period(st)
            if not st.scalar("SELECT count(*) FROM legal_charge WHERE period = ?", [period]):
                tick("расчёт юридических лиц", 0.1)
                calculate(st, only="legal")
            tick("проводка месяца", 0.2)
            post_legal(st, period)
            st.execute("UPDATE billing_period SET status = 'closed', closed_at = current_timestamp WHERE period = ?",
                       [period])
            contracts = int(st.scalar("SELECT count(*) FROM contract WHERE state = 'signed'"))
            tick("выписка документов", 0.3)
            t0 = time.perf_counter()
            res = issue(st, period, kinds=["shipment", "sf_advance", "bill_remainder", "bill_penalty", "ksf"])
            issue_s = time.perf_counter() - t0
            issue_rss = peak_rss_mb()
            lines = int(st.scalar("SELECT count(*) FROM legal_doc_line l JOIN legal_doc d ON d.id = l.doc_id"
                                  " WHERE d.run_id = ?", [res.run_id]))
            tick("печать", 0.6)
            ids = select_docs(st, period=period)
            if print_limit:
                ids = ids[:print_limit]
            t0 = time.perf_counter()
            docs = load_docs(st, ids)
            load_s = time.perf_counter() - t0
        out = scratch.with_suffix(".pdf")
        printed = print_docs(docs, out)
        size_mb = out.stat().st_size / 2 ** 20
        out.unlink()
    finally:
        for p in (scratch, Path(str(scratch) + ".wal")):
            if p.exists():
                p.unlink()
    tick("готово", 1.0)
    return {
        "period": period,
        "contracts": contracts,
        "documents": res.issued,
        "kinds": res.counts,
        "lines": lines,
        "issue_s": round(issue_s, 3),
        "issue_peak_rss_mb": round(issue_rss, 1),
        "printed_documents": printed.documents,
        "pages": printed.pages,
        "load_s": round(load_s, 3),
        "print_s": round(printed.seconds, 3),
        "pages_per_s": round(printed.pages / printed.seconds, 1) if printed.seconds else None,
        "pdf_mb": round(size_mb, 1),
    }
