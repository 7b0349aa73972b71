from __future__ import annotations

from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.store import open_store


def test_demo_is_deterministic(tmp_path):
    runner = CliRunner()
    outs = []
    for name in ("a", "b"):
        res = runner.invoke(app, ["demo", "--accounts", "1500", "--seed", "3", "--months", "0",
                                  "--db", str(tmp_path / f"{name}.duckdb")])
        assert res.exit_code == 0, res.output
        outs.append(res.stdout)
    assert outs[0] == outs[1]
    assert "Лицевых счетов        1500" in outs[0]
    assert "Открытый период       11.2026" in outs[0]  # months are shown as ММ.ГГГГ, money in ₽
    assert "Сальдо, ₽" in outs[0]


def test_demo_refuses_a_filled_store(demo_db):
    res = CliRunner().invoke(app, ["demo", "--accounts", "200", "--db", str(demo_db)])
    assert res.exit_code == 3
    assert "уже содержит лицевые счета" in res.output


def test_demo_region_shape(demo_db):
    with open_store(demo_db, read_only=True) as st:
        metered = st.scalar("""SELECT avg((EXISTS (SELECT 1 FROM metering_point p JOIN meter m ON m.metering_point_id = p.id
                               WHERE p.id = coalesce(mp.parent_id, mp.id)))::INT) FROM metering_point mp WHERE kind = 'individual'
                               AND account_id IS NOT NULL""")
        assert 0.7 < metered < 0.9
        # every account has exactly one open fact row and a premise that exists
        assert st.scalar("SELECT count(*) FROM account a LEFT JOIN premise p ON p.id = a.premise_id WHERE p.id IS NULL") == 0
        assert st.scalar("SELECT count(*) FROM (SELECT account_id FROM account_fact WHERE valid_to IS NULL"
                         " GROUP BY 1 HAVING count(*) <> 1)") == 0
        # readings never decrease on a meter except through a rollover of a 5-digit meter
        bad = st.scalar("""SELECT count(*) FROM (
                SELECT r.value < lag(r.value) OVER (PARTITION BY r.meter_id, r.zone ORDER BY r.read_on, r.id) AS down, m.digits
                FROM reading r JOIN meter m ON m.id = r.meter_id WHERE r.status = 'accepted')
                WHERE down AND digits <> 5""")
        assert bad == 0
        assert st.scalar("SELECT count(*) FROM reading WHERE status = 'rejected'") > 0
