"""The store: one DuckDB file with a versioned schema.

`open_store` opens or creates the file, applies the numbered migrations from `sbyt.sql.schema`
that the file has not seen yet (each in its own transaction) and refuses a file written by a newer
program. `Store.transaction()` is the one helper for writes: all or nothing.
"""

from __future__ import annotations

import getpass
import os
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from sbyt.core.errors import StoreError
from sbyt.core.location import resolve_db_path

# `Store.arrow` reads small results through `execute` on purpose (one plan instead of two).
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")

_MIGRATION_RE = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """All migrations shipped with the program, in version order."""
    found = []
    for entry in resources.files("sbyt.sql.schema").iterdir():
        m = _MIGRATION_RE.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda mig: mig.version)
    versions = [mig.version for mig in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration numbers in sbyt.sql.schema: {versions}")
    return found


def program_schema_version() -> int:
    return max(m.version for m in migrations())


WRITE_LOCK = threading.RLock()


_SQL_TYPES = {"int64": "BIGINT", "int32": "INTEGER", "int16": "SMALLINT", "int8": "TINYINT", "bool": "BOOLEAN",
              "double": "DOUBLE", "string": "VARCHAR", "large_string": "VARCHAR", "null": "VARCHAR",
              "date32[day]": "DATE"}
"""Arrow column types -> DuckDB, for tables sent as list parameters (`Store.arrow`)."""


class Store:
    """An open DuckDB connection plus the user on whose behalf it acts (for the audit log)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, user: str, read_only: bool,
                 session: Any = None) -> None:
        self.con = con
        self.path = path
        self.user = user
        self.read_only = read_only
        self.session = session          # sbyt.core.access.Session; None = the OS user alone
        self._in_tx = False
        self._memo: dict[str, Any] = {}

    # -- queries -------------------------------------------------------------------------------
    def execute(self, sql: str, params: object = None) -> duckdb.DuckDBPyConnection:
        if self._memo and "dated_rule" in sql and not sql.lstrip()[:6].upper() == "SELECT":
            self._memo.clear()
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    def arrow(self, sql: str, tables: dict[str, Any] | None = None, *, large: bool = False) -> Any:  # noqa: ANN401
        """A query's result as an Arrow table; `tables`: Arrow tables the query reads by name.

        `large`: the tables are registered and the result read through `con.sql`, which spares a
        copy of its rows. Else (a handful of rows, e.g. the readings operators enter) the tables go
        in as list parameters of a leading CTE and the result through `execute`: registering
        changes the catalog and the relation API binds and plans a query twice, together ~6 ms of
        the readings check's 20."""
        tables = tables or {}
        if large or any(str(f.type) not in _SQL_TYPES for t in tables.values() for f in t.schema):
            for name, table in tables.items():
                self.con.register(name, table)
            try:
                return self.con.sql(sql).to_arrow_table()
            finally:
                for name in tables:
                    self.con.unregister(name)
        ctes, params = [], []
        for name, table in tables.items():
            cols = []
            for f in table.schema:
                cols.append(f"unnest(?::{_SQL_TYPES[str(f.type)]}[]) AS {f.name}")
                params.append(table.column(f.name).to_pylist())
            ctes.append(f"{name} AS (SELECT {', '.join(cols)})")
        if ctes:
            body = sql.lstrip()
            sql = ("WITH " + ", ".join(ctes) + (", " + body[4:] if body[:4].upper() == "WITH" else " " + body))
        return self.con.execute(sql, params).to_arrow_table()

    def memo(self, key: str, load: Callable[[], Any]) -> Any:   # noqa: ANN401
        """`load()` once per Store (one command, request or console call) for small reference
        tables read many times over (the dated rules); forgotten when a write transaction ends
        or a statement writes `dated_rule`."""
        if key not in self._memo:
            self._memo[key] = load()
        return self._memo[key]

    def one(self, sql: str, params: object = None) -> tuple | None:
        # fetchall, not fetchone: DuckDB 2 refuses new work on a connection with an unfinished result
        rows = self.execute(sql, params).fetchall()
        return rows[0] if rows else None

    def scalar(self, sql: str, params: object = None):  # noqa: ANN201 - any SQL value
        row = self.one(sql, params)
        return None if row is None else row[0]

    def all(self, sql: str, params: object = None) -> list[tuple]:
        return self.execute(sql, params).fetchall()

    # -- writes ----------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing. Nested use joins the outer transaction. Write transactions of one process
        take turns (`WRITE_LOCK`: ids are max + 1, so two writers must not interleave); readers
        never wait for them (DuckDB's MVCC)."""
        if self._in_tx:
            yield self.con
            return
        with WRITE_LOCK:
            self.con.execute("BEGIN TRANSACTION")
            self._in_tx = True
            try:
                yield self.con
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            else:
                self.con.execute("COMMIT")
            finally:
                self._in_tx = False
                self._memo.clear()

    @contextmanager
    def snapshot(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Read one consistent state of the store (a transaction that is rolled back): what others
        commit meanwhile is not seen. Writing inside is an error (`transaction` refuses to nest in it)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("SELECT 1 FROM billing_period LIMIT 1").fetchall()   # DuckDB takes the snapshot here
            yield self.con
        finally:
            self.con.execute("ROLLBACK")

    def next_id(self, table: str, column: str = "id") -> int:
        """The next free id for a bulk insert into `table` (max + 1)."""
        return int(self.scalar(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}"))

    def audit(self, action: str, entity: str, entity_id: object = None,
              old: str | None = None, new: str | None = None, *, by: Any = None) -> None:  # noqa: ANN401
        """One row of the append-only audit trail: who, when, which command and job, what, old -> new.
        `by`: the session that made the change, when this store writes it for another (a group
        commit, `core.batching`); else the store's own."""
        self.audit_rows([(action, entity, entity_id, old, new, by)])

    def audit_rows(self, rows: list[tuple[str, str, object, str | None, str | None, Any]]) -> None:
        """Audit rows `(action, entity, entity_id, old, new, by)` in one statement, ids in their order
        (a batch of readings: one INSERT instead of one per reading)."""
        if not rows:
            return
        values, params = [], []
        for k, (action, entity, entity_id, old, new, by) in enumerate(rows):
            s = by or self.session
            values.append(f"({k}, ?, ?, ?, ?, ?, ?, ?, ?::BIGINT)")
            params += [by.login if by is not None else self.user, action, entity,
                       None if entity_id is None else str(entity_id), old, new,
                       getattr(s, "command", None), getattr(s, "job_id", None)]
        self.execute(
            "INSERT INTO audit_log (id, logged_at, user_name, action, entity, entity_id, old_value, new_value,"
            " command, job_id) SELECT nextval('audit_log_seq'), current_timestamp, u, a, e, i, o, n, c, j"
            f" FROM (VALUES {', '.join(values)}) v(k, u, a, e, i, o, n, c, j) ORDER BY k", params)

    def meta(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM meta WHERE key = ?", [key])

    def set_meta(self, key: str, value: str) -> None:
        self.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def current_user() -> str:
    return os.environ.get("SBYT_USER") or getpass.getuser()


def _schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migration'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return int(con.execute("SELECT coalesce(max(version), 0) FROM schema_migration").fetchall()[0][0])


def _pending(con: duckdb.DuckDBPyConnection) -> bool:
    """Any shipped migration not applied yet (also below the file's highest version)."""
    done = {r[0] for r in con.execute("SELECT version FROM schema_migration").fetchall()}
    return any(m.version not in done for m in migrations())


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations the file has not seen; returns their names."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migration ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    done = {r[0] for r in con.execute("SELECT version FROM schema_migration").fetchall()}
    applied = []
    for mig in migrations():
        if mig.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(mig.sql)
            con.execute("INSERT INTO schema_migration (version, name) VALUES (?, ?)", [mig.version, mig.name])
        except Exception:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        applied.append(mig.name)
    return applied


def open_store(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
               create: bool = True, user: str | None = None) -> Store:
    """Open (or create) the store, bring its schema up to date, refuse a newer file."""
    db = resolve_db_path(path)
    if not db.exists() and (read_only or not create):
        raise StoreError(f"Файл базы не найден: {db}. Создайте его командой «sbyt init» или «sbyt demo».")
    try:
        con = duckdb.connect(str(db), read_only=read_only)
    except duckdb.IOException as exc:
        raise StoreError(f"Не удалось открыть базу {db}: {exc}") from None
    # DuckDB's own query progress bar would write into our stdout/stderr: progress is ours to show
    con.execute("SET enable_progress_bar = false")
    file_version = _schema_version(con)
    ours = program_schema_version()
    if file_version > ours:
        con.close()
        raise StoreError(
            f"База {db} создана более новой версией программы (схема {file_version}, "
            f"эта программа знает схему до {ours}). Обновите sbyt."
        )
    if file_version < ours:
        if read_only:
            con.close()
            raise StoreError(f"База {db} требует обновления схемы ({file_version} → {ours}); откройте её на запись.")
        migrate(con)
    elif _pending(con):     # a migration numbered below the file's version, shipped later (an area's range)
        if read_only:       # apply it through a short write connection, then read as asked
            con.close()
            open_store(db, user=user).close()
            return open_store(db, read_only=True, user=user)
        migrate(con)
    return Store(con, db, user or current_user(), read_only)
