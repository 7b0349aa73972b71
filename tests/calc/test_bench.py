"""`sbyt bench` on a tiny demo region: the JSON contract of its last line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sbyt.console.cli.main import app


def test_bench_json_last_line(tmp_path):
    db = tmp_path / "bench.duckdb"
    res = CliRunner().invoke(app, ["bench", "--accounts", "300", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout.strip().splitlines()[-1])
    assert data["accounts"] == 300
    assert data["lines"] > 300
    assert {"run_s", "baseline_s", "ratio", "peak_rss_mb"} <= set(data)
    assert {"gather", "volumes", "amounts", "write"} <= set(data["stages"])
    res = CliRunner().invoke(app, ["bench", "--db", str(db), "--keep", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout.strip().splitlines()[-1])["build_s"] is None
