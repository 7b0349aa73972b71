"""`sbyt bench readings`: a month of АСКУЭ 80020 files for the demo's legal measuring complexes,
imported by `sbyt readings import` in a child process, and the counterparty search by INN.

The files are written by `write_80020` (one file per day, all points in one area, channel 01
active received, half-hours) with values from the demo's АСКУЭ-like generator
(`sbyt.core.demo.legal.hourly_load`) for the store's open month. The import is timed end to end
as an operator runs it (parse on every core, checks, one transaction), with the child's peak
memory. Afterwards the bench's batches are removed again, so the store stays reusable.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import numpy as np

from sbyt.core.counterparties import search
from sbyt.core.demo.legal import hourly_load
from sbyt.core.periods import first_day, next_first_day
from sbyt.core.store import open_store
from sbyt.io.askue80020 import Channel80020, Point80020, write_80020

Progress = Callable[[str, float], None]


def _points(path: Path, limit: int) -> tuple[int, list[tuple[str, float]], str]:
    with open_store(path, read_only=True) as st:
        period = st.scalar("SELECT min(period) FROM billing_period WHERE status = 'open'")
        if period is None:
            raise SystemExit("В базе нет открытого периода.")
        start = first_day(period)
        rows = st.all("""
            SELECT m.askue_code, f.max_kw::DOUBLE FROM legal_meter m
            JOIN legal_point_fact f ON f.point_id = m.point_id AND f.valid_from <= ? AND (f.valid_to IS NULL OR f.valid_to > ?)
            WHERE m.askue_code IS NOT NULL AND m.installed <= ? AND m.removed IS NULL
              AND NOT EXISTS (SELECT 1 FROM meter_hour h WHERE h.meter_id = m.id AND h.day >= ?)
            ORDER BY m.id LIMIT ?""", [start, start, start, start, limit])
        inn = st.scalar("SELECT inn FROM supplier LIMIT 1")
    return period, rows, inn


def write_month(folder: Path, period: int, points: list[tuple[str, float]], sender_inn: str, seed: int = 11) -> list[Path]:
    """One 80020 file per day of `period` for `points` (АСКУЭ code, max kW), half-hour values."""
    rng = np.random.default_rng(seed)
    start, end = first_day(period), next_first_day(period)
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    hours = hourly_load(rng, np.array([kw for _, kw in points]), days)        # (points, days, 24) Wh
    share = rng.uniform(0.45, 0.55, hours.shape)
    first = np.round(hours * share).astype(np.int64)
    halves = np.stack([first, hours - first], axis=-1).reshape(len(points), len(days), 48)
    out = []
    for d, day in enumerate(days):
        pts = [Point80020(code, f"Точка учёта {code}", [Channel80020("01", "счетчик, акт. прием", halves[k, d].tolist())])
               for k, (code, _) in enumerate(points)]
        data = write_80020(f"{d + 1}", day, "ООО «АСКУЭ-Сервис»", "7701234567", sender_inn, "Демо-регион", pts)
        p = folder / f"80020_{sender_inn}_{day:%Y%m%d}_{d + 1}.xml"
        p.write_bytes(data)
        out.append(p)
    return out


def _sbyt() -> list[str]:
    exe = Path(sys.executable).parent / "sbyt"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "sbyt.console.cli.main"]


def run_readings_bench(path: Path, points: int = 5000, progress: Progress | None = None,
                       searches: int = 50) -> dict[str, object]:
    tick = progress or (lambda stage, frac: None)
    period, rows, inn = _points(path, points)
    if not rows:
        raise SystemExit("В базе нет приборов учёта ЮЛ с кодом АСКУЭ без данных за открытый месяц.")
    folder = Path(tempfile.mkdtemp(prefix="sbyt-80020-"))
    try:
        tick("запись файлов 80020", 0.05)
        files = write_month(folder, period, rows, inn)
        size = sum(f.stat().st_size for f in files)
        tick("sbyt readings import", 0.4)
        t0 = time.perf_counter()
        res = subprocess.run([*_sbyt(), "--db", str(path), "readings", "import", *map(str, files)],
                             capture_output=True, text=True)
        import_s = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if res.returncode:
            raise SystemExit(f"sbyt readings import: код {res.returncode}\n{res.stderr[-2000:]}")
        tick("поиск по ИНН", 0.85)
        with open_store(path) as st:
            loaded = st.scalar("SELECT count(*) FROM meter_hour h JOIN import_batch b ON b.id = h.batch_id"
                               " WHERE b.file_name IN (SELECT unnest(?::VARCHAR[]))", [[f.name for f in files]])
            inns = [r[0] for r in st.all("SELECT inn FROM counterparty ORDER BY hash(id) LIMIT ?", [searches])]
            times = []
            for q in inns:
                t1 = time.perf_counter()
                found = search(st, q)
                times.append((time.perf_counter() - t1) * 1000)
                assert any(r[0] == q for r in found), q
            counterparties = st.scalar("SELECT count(*) FROM counterparty")
            with st.transaction() as con:      # leave the store as it was: the bench's batches go
                con.execute("DELETE FROM meter_hour WHERE batch_id IN (SELECT id FROM import_batch"
                            " WHERE file_name IN (SELECT unnest(?::VARCHAR[])))", [[f.name for f in files]])
                con.execute("DELETE FROM import_batch WHERE file_name IN (SELECT unnest(?::VARCHAR[]))",
                            [[f.name for f in files]])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    tick("готово", 1.0)
    return {"period": period, "points": len(rows), "files": len(files), "mb": round(size / 2**20, 1),
            "intervals": len(rows) * len(files) * 48, "hours": int(loaded), "import_s": round(import_s, 2),
            "peak_rss_mb": round(rss, 1), "counterparties": int(counterparties),
            "search_ms_median": round(statistics.median(times), 2), "search_ms_max": round(max(times), 2),
            "searches": len(times)}
