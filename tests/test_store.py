from __future__ import annotations

import shutil

import duckdb
import pytest

from sbyt.core.errors import StoreError
from sbyt.core.store import migrations, open_store, program_schema_version


def test_migrations_from_empty_file(tmp_path):
    st = open_store(tmp_path / "a.duckdb")
    versions = [r[0] for r in st.all("SELECT version FROM schema_migration ORDER BY version")]
    assert versions == [m.version for m in migrations()]
    st.close()


def test_migrations_from_each_previous_version(tmp_path):
    """A file at every earlier schema version is brought up to date on open."""
    migs = migrations()
    full = tmp_path / "full.duckdb"
    open_store(full).close()
    with duckdb.connect(str(full)) as con:
        expected = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns ORDER BY ALL").fetchall()
    older = tmp_path / "older.duckdb"      # the file at version `upto`: one migration more each round
    with duckdb.connect(str(older)) as con:
        con.execute("CREATE TABLE schema_migration (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                    " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
    for upto in range(1, len(migs)):
        m = migs[upto - 1]
        with duckdb.connect(str(older)) as con:
            con.execute(m.sql)
            con.execute("INSERT INTO schema_migration (version, name) VALUES (?, ?)", [m.version, m.name])
        path = tmp_path / f"v{upto}.duckdb"
        shutil.copyfile(older, path)
        open_store(path).close()
        with duckdb.connect(str(path)) as con:
            got = con.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns ORDER BY ALL").fetchall()
        assert got == expected


def test_newer_file_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    open_store(path).close()
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO schema_migration (version, name) VALUES (?, 'future.sql')",
                    [program_schema_version() + 1])
    with pytest.raises(StoreError, match="более новой версией программы"):
        open_store(path)


def test_transaction_is_all_or_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.execute("INSERT INTO meta VALUES ('k', 'v')")
            raise RuntimeError("boom")
    assert store.meta("k") is None
    with store.transaction():
        store.set_meta("k", "v")
    assert store.meta("k") == "v"


def test_a_lower_migration_shipped_later_is_applied_even_on_a_read_only_open(tmp_path):
    """Areas number their migrations in ranges: a file may know 070 but not 020 yet."""
    path = tmp_path / "gap.duckdb"
    open_store(path).close()
    with duckdb.connect(str(path)) as con:
        con.execute("DROP MACRO TABLE turnover")
        con.execute("DELETE FROM schema_migration WHERE version = 20")
    with open_store(path, read_only=True) as st:
        assert st.read_only
        assert st.scalar("SELECT count(*) FROM schema_migration WHERE version = 20") == 1
        assert st.all("SELECT * FROM turnover(202601, 202612, '')") == []


def test_arrow_reads_its_tables_the_same_as_parameters_or_registered(store):
    """`Store.arrow`: a few rows go in as list parameters, many as registered tables — same result,
    NULLs and every mapped type included, with or without a leading WITH."""
    import random
    from datetime import date, timedelta

    import pyarrow as pa

    rng = random.Random(7)
    n = 300
    maybe = lambda v: None if rng.random() < 0.1 else v   # noqa: E731
    t = pa.table({
        "i": pa.array([maybe(rng.randint(-10**12, 10**12)) for _ in range(n)], pa.int64()),
        "z": pa.array([maybe(rng.randint(-100, 100)) for _ in range(n)], pa.int8()),
        "d": pa.array([maybe(date(2020, 1, 1) + timedelta(days=rng.randint(0, 3000))) for _ in range(n)], pa.date32()),
        "s": pa.array([maybe(rng.choice(["", "кВт·ч", "a'b", "x"])) for _ in range(n)], pa.string()),
        "b": pa.array([maybe(rng.random() < 0.5) for _ in range(n)], pa.bool_()),
        "f": pa.array([maybe(rng.random()) for _ in range(n)], pa.float64()),
        "k": pa.nulls(n, pa.string()),
    })
    for sql in ("SELECT * FROM tt ORDER BY i NULLS FIRST, s, d, z, f",
                "WITH u AS (SELECT * FROM tt WHERE z > 0) SELECT count(*) AS c, sum(i) AS s FROM u"):
        small = store.arrow(sql, {"tt": t})
        large = store.arrow(sql, {"tt": t}, large=True)
        assert small.to_pylist() == large.to_pylist()
    assert store.arrow("SELECT count(*) AS c FROM tt", {"tt": t.slice(0, 0)}).to_pylist() == [{"c": 0}]
