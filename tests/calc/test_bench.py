"""`sbyt bench` on a tiny demo region: the JSON contract of its last line, the table for a person."""

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
    res = CliRunner().invoke(app, ["bench", "--db", str(db), "--keep"])       # the table for a person
    assert res.exit_code == 0, res.output
    assert "sbyt bench: 300 ЛС" in res.stdout
    assert "Расчёт / базовая линия, раз" in res.stdout and "ЛС в секунду" in res.stdout
    assert "Этапы расчёта" in res.stdout and "сбор данных" in res.stdout


RESULT = {"accounts": 1000000, "period": 202611, "lines": 1468211, "run_s": 4.6, "baseline_s": 2.8,
          "ratio": 1.643, "peak_rss_mb": 1210.44, "stages": {"gather": 2.1, "volumes": 0.25, "write": 1.15},
          "stages_cpu": {"gather": 2.5, "volumes": 0.41, "write": 1.1},
          "stages_peak_rss_mb": {"gather": 800.0, "volumes": 950.5, "write": 1210.4},
          "duckdb_memory_limit": "4GB", "build_s": None, "cpus": 2}


def test_bench_table_says_what_each_figure_is():
    from sbyt.console.cli.bench import bench_tables
    from sbyt.reports import render

    tables = bench_tables(RESULT)
    lines = [" ".join(line.replace("\u00a0", " ").strip("│┃ ").split()) for line in
             render.to_text(tables["summary"], "table").splitlines()]
    assert lines[0] == "sbyt bench: 1 000 000 ЛС"
    assert "Показатель ┃ Значение ┃ Что это" in lines
    assert "Расчёт / базовая линия, раз │ 1,64 │ во сколько раз расчёт дольше базовой линии (1 — вровень с DuckDB)" in lines
    assert "ЛС в секунду │ 217 391 │ лицевых счетов / время расчёта" in lines
    assert "Строк начислений │ 1 468 211 │ записано за 11.2026" in lines
    assert "Построение демо-базы, с │ │ пусто — взята готовая база (--keep)" in lines
    stages = [" ".join(line.replace("\u00a0", " ").strip("│┃ ").split()) for line in
              render.to_text(tables["stages"], "table").splitlines()]
    assert "Этап ┃ Время, с ┃ Время ЦП, с ┃ Доля расчёта, % ┃ Пик памяти после этапа, МБ" in stages
    assert "сбор данных │ 2,100 │ 2,500 │ 45,7 │ 800,0" in stages
    assert "объёмы │ 0,250 │ 0,410 │ 5,4 │ 950,5" in stages

