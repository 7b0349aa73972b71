"""The run reads the store as it was when it started: a reading entered while it computes is
stored at once and counted by the next run (docs/server.md)."""

from __future__ import annotations

from sbyt.calc import pipeline
from sbyt.core.readings import add_reading
from sbyt.core.store import Store, open_store

VOLUME = """SELECT sum(l.volume_wh) FROM accrual_line l JOIN account a ON a.id = l.account_id
            WHERE a.number = ? AND l.service = 'electricity' AND l.period = 202611 AND l.status = 'draft'"""


def test_a_reading_entered_during_a_calc_counts_in_the_next_run(demo_db):
    with open_store(demo_db) as st:
        number, last = st.one("""
            SELECT a.number, max(r.value) FROM account a JOIN metering_point p ON p.account_id = a.id
            JOIN meter m ON m.metering_point_id = p.id AND m.zones = 1 AND m.removed IS NULL AND m.state = 'working'
            JOIN reading r ON r.meter_id = m.id AND r.status = 'accepted'
            GROUP BY a.number HAVING count(DISTINCT m.id) = 1 ORDER BY a.number LIMIT 1""")
        before = st.scalar(VOLUME, [number])
        entered = []

        def enter_meanwhile(ctx):       # runs first: after the run has started, before it gathers
            other = Store(st.con.cursor(), st.path, "operator", False)   # another session of the same store
            entered.append(add_reading(other, number, int(last) + 77))
            other.con.close()

        pipeline.calculate(st, steps=[enter_meanwhile, *pipeline.STEPS])
        assert entered[0].status == "accepted"
        assert st.scalar(VOLUME, [number]) == before                   # not in the run under way
        assert st.scalar("SELECT count(*) FROM reading WHERE value = ?", [int(last) + 77]) == 1
        pipeline.calculate(st)
        assert st.scalar(VOLUME, [number]) > before                    # counted in the next one
