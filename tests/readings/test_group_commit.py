"""Readings entered at the same moment by many threads (operators on one server) are checked and
written as one batch, with the same results, refusals and audit rows as one after another."""

from __future__ import annotations

import shutil
import threading
import time
from contextlib import contextmanager

from sbyt.core import readings
from sbyt.core.batching import GroupCommit
from sbyt.core.access import Session, all_permissions
from sbyt.core.errors import SbytError
from sbyt.core.store import Store, open_store


def _entries(st: Store) -> list[tuple[str, int]]:
    """Twenty entries: plausible and implausible values, a second entry for the same account (its
    first entry is its previous reading), an unknown account."""
    rows = st.all("""SELECT a.number, max(r.value) FROM account a JOIN metering_point p ON p.account_id = a.id
                     JOIN meter m ON m.metering_point_id = p.id AND m.removed IS NULL AND m.zones = 1
                     JOIN reading r ON r.meter_id = m.id AND r.status = 'accepted'
                     GROUP BY a.number HAVING count(DISTINCT m.id) = 1 ORDER BY a.number LIMIT 8""")
    out = []
    for k, (number, last) in enumerate(rows):
        out.append((number, last + 50 + k))                  # accepted
        out.append((number, last + 60 + k))                  # after the first: its previous reading is that one
    out += [(rows[0][0], 1), (rows[1][0], 10**9), ("9999999999", 5), (rows[2][0], rows[2][1] + 70)]
    return out


def _as(st: Store, login: str) -> Store:
    return Store(st.con.cursor(), st.path, login, False, Session(login, "admin", all_permissions(st), local=False,
                                                                  command=f"readings add ({login})"))


def _outcome(st: Store, number: str, value: int) -> tuple:
    try:
        r = readings.add_reading(st, number, value, on=None)
        return (r.status, r.prev_value, r.consumption, r.reason)
    except SbytError as exc:
        return ("error", exc.message)


@contextmanager
def _held(group: GroupCommit):
    """As if a batch were running: entries queue until the block ends."""
    with group._cond:
        group._running = True
    try:
        yield
    finally:
        with group._cond:
            group._running = False
            group._cond.notify_all()


def test_an_entry_returns_when_its_batch_is_done_not_behind_the_next(tmp_path):
    """F is written in A's batch; G's batch starts as A's ends and blocks: F has its result already."""
    first_done, g_may_finish = threading.Event(), threading.Event()
    batches: list[list[str]] = []

    def process(leader: str, batch):  # noqa: ANN001, ANN202
        batches.append(list(batch))
        if leader == "G":
            assert g_may_finish.wait(60)
        else:
            assert first_done.wait(60)
        return [f"written {x}" for x in batch]

    group: GroupCommit[str, str] = GroupCommit(process)
    out: dict[str, str] = {}

    def enter(x: str) -> None:
        out[x] = group.submit(x)

    a, f = threading.Thread(target=enter, args=("A",)), threading.Thread(target=enter, args=("F",))
    with _held(group):
        a.start()
        while len(group._queue) < 1:
            time.sleep(0.001)
        f.start()
        while len(group._queue) < 2:
            time.sleep(0.001)
    while not batches:                                    # A (or F) leads the batch of both
        time.sleep(0.001)
    g = threading.Thread(target=enter, args=("G",))
    g.start()
    while len(group._queue) < 1:                          # G waits for the running batch
        time.sleep(0.001)
    first_done.set()
    a.join(60)
    f.join(60)
    assert not a.is_alive() and not f.is_alive()          # while G's batch still runs
    while len(batches) < 2:
        time.sleep(0.001)
    assert g.is_alive() and batches == [["A", "F"], ["G"]]
    g_may_finish.set()
    g.join(60)
    assert out == {"A": "written A", "F": "written F", "G": "written G"}


def test_concurrent_entries_are_one_batch_with_the_results_of_one_after_another(demo_db, tmp_path):
    twin = tmp_path / "sequential.duckdb"
    shutil.copyfile(demo_db, twin)
    with open_store(twin) as st:
        entries = _entries(st)
        expected = [_outcome(_as(st, f"op{i}"), n, v) for i, (n, v) in enumerate(entries)]
    assert {e[0] for e in expected} == {"accepted", "rejected", "error"}

    batches = []
    process = readings._ENTRIES._process
    readings._ENTRIES._process = lambda leader, batch: (batches.append(len(batch)), process(leader, batch))[1]
    got: list[tuple | None] = [None] * len(entries)
    with open_store(demo_db) as st:
        def enter(i: int) -> None:
            got[i] = _outcome(_as(st, f"op{i}"), *entries[i])

        threads = []
        with _held(readings._ENTRIES):              # hold the batch until all twenty are queued
            for i in range(len(entries)):
                threads.append(threading.Thread(target=enter, args=(i,)))
                threads[-1].start()
                while len(readings._ENTRIES._queue) <= i:   # queued in this order
                    time.sleep(0.001)
        for t in threads:
            t.join()
        audit = st.all("SELECT user_name, command FROM audit_log WHERE entity = 'reading' ORDER BY id")
    readings._ENTRIES._process = process
    assert batches == [len(entries)]
    assert got == expected
    stored = [(f"op{i}", f"readings add (op{i})") for i, e in enumerate(expected) if e[0] != "error"]
    assert sorted(audit) == sorted(stored)      # an account's second entry is written in a later round
