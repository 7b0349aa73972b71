"""`sbyt bench debt`: time debt collection on a demo store — selecting household debtors with every
filter of «Работа с должниками» at once, a broad selection (two unpaid months and more), and
starting cases for N of them (`sbyt debt start`: months, limitation ends, first task, event,
audit), on a scratch copy that is deleted afterwards.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sbyt.calc.bench import peak_rss_mb
from sbyt.core.collection import start_cases
from sbyt.core.debtors import DebtorFilter, find_debtors
from sbyt.core.store import open_store

Progress = Callable[[str, float], None]


def _timed(func: Callable[[], object]) -> tuple[object, float]:
    t0 = time.perf_counter()
    out = func()
    return out, time.perf_counter() - t0


def run_debt_bench(path: Path, on: date, *, start: int = 10_000, progress: Progress | None = None,
                   memory_limit: str | None = "4GB") -> dict[str, object]:
    tick = progress or (lambda stage, frac: None)
    scratch = path.with_name(path.stem + ".debt-bench.duckdb")
    tick("копия базы", 0.05)
    shutil.copyfile(path, scratch)
    try:
        with open_store(scratch) as st:
            if memory_limit:
                st.execute(f"SET memory_limit = '{memory_limit}'")
            accounts = int(st.scalar("SELECT count(*) FROM account"))
            district = st.scalar("SELECT min(district_id) FROM settlement")
            tick("отбор со всеми условиями", 0.2)
            every = DebtorFilter(district_id=district, service="electricity", min_periods=2, min_debt_kop=100_000,
                                 exclude_disconnected=True, stage="none", exclude_absent=True,
                                 exclude_no_restriction=True, over_threshold=True)
            found, every_s = _timed(lambda: find_debtors(st, every, as_of=on))
            tick("широкий отбор", 0.4)
            broad, broad_s = _timed(lambda: find_debtors(st, DebtorFilter(min_periods=2), as_of=on))
            ids = [d.account_id for d in broad[:start]]
            tick("запуск ПИР", 0.6)
            started, start_s = _timed(lambda: start_cases(st, "household", ids, on))
            tasks = int(st.scalar("SELECT count(*) FROM debt_task"))
            months = int(st.scalar("SELECT count(*) FROM debt_case_period"))
            rss = peak_rss_mb()
    finally:
        for p in (scratch, Path(str(scratch) + ".wal")):
            if p.exists():
                p.unlink()
    tick("готово", 1.0)
    return {"accounts": accounts, "as_of": on.isoformat(), "every_filter_found": len(found),
            "every_filter_s": round(every_s, 3), "broad_found": len(broad), "broad_s": round(broad_s, 3),
            "started": started.started, "start_s": round(start_s, 3), "case_months": months, "tasks": tasks,
            "peak_rss_mb": round(rss, 1)}
