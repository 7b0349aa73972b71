"""A monthly run killed (SIGKILL) at any moment leaves the previous drafts or the new ones, never a mix.

The open month of a demo store is first cleared (no drafts, no ОДН tables, no penalty detail, no
calculation stamp): that is "the previous state". One run in this process gives "the new state".
Then a child process runs the same calculation and kills itself at one point; the store reopened
after it must be in one of the two states, all tables of the month together.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sbyt.calc.pipeline import calculate
from sbyt.core.period_state import open_period
from sbyt.core.store import open_store

MONTH_TABLES = ("accrual_line", "odn_result", "odn_meter_volume", "odn_share", "odn_imbalance", "odn_manager_volume",
                "penalty_detail")

CHILD = textwrap.dedent("""
    import os, signal, sys
    from sbyt.calc import odn, penalty, pipeline
    from sbyt.core.store import open_store

    point = sys.argv[2]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def then_die(fn):
        def wrapped(*args, **kwargs):
            result = fn(*args, **kwargs)
            die()
            return result
        return wrapped

    names = [getattr(s, "step_name", "") for s in pipeline.STEPS]
    if point.startswith("after:"):
        i = names.index(point[6:])
        pipeline.STEPS[i] = then_die(pipeline.STEPS[i])
    elif point == "in_write:odn":
        odn.write = then_die(odn.write)
    elif point == "in_write:penalty":
        penalty.write_detail = then_die(penalty.write_detail)
    elif point == "in_write:lines":
        pipeline.write_lines = then_die(pipeline.write_lines)
    else:
        raise SystemExit("unknown kill point " + point)
    with open_store(sys.argv[1]) as store:
        pipeline.calculate(store)
    sys.exit(3)     # not killed: the test fails on the exit code
""")

KILL_POINTS = ["after:gather", "after:volumes", "after:odn", "after:penalty", "after:recalc", "in_write:odn",
               "in_write:penalty", "in_write:lines", "after:write"]


def month_state(path: Path) -> dict[str, list[tuple]]:
    """Every row of the open month's calculation tables (ids and wall-clock columns left out)."""
    with open_store(path, read_only=True) as store:
        period = open_period(store)
        out = {}
        for table in MONTH_TABLES:
            cols = [r[0] for r in store.all(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]) if r[0] not in ("id", "created_at", "calc_at")]
            where = "period = ? AND status = 'draft'" if table == "accrual_line" else "period = ?"
            out[table] = store.all(f"SELECT {', '.join(cols)} FROM {table} WHERE {where} ORDER BY ALL", [period])
        out["stamp"] = store.all("SELECT calc_at IS NOT NULL FROM billing_period WHERE period = ?", [period])
    return out


@pytest.fixture(scope="module")
def states(tmp_path_factory, _demo_template):
    """(the cleared store, its state, the state after an uninterrupted run)."""
    base = tmp_path_factory.mktemp("kill") / "cleared.duckdb"
    shutil.copyfile(_demo_template, base)
    with open_store(base) as store:
        period = open_period(store)
        with store.transaction() as con:
            con.execute("DELETE FROM accrual_line WHERE period = ? AND status = 'draft' AND method <> 'manual'",
                        [period])
            for table in MONTH_TABLES[1:]:
                con.execute(f"DELETE FROM {table} WHERE period = ?", [period])
            con.execute("UPDATE billing_period SET calc_at = NULL WHERE period = ?", [period])
    before = month_state(base)
    done = base.with_name("done.duckdb")
    shutil.copyfile(base, done)
    with open_store(done) as store:
        calculate(store)
    after = month_state(done)
    assert before != after and after["accrual_line"] and after["odn_result"] and after["penalty_detail"]
    return base, before, after


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_killed_run_leaves_old_or_new_never_a_mix(states, tmp_path, point):
    base, before, after = states
    db = tmp_path / "run.duckdb"
    shutil.copyfile(base, db)
    proc = subprocess.run([sys.executable, "-c", CHILD, str(db), point], capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    state = month_state(db)
    expected = after if point == "after:write" else before
    assert state == expected
