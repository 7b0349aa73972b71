"""Ad-hoc SQL: only provably read-only queries run, on a connection that cannot write anyway."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.errors import EXIT_REFUSED
from sbyt.reports import sqlguard
from sbyt.reports.query import open_read_only, run_sql
from sbyt.reports.sqlguard import SqlRefusedError

# The twelve queries of issue 4 ("Done when"), with the reason each must name.
REFUSED = [
    ("DROP TABLE account", "команда DROP запрещена"),
    ("SELECT 1; DELETE FROM account", "разрешён ровно один запрос, а в тексте их 2"),
    ("COPY account TO '/tmp/sbyt-leak.csv'", "команда COPY запрещена"),
    ("ATTACH '/tmp/sbyt-other.duckdb' AS other", "команда ATTACH запрещена"),
    ("SELECT * FROM read_csv('/etc/passwd')", "табличная функция read_csv запрещена"),
    ("SELECT * FROM glob('/*')", "табличная функция glob запрещена"),
    ("PRAGMA database_list", "команда PRAGMA запрещена"),
    ("INSTALL httpfs", "команда INSTALL запрещена"),
    ("CREATE TABLE x AS SELECT 1", "команда CREATE запрещена"),
    ("UPDATE account SET holder_name = 'x'", "команда UPDATE запрещена"),
    ("SET threads = 1", "команда SET запрещена"),
    ("WITH d AS (DELETE FROM account RETURNING *) SELECT * FROM d", "внутри запроса есть DELETE"),
]

MORE_REFUSED = [
    ("SELECT * FROM '/etc/passwd'", "не имя таблицы"),
    ('SELECT * FROM "data.csv"', "не имя таблицы"),
    ("SELECT read_text('/etc/passwd')", "функция read_text запрещена"),
    ("SELECT * FROM read_parquet('x.parquet')", "табличная функция read_parquet запрещена"),
    ("SELECT * FROM read_json_auto('x.json')", "табличная функция read_json_auto запрещена"),
    ("SELECT * FROM sniff_csv('x.csv')", "табличная функция sniff_csv запрещена"),
    ("SELECT * FROM parquet_scan('x')", "табличная функция parquet_scan запрещена"),
    ("SELECT * FROM query('DROP TABLE account')", "табличная функция query запрещена"),
    ("SELECT * FROM sqlite_scan('x.db', 't')", "табличная функция sqlite_scan запрещена"),
    ("SELECT getenv('HOME')", "функция getenv запрещена"),
    ("SELECT nextval('posting_seq')", "функция nextval запрещена"),
    ("SELECT * FROM (SELECT 1) t, LATERAL (SELECT * FROM read_blob('/etc/passwd'))", "read_blob запрещена"),
    ("SELECT 1 WHERE EXISTS (SELECT * FROM glob('/*'))", "glob запрещена"),
    ("INSERT INTO account SELECT * FROM account", "команда INSERT запрещена"),
    ("DELETE FROM posting", "команда DELETE запрещена"),
    ("LOAD httpfs", "команда LOAD запрещена"),
    ("CALL checkpoint()", "команда CALL запрещена"),
    ("EXPORT DATABASE '/tmp/x'", "команда EXPORT запрещена"),
    ("DETACH other", "команда DETACH запрещена"),
    ("DESCRIBE account", "команда DESCRIBE запрещена"),
    ("BEGIN TRANSACTION", "запрещена"),
    ("SELEC 1", "не разобран как SQL"),
    ("   ", "пустой запрос"),
]

ALLOWED = [
    "SELECT 1",
    "FROM account",
    "SELECT count(*) FROM posting p JOIN account a ON a.id = p.account_id WHERE p.kind = 'payment'",
    "WITH t AS (SELECT account_id, sum(amount_kop) s FROM posting GROUP BY 1) SELECT * FROM t ORDER BY s DESC",
    "SELECT 1 AS x UNION ALL SELECT 2 EXCEPT SELECT 3",
    "SELECT * FROM range(3)",
    "SELECT * FROM generate_series(1, 3)",
    "SELECT unnest([1, 2, 3])",
    "SELECT table_name FROM information_schema.tables",
    "SELECT * FROM duckdb_tables()",
]


def _fingerprint(db: Path) -> tuple[str, dict[str, int]]:
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()
    return digest, counts


@pytest.mark.parametrize("query, reason", REFUSED + MORE_REFUSED)
def test_guard_refuses_with_a_reason(query, reason):
    with pytest.raises(SqlRefusedError) as info:
        sqlguard.check(query)
    assert info.value.message.startswith("Запрос отклонён: ")
    assert reason in info.value.message
    assert info.value.exit_code == EXIT_REFUSED


@pytest.mark.parametrize("query", ALLOWED)
def test_guard_accepts_read_only_queries(query):
    sqlguard.check(query)


@pytest.mark.parametrize("query, reason", REFUSED)
def test_cli_refuses_the_issue_queries_and_the_store_is_unchanged(mini_db, query, reason, tmp_path):
    CliRunner().invoke(app, ["--db", str(mini_db), "period", "status"])  # a server registers its administrator first
    before = _fingerprint(mini_db)
    res = CliRunner().invoke(app, ["--db", str(mini_db), "sql", query])
    assert res.exit_code == EXIT_REFUSED, res.output
    assert res.stderr.startswith("Ошибка: Запрос отклонён: ")
    assert reason in res.stderr
    assert res.stdout == ""
    assert _fingerprint(mini_db) == before
    assert not Path("/tmp/sbyt-leak.csv").exists()


def test_cli_runs_a_read_only_query(mini_db):
    res = CliRunner().invoke(app, ["--db", str(mini_db), "sql", "-f", "csv",
                                   "SELECT number, CAST(1234567.5 AS DECIMAL(18, 2)) AS d FROM account ORDER BY 1 LIMIT 2"])
    assert res.exit_code == 0, res.output
    assert res.stdout == "number;d\n1000000001;1234567,50\n1000000002;1234567,50\n"


def test_the_connection_itself_cannot_write_or_read_files(mini_db):
    """The second lock: even SQL that slipped past the guard cannot write or reach files."""
    before = _fingerprint(mini_db)
    con = open_read_only(mini_db)
    try:
        for statement in ["CREATE TABLE x AS SELECT 1", "DELETE FROM account", "SELECT * FROM read_csv('/etc/passwd')",
                          "SET enable_external_access = true", "COPY account TO '/tmp/sbyt-leak.csv'",
                          "INSTALL httpfs"]:
            with pytest.raises(duckdb.Error):
                con.execute(statement)
        assert con.execute("SELECT count(*) FROM account").fetchone()[0] == 5
    finally:
        con.close()
    assert _fingerprint(mini_db) == before


def test_run_sql_returns_typed_columns(mini_db):
    con = open_read_only(mini_db)
    try:
        table = run_sql(con, "SELECT number, opened FROM account ORDER BY number LIMIT 1")
    finally:
        con.close()
    assert [c.name for c in table.columns] == ["number", "opened"]
    assert table.columns[1].format == "date"
    assert table.rows[0][0] == "1000000001"
