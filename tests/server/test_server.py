"""A real `sbyt serve` process on a temporary store: many clients at once while calcs run, kill -9
during writes, a second server refused, roles through the CLI."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from sbyt.server.address import socket_path
from sbyt.server.bench import calc_loop, client_processes, pools, run_clients, start_server, stop_server

CLI = [sys.executable, "-c", "from sbyt.server.main import run; run()"]


def sbyt(db, *args, token=None, stdin=None, cwd=None):
    env = dict(os.environ)
    env.pop("SBYT_TOKEN", None)
    if token:
        env["SBYT_TOKEN"] = token
    return subprocess.run([*CLI, "--db", str(db), *args], capture_output=True, text=True, env=env, input=stdin,
                          timeout=300, cwd=cwd)


@pytest.fixture
def served(demo_db):
    proc = start_server(demo_db)
    yield demo_db, proc
    stop_server(proc)


def _acknowledged_are_stored(db, results, in_flight: int = 0) -> tuple[int, int]:
    """Every acknowledged write is in the store, with its audit row. `in_flight`: requests that may
    have been written but not answered (a server killed between its commit and its answer; at most
    one per client): the store may hold up to that many writes more, each with its audit row."""
    readings = [r for res in results for r in res["readings"]]
    pays = [p for res in results for p in res["payments"]]
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("CREATE TEMP TABLE ack (number VARCHAR, value BIGINT)")
        con.executemany("INSERT INTO ack VALUES (?, ?)", readings or [("", -1)])
        missing = con.execute("""
            SELECT count(*) FROM ack k WHERE k.value >= 0 AND NOT EXISTS (
                SELECT 1 FROM reading r JOIN meter m ON m.id = r.meter_id
                JOIN metering_point p ON p.id = m.metering_point_id JOIN account a ON a.id = p.account_id
                WHERE a.number = k.number AND r.value = k.value AND r.status = 'accepted')""").fetchall()[0][0]
        assert missing == 0
        cash = con.execute("SELECT count(*) FROM payment WHERE source = 'cash'").fetchall()[0][0]
        audit = con.execute("SELECT count(*) FILTER (WHERE entity = 'reading'), count(*) FILTER (WHERE entity = 'payment')"
                            " FROM audit_log WHERE command LIKE 'readings add %' OR command LIKE 'pay add %'"
                            ).fetchall()[0]
        assert audit[1] == cash                                 # a payment and its audit row: one transaction
        assert len(pays) <= cash <= len(pays) + in_flight
        assert len(readings) <= audit[0] <= len(readings) + in_flight
        assert audit[0] + cash <= len(readings) + len(pays) + in_flight
    finally:
        con.close()
    return len(readings), len(pays)


LOAD_SECONDS = float(os.environ.get("SBYT_LOAD_SECONDS", "15"))
"""How long the twenty clients run at once (`SBYT_LOAD_SECONDS`, e.g. 60 for a soak run): several
calcs of the month end under their requests, and each kind of request is counted in hundreds."""


def test_twenty_clients_while_calcs_run(demo_db):
    db = demo_db
    workers = client_processes(20)              # spawned while the server starts, all up before the clock runs
    try:
        client_pools = pools(db, 20, 90)        # read before the server holds the file
        proc = start_server(db)
        workers.map(time.sleep, [0.2] * 20, chunksize=1)
        sock = socket_path(db.resolve())
        stop, calcs = threading.Event(), []
        calc = threading.Thread(target=calc_loop, args=(sock, stop, calcs))
        calc.start()
        results = run_clients(sock, client_pools, LOAD_SECONDS, workers=workers)
        stop.set()
        calc.join()
    finally:
        workers.terminate()
        workers.join()
    assert [e for r in results for e in r["errors"]] == []
    assert calcs and all(c["exit_code"] == 0 for c in calcs), calcs
    assert sum(len(r["latency"]["card"]) for r in results) > 100
    stop_server(proc)
    readings, pays = _acknowledged_are_stored(db, results)
    assert readings > 100 and pays > 20


def test_kill_9_during_writes_then_restart(demo_db):
    client_pools = pools(demo_db, 4, 300)
    proc = start_server(demo_db)
    sock = socket_path(demo_db.resolve())
    out: list = []
    clients = threading.Thread(target=lambda: out.extend(run_clients(sock, client_pools, 8)))
    clients.start()
    with httpx.Client(transport=httpx.HTTPTransport(uds=str(sock)), timeout=10) as http:
        deadline = time.monotonic() + 60
        while http.get("http://sbyt/health").json()["jobs"] < 20:    # the clients are writing
            assert time.monotonic() < deadline
            time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    clients.join()
    assert sock.exists()                        # left behind by the killed server
    assert sum(len(r["readings"]) + len(r["payments"]) for r in out) > 0
    assert any(r["errors"] for r in out)        # the writes after the kill were refused, not acknowledged
    proc = start_server(demo_db)                 # the stale socket is replaced, the store opens
    try:
        second = sbyt(demo_db, "serve")
        assert second.returncode == 3
        assert f"Ошибка: Сервер базы {demo_db.resolve()} уже запущен" in second.stderr
        status = sbyt(demo_db, "period", "status", "-f", "csv")
        assert status.returncode == 0, status.stderr
    finally:
        stop_server(proc)
    _acknowledged_are_stored(demo_db, out, in_flight=len(client_pools))


def test_a_second_process_on_the_file_is_refused(served):
    db, _ = served
    res = subprocess.run([*CLI, "--db", str(db), "serve", "--socket", str(db.parent / "other.sock")],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 3
    assert "уже открыта другим процессом: второй сервер (или программа) на тот же файл не запускается" in res.stderr


def test_roles_through_the_cli(served):
    db, _ = served
    account = sbyt(db, "sql", "SELECT min(number) AS n FROM account", "-f", "csv").stdout.split()[-1]
    for login, role in (("petrov", "controller"), ("anna", "analyst")):
        assert sbyt(db, "user", "add", login, "--role", role).returncode == 0
    controller = sbyt(db, "user", "token", "petrov").stdout.strip()
    analyst = sbyt(db, "user", "token", "anna").stdout.strip()

    res = sbyt(db, "period", "close", "--yes", token=controller)
    assert res.returncode == 3
    assert res.stderr == ("Ошибка: Недостаточно прав: у пользователя «petrov» (роль «контролёр») нет права "
                          "«period.close» (открытие и закрытие расчётного периода).\n")
    res = sbyt(db, "readings", "add", account, "99999", token=analyst)
    assert res.returncode == 3
    assert "нет права «readings.enter»" in res.stderr
    res = sbyt(db, "pay", "add", account, "10.00", token=analyst)
    assert res.returncode == 3 and "нет права «payments.enter»" in res.stderr

    holder = sbyt(db, "sql", f"SELECT holder_name FROM account WHERE number = '{account}'", "-f", "csv").stdout
    full = holder.split("\n")[1].strip()
    words = full.split()
    masked = words[0][0] + "*** " + " ".join(w[0] + "." for w in words[1:3])
    card = sbyt(db, "account", "show", account, "-f", "csv", token=analyst)
    assert card.returncode == 0 and masked in card.stdout and full not in card.stdout
    sql = sbyt(db, "sql", f"SELECT holder_name FROM account WHERE number = '{account}'", "-f", "csv", token=analyst)
    assert sql.stdout.split("\n")[1].strip() == masked
    sneaky = sbyt(db, "sql", "SELECT holder_name FROM main.account", token=analyst)
    assert sneaky.returncode == 3
    assert sbyt(db, "calc", token=controller).returncode == 3

    log = sbyt(db, "audit", "--access", "-f", "csv").stdout
    refused = [line for line in log.splitlines() if ";refused;" in line]
    assert len(refused) == 4
    assert any("petrov;refused;period.close;period close --yes" in line for line in refused)
    assert any("anna;refused;readings.enter" in line for line in refused)
    assert any("petrov;refused;calc.run;calc" in line for line in refused)
    assert sum(";pd_view;" in line for line in log.splitlines()) == 0    # the analyst's card was masked


def test_the_files_a_command_names_are_the_clients(served, tmp_path):
    """The client's relative paths are its own: the files it names go to the server, the files the
    command writes come back into the client's directory, not the server's."""
    db, _ = served
    here = tmp_path / "client"
    here.mkdir()
    (here / "in.csv").write_text("account;serial;zone;date;value;source\n3100000001;71309165;1;26.11.2026;100;operator\n",
                                 encoding="utf-8")
    res = sbyt(db, "readings", "import", "in.csv", cwd=here)
    assert res.returncode == 0, res.stderr
    assert res.stderr.startswith("in.csv: показаний 1, ")
    res = sbyt(db, "readings", "import", "missing.csv", cwd=here)
    assert (res.returncode, res.stderr) == (4, "Ошибка: Файл не найден: missing.csv\n")
    res = sbyt(db, "report", "list", "-f", "xlsx", cwd=here)
    assert (res.returncode, res.stderr) == (0, "Записано: reports.xlsx\n")
    assert (here / "reports.xlsx").read_bytes()[:2] == b"PK" and not Path("reports.xlsx").exists()
    res = sbyt(db, "load", "--templates", "tpl", cwd=here)
    assert res.returncode == 0, res.stderr
    from sbyt.core.loading import templates

    assert sorted(p.name for p in (here / "tpl").iterdir()) == sorted(f"{name}.csv" for name in templates())
    res = sbyt(db, "load", "tpl", cwd=here)      # the server checked the client's directory, file by file
    assert res.returncode == 1 and "\ntariffs.csv:2:valid_from: период действия с 01.01.2026 пересекается" \
        in res.stderr, res.stderr


def test_bench_serve_measures_disjoint_clients_in_each_phase(demo_db):
    """`sbyt bench serve`: a warm-up, then each phase with its own clients and its own accounts (a
    reused account would enter a reading already stored and count as an error)."""
    import tempfile

    from sbyt.server.bench import bench_serve

    short = Path(tempfile.mkdtemp(prefix="sb-")) / "d.duckdb"     # the bench's socket sits beside its copy
    shutil.copyfile(demo_db, short)
    try:
        result = bench_serve(short, 2, 2, per_client=60, warm_up=1)
    finally:
        shutil.rmtree(short.parent, ignore_errors=True)
    for phase in ("without_calc", "during_calc"):
        assert result[phase]["errors"] == 0, result[phase]["first_errors"]
        assert result[phase]["writes"] > 0 and result[phase]["card_reads"] > 0
    assert result["calcs"] and all(c["exit_code"] == 0 for c in result["calcs"])


def test_a_role_change_applies_to_the_next_command(served):
    """The server keeps sessions between requests until a user, a role or a token changes."""
    db, _ = served
    assert sbyt(db, "user", "add", "ivan", "--role", "operator").returncode == 0
    token = sbyt(db, "user", "token", "ivan").stdout.strip()
    first = sbyt(db, "user", "list", token=token)
    assert first.returncode == 3 and "нет права «users.manage»" in first.stderr
    assert sbyt(db, "user", "list", token=token).returncode == 3          # the same, from the kept session
    assert sbyt(db, "user", "role", "ivan", "admin").returncode == 0
    assert sbyt(db, "user", "list", token=token).returncode == 0
    assert sbyt(db, "user", "disable", "ivan").returncode == 0
    gone = sbyt(db, "user", "list", token=token)
    assert (gone.returncode, gone.stderr) == (3, "Ошибка: Неверный или отозванный токен.\n")


def test_a_socket_path_too_long_is_refused_clearly(demo_db, tmp_path):
    deep = tmp_path / ("к" * 40) / "база.duckdb"
    deep.parent.mkdir()
    shutil.copyfile(demo_db, deep)
    sock = f"{deep}.sock"
    res = sbyt(deep, "serve")
    assert (res.returncode, res.stderr) == (3, f"Ошибка: Путь к сокету сервера слишком длинный ({len(sock.encode())} "
                                               f"байт, допустимо 107): {sock}. Сокет создаётся рядом с базой — "
                                               "перенесите базу в каталог с более коротким путём.\n")
