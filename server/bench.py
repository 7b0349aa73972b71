"""`sbyt bench serve`: many clients on one server — card reads, reading and payment entries, with and
without a calc running — and the load test's client (`tests/server`).

Each client is a process with one HTTP connection to the server's socket, sending `sbyt` command
lines as an operator's CLI would: `account show N` (a card read), `readings add N VALUE` (one
reading) and `pay add N SUM` (a cash payment). Every account is written at most once per client
run, so every reading is a plausible next value (the last one + 50 kWh). A write is acknowledged
when the server answers exit code 0; the client returns the acknowledged writes so that the
caller can find each of them in the store.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from sbyt.server.address import Target, alive, socket_path
from sbyt.server.client import call, connect

MIX = (("card", 0.4), ("reading", 0.45), ("payment", 0.15))


@dataclass(frozen=True)
class Pool:
    """Accounts for one client: (number, last reading of its one-zone meter)."""

    accounts: list[tuple[str, int]]


def pools(db: Path, clients: int, per_client: int, seed: int = 1) -> list[Pool]:
    """Disjoint pools of accounts with one single-zone meter each (read before the server starts)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("""
            WITH m AS (
                SELECT a.number, mt.id AS meter_id, mt.digits
                FROM account a JOIN metering_point p ON p.account_id = a.id
                JOIN meter mt ON mt.metering_point_id = p.id AND mt.removed IS NULL AND mt.zones = 1
                    AND mt.state = 'working'
                WHERE a.closed IS NULL
                QUALIFY count(*) OVER (PARTITION BY a.id) = 1)
            SELECT number, last FROM (
                SELECT m.number AS number, coalesce(max(r.value), 0) AS last, any_value(m.digits) AS digits
                FROM m LEFT JOIN reading r ON r.meter_id = m.meter_id AND r.status = 'accepted'
                GROUP BY m.number)
            WHERE last < 10 ^ (digits - 1)
            ORDER BY hash(number || ?::VARCHAR)""", [seed]).fetchall()
    finally:
        con.close()
    need = clients * per_client
    if len(rows) < need:
        per_client = max(1, len(rows) // clients)
    return [Pool([(str(n), int(v)) for n, v in rows[i * per_client:(i + 1) * per_client]]) for i in range(clients)]


def client_loop(sock: str, pool: Pool, seconds: float, seed: int, token: str | None = None) -> dict[str, Any]:
    """One client: requests for `seconds`; latencies per kind, acknowledged writes, errors."""
    rng = random.Random(seed)
    target = Target(sock=Path(sock), token=token)
    client = connect(target)
    lat: dict[str, list[float]] = {"card": [], "reading": [], "payment": []}
    readings: list[tuple[str, int]] = []
    payments: list[str] = []
    errors: list[str] = []
    unwritten = list(pool.accounts)
    kinds, weights = zip(*MIX)
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            kind = rng.choices(kinds, weights)[0]
            if kind != "card" and not unwritten:
                kind = "card"
            if kind == "card":
                number = rng.choice(pool.accounts)[0]
                argv = ["account", "show", number, "-f", "json"]
            else:
                number, last = unwritten.pop()
                argv = (["readings", "add", number, str(last + 50)] if kind == "reading"
                        else ["pay", "add", number, "150.00"])
            t0 = time.perf_counter()
            try:
                r = call(target, argv, client=client)
            except httpx.HTTPError as exc:
                errors.append(f"{' '.join(argv)}: {exc}")
                continue
            lat[kind].append(time.perf_counter() - t0)
            if r["exit_code"] != 0:
                errors.append(f"{' '.join(argv)}: код {r['exit_code']}: {r['stderr'].strip()[:300]}")
            elif kind == "reading":
                readings.append((number, last + 50))
            elif kind == "payment":
                payments.append(number)
    finally:
        client.close()
    return {"latency": lat, "readings": readings, "payments": payments, "errors": errors}


def _client_main(args: tuple) -> dict[str, Any]:
    return client_loop(*args)


def client_processes(n: int) -> Any:    # noqa: ANN401 - a multiprocessing pool
    """`n` client processes (spawned: no copy of the caller's threads or DuckDB connections)."""
    return multiprocessing.get_context("spawn").Pool(n)


def run_clients(sock: Path, client_pools: list[Pool], seconds: float, seed: int = 0,
                token: str | None = None, workers: Any = None) -> list[dict[str, Any]]:  # noqa: ANN401
    """The clients as separate processes, all at once; their results. `workers`: processes from
    `client_processes` to run them in (else started here and stopped after)."""
    if workers is None:
        with client_processes(len(client_pools)) as own:
            return run_clients(sock, client_pools, seconds, seed, token, own)
    return workers.map(_client_main, [(str(sock), pool, seconds, seed + i, token) for i, pool in enumerate(client_pools)],
                       chunksize=1)


def start_server(db: Path, *, timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`sbyt serve` on `db` as a child process; returns once its socket answers."""
    sock = socket_path(db.resolve())
    proc = subprocess.Popen([sys.executable, "-c", "from sbyt.server.main import run; run()", "--db", str(db),
                             "serve"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env or dict(os.environ), start_new_session=True)
    deadline = time.monotonic() + timeout
    while not alive(sock):
        if proc.poll() is not None:
            raise RuntimeError(f"sbyt serve ended with code {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("sbyt serve did not start")
        time.sleep(0.1)
    return proc


def stop_server(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, int(q * len(s)))] * 1000, 1)


def summarize(results: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    lat = {k: [x for r in results for x in r["latency"][k]] for k in ("card", "reading", "payment")}
    writes = sum(len(r["readings"]) + len(r["payments"]) for r in results)
    return {
        "seconds": seconds,
        "writes": writes,
        "writes_per_s": round(writes / seconds, 1),
        "reading_writes_per_s": round(sum(len(r["readings"]) for r in results) / seconds, 1),
        "card_reads": len(lat["card"]),
        "card_p50_ms": _quantile(lat["card"], 0.5), "card_p95_ms": _quantile(lat["card"], 0.95),
        "reading_p50_ms": _quantile(lat["reading"], 0.5), "reading_p95_ms": _quantile(lat["reading"], 0.95),
        "payment_p50_ms": _quantile(lat["payment"], 0.5), "payment_p95_ms": _quantile(lat["payment"], 0.95),
        "errors": sum(len(r["errors"]) for r in results),
        "first_errors": [e for r in results for e in r["errors"]][:5],
    }


def calc_loop(sock: Path, stop: threading.Event, out: list[dict[str, Any]]) -> None:
    """Rerun the month's calc until `stop` (each answer kept)."""
    target = Target(sock=sock)
    while not stop.is_set():
        t0 = time.perf_counter()
        r = call(target, ["calc"])
        out.append({"exit_code": r["exit_code"], "s": round(time.perf_counter() - t0, 2), "stderr": r["stderr"][-500:]})


WARM_UP_S = 5.0
"""Seconds of the same load before measuring: a fresh server's first requests read the tables from
disk into DuckDB's buffers, and the client processes import their modules."""


def bench_serve(db: Path, clients: int, seconds: float, *, per_client: int = 4000,
                warm_up: float = WARM_UP_S) -> dict[str, Any]:
    """Both phases on a copy of `db`, after a warm-up: clients alone, then clients while calcs run
    one after another."""
    work = Path(tempfile.mkdtemp(prefix="sbyt-bench-serve-", dir=db.parent))
    copy = work / "bench.duckdb"
    shutil.copyfile(db, copy)
    all_pools = pools(copy, 3 * clients, per_client)
    proc = start_server(copy)
    workers = client_processes(clients)        # started once: a spawned client's imports cost ~1 s of CPU
    try:
        sock = socket_path(copy.resolve())
        run_clients(sock, all_pools[2 * clients:], warm_up, 2000, None, workers)   # buffers filled, not measured
        alone = summarize(run_clients(sock, all_pools[:clients], seconds, 0, None, workers), seconds)
        stop, calcs = threading.Event(), []
        runner = threading.Thread(target=calc_loop, args=(sock, stop, calcs))
        runner.start()
        time.sleep(1.0)              # the calc is under way
        during = summarize(run_clients(sock, all_pools[clients:2 * clients], seconds, 1000, None, workers), seconds)
        stop.set()
        runner.join()
    finally:
        workers.terminate()
        workers.join()
        stop_server(proc)
        shutil.rmtree(work, ignore_errors=True)
    return {"clients": clients, "without_calc": alone, "during_calc": during,
            "calcs": [{"exit_code": c["exit_code"], "s": c["s"]} for c in calcs], "cpus": os.cpu_count()}


def main_json(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False)
