"""`sbyt load`: validate a set of entity files against each other and the store, then upsert them.

Phase 1 (read-only, no transaction): every file is registered as an Arrow table and typed by SQL;
every check (types, required values, enumerations, duplicates, references across files and to the
store, dates, overlapping intervals, entity rules) runs vectorised; all errors are collected.
Any error -> `ValidationError`, and the store file is not touched.
Phase 2 (one transaction): for every entity the target rows are compared with the store; only new
or changed rows are written (changed rows replace the old ones by key), so a second load of the
same files writes nothing at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import duckdb
import pyarrow as pa

from sbyt.core.access import requires
from sbyt.core.buildings import without_facts
from sbyt.core.errors import RowError, ValidationError
from sbyt.core.loading.columns import error_sql, typed_sql
from sbyt.core.loading.entities import BY_NAME, ENTITIES, SQL_FUNCTIONS, Entity
from sbyt.core.loading.entity import Also
from sbyt.core.periods import first_day, last_day, period_label, prev_period
from sbyt.core.search import refresh_search_index
from sbyt.core.store import Store


class TableLike(Protocol):
    """What `sbyt.io.tabular.Table` provides (core does not import io)."""

    file: str
    columns: list[str]
    sha256: str
    errors: list[RowError]

    def __len__(self) -> int: ...

    def to_arrow(self, wanted: list[str]) -> pa.Table: ...


@dataclass
class EntityCount:
    entity: str
    title: str
    file: str
    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadReport:
    counts: list[EntityCount] = field(default_factory=list)
    batch_id: int | None = None
    changed: bool = False
    period: int | None = None
    warnings: list[str] = field(default_factory=list)   # in Russian, one line each; the load still succeeded


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _eq(cols: tuple[str, ...], a: str, b: str, a_cols: tuple[str, ...] | None = None) -> str:
    a_cols = a_cols or cols
    return " AND ".join(f"{a}.{_q(x)} = {b}.{_q(y)}" for x, y in zip(a_cols, cols))


class _Session:
    def __init__(self, store: Store, tables: Mapping[str, TableLike], period: int | None,
                 progress: Callable[[str], None] | None) -> None:
        self.store = store
        self.con: duckdb.DuckDBPyConnection = store.con
        self.tables = dict(tables)
        self.period = period
        self.progress = progress or (lambda _msg: None)
        self.errors: list[RowError] = []
        self.registered: list[str] = []
        self.present = [e for e in ENTITIES if e.name in self.tables]
        self.materialized: set[str] = set()

    # -- registration helpers (connection-local views: nothing touches the database file) -------
    def register(self, name: str, data: pa.Table) -> None:
        self.con.register(name, data)
        self.registered.append(name)

    def view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")
        self.registered.append(name)

    def cleanup(self) -> None:
        for name in reversed(self.registered):
            try:
                self.con.unregister(name)
            except Exception:  # noqa: BLE001 - a temp view, not a registered object
                pass
            try:
                self.con.execute(f"DROP VIEW IF EXISTS temp.{name}")
            except Exception:  # noqa: BLE001
                pass

    def arrow(self, sql: str, params: dict | None = None) -> pa.Table:
        return self.con.sql(sql, params=params or None).to_arrow_table()

    def run_checks(self, ent: Entity, parts: list[tuple[str, str]]) -> None:
        """Run several checks (SQL returning `_row`, `msg`) as one query; collect their errors."""
        if not parts:
            return
        sql = " UNION ALL ".join(f"SELECT _row, {i} AS k, msg FROM ({q}) WHERE msg IS NOT NULL"
                                 for i, (_c, q) in enumerate(parts))
        file = self.tables[ent.name].file
        for r, k, msg in self.con.sql(f"SELECT * FROM ({sql}) ORDER BY _row, k").fetchall():
            self.errors.append(RowError(file, int(r), msg, parts[k][0]))

    def err(self, ent: Entity, rows: pa.Table, col: str) -> None:
        file = self.tables[ent.name].file
        for r, msg in zip(rows.column("_row").to_pylist(), rows.column("msg").to_pylist()):
            self.errors.append(RowError(file, int(r), msg, col))

    # -- phase 1 -------------------------------------------------------------------------------
    def functions(self) -> None:
        """The entities' Python checks (`entities.SQL_FUNCTIONS`: VARCHAR arguments -> the Russian
        problem or NULL) as SQL functions of the connection; registered once, kept for its life."""
        have = {r[0] for r in self.con.execute("SELECT function_name FROM duckdb_functions()"
                                               " WHERE function_name IN (SELECT unnest(?::VARCHAR[]))",
                                               [list(SQL_FUNCTIONS)]).fetchall()}
        for name, (fn, arity) in SQL_FUNCTIONS.items():
            if name in have:
                continue
            try:
                self.con.create_function(name, fn, ["VARCHAR"] * arity, "VARCHAR", null_handling="special")
            except duckdb.NotImplementedException:  # registered meanwhile by another load on this connection
                pass

    def stage(self) -> None:
        self.functions()
        for ent in ENTITIES:
            self.view(f"cur_{ent.name}", ent.existing)
        for ent in self.present:
            t = self.tables[ent.name]
            self.errors.extend(t.errors)
            known = [c.name for c in ent.columns]
            for c in t.columns:
                if c and c not in known:
                    self.errors.append(RowError(t.file, 1, f"неизвестная колонка (ожидаются: {', '.join(known)})", c))
            for c in ent.columns:
                if c.required and c.default is None and c.name not in t.columns:
                    self.errors.append(RowError(t.file, 1, "нет обязательной колонки", c.name))
            self.register(f"raw_{ent.name}", t.to_arrow(known))
            self.run_checks(ent, [(c.name, f"SELECT _row, {error_sql(c)} AS msg FROM raw_{ent.name} r")
                                  for c in ent.columns])
            typed = ", ".join(f"{typed_sql(c)} AS {c.ident}" for c in ent.columns)
            sql = f"SELECT r._row, {typed} FROM raw_{ent.name} r"
            if ent.derived:
                sql = f"SELECT s.*, {', '.join(f'{expr} AS {_q(n)}' for n, expr in ent.derived)} FROM ({sql}) s"
            self.register(f"stg_{ent.name}", self.arrow(sql))

        # new_<x>: the file's rows with their ids; all_<x>: the store after loading
        for ent in ENTITIES:
            stg = f"stg_{ent.name}" if ent.name in self.tables else None
            if stg is None:
                self.view(f"all_{ent.name}", f"SELECT NULL::BIGINT AS _row, * FROM cur_{ent.name}")
                continue
            key = ent.key
            if ent.has_id:
                max_id = self.store.scalar(f"SELECT coalesce(max(id), 0) FROM {ent.table}")
                new_sql = (f"SELECT s.*, coalesce(c._id, {max_id} + row_number() OVER "
                           f"(PARTITION BY c._id IS NULL ORDER BY s._row)) AS _id "
                           f"FROM {stg} s LEFT JOIN (SELECT DISTINCT ON ({', '.join(map(_q, key))}) * "
                           f"FROM cur_{ent.name}) c ON {_eq(key, 's', 'c')}")
                # a duplicate key inside the file takes the id of its first row (it is an error anyway)
            else:
                new_sql = f"SELECT s.* FROM {stg} s"
            self.register(f"new_{ent.name}", self.arrow(new_sql + " ORDER BY s._row"))
            self.view(f"all_{ent.name}",
                      f"SELECT * FROM new_{ent.name} UNION ALL BY NAME "
                      f"SELECT NULL::BIGINT AS _row, c.* FROM cur_{ent.name} c "
                      f"ANTI JOIN {stg} s ON {_eq(key, 'c', 's')}")
        # materialise the states other files refer to (each is read by several checks)
        needed: set[str] = set()
        for ent in self.present:
            needed.update(r.entity for r in ent.refs)
            for text in [ent.target, *(c.sql for c in ent.checks)]:
                needed.update(re.findall(r"\ball_([a-z_]+)", text))
        for name in sorted(needed):
            data = self.arrow(f"SELECT * FROM all_{name}")
            self.con.execute(f"DROP VIEW IF EXISTS temp.all_{name}")
            self.register(f"all_{name}", data)

    def check(self) -> None:
        for ent in self.present:
            parts: list[tuple[str, str]] = []
            stg = f"stg_{ent.name}"
            # duplicates of the natural key inside the file
            key = ent.key
            nn = " AND ".join(f"{_q(k)} IS NOT NULL" for k in key)
            shown = " || ' / ' || ".join(f"{_q(k)}::VARCHAR" for k in key)
            dup_sql = (
                f"SELECT _row, 'повтор: запись «' || {shown} || '» уже есть в строке ' || first AS msg FROM ("
                f"SELECT *, min(_row) OVER (PARTITION BY {', '.join(map(_q, key))}) AS first FROM {stg} WHERE {nn})"
                f" WHERE _row <> first ORDER BY _row")
            blame = next((k for k in key if k in {c.name for c in ent.columns}), ent.columns[0].name)
            if ent.derived and key[0] == "point":
                blame = "account"
            parts.append((blame, dup_sql))
            # references
            for ref in ent.refs:
                target = BY_NAME[ref.entity]
                tcols = ref.target or target.key
                shown = " || ' / ' || ".join(f"s.{_q(c)}" for c in ref.cols)
                nn = " AND ".join(f"s.{_q(c)} IS NOT NULL" for c in ref.cols)
                bad_sql = (
                    f"SELECT s._row, 'нет {target.genitive} «' || {shown} || '» ни в файлах, ни в базе' AS msg "
                    f"FROM {stg} s WHERE {nn} AND ({ref.when}) AND NOT EXISTS (SELECT 1 FROM all_{ref.entity} t "
                    f"WHERE {' AND '.join(f't.{_q(a)} = s.{_q(b)}' for a, b in zip(tcols, ref.cols))}) ORDER BY s._row")
                parts.append((ref.col or ref.cols[-1], bad_sql))
            # effective-dated intervals
            if ent.interval:
                f, t, group = ent.interval
                bad_sql = (f"SELECT _row, 'дата окончания ' || strftime({_q(t)}, '%d.%m.%Y') || "
                                 f"' не позже даты начала ' || strftime({_q(f)}, '%d.%m.%Y') AS msg FROM {stg} "
                                 f"WHERE {_q(t)} <= {_q(f)} ORDER BY _row")
                parts.append((t, bad_sql))
                part = f"PARTITION BY {', '.join(map(_q, group))}" if group else ""
                bad_sql = (f"""
                    WITH x AS (SELECT _row, {_q(f)} AS f, coalesce({_q(t)}, DATE '9999-12-31') AS t
                                   {''.join(', ' + _q(g) for g in group)}
                               FROM all_{ent.name} WHERE {_q(f)} IS NOT NULL),
                         y AS (SELECT *, lag(_row) OVER w AS prev_row, lag(f) OVER w AS prev_f,
                                      max(t) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_t,
                                      lead(_row) OVER w AS next_row, lead(f) OVER w AS next_f,
                                      row_number() OVER w AS rn, lead(1) OVER w AS has_next
                               FROM x WINDOW w AS ({part} ORDER BY f, _row NULLS FIRST))
                    SELECT _row, 'период действия с ' || strftime(f, '%d.%m.%Y') ||
                           ' пересекается ' || CASE WHEN prev_row IS NULL THEN 'с записью в базе'
                           ELSE 'со строкой ' || prev_row END || ' (с ' || strftime(prev_f, '%d.%m.%Y') || ')' AS msg
                    FROM y WHERE _row IS NOT NULL AND prev_t > f
                    UNION ALL
                    SELECT _row, 'период действия с ' || strftime(f, '%d.%m.%Y') ||
                           ' пересекается с записью в базе (с ' || strftime(next_f, '%d.%m.%Y') || ')' AS msg
                    FROM y WHERE _row IS NOT NULL AND has_next = 1 AND next_row IS NULL AND next_f < t
                    ORDER BY 1""")
                parts.append((f, bad_sql))
            for chk in ent.checks:
                sql = re.sub(r"\bFROM stg s\b", f"FROM {stg} s", chk.sql)
                bad_sql = (f"SELECT _row, msg FROM ({sql}) WHERE msg IS NOT NULL ORDER BY _row")
                parts.append((chk.col, bad_sql))
            self.run_checks(ent, parts)

    def check_period(self) -> None:
        ent = BY_NAME["opening_balances"]
        if ent.name not in self.tables or not len(self.tables[ent.name]):
            return
        from sbyt.core.period_state import is_closed

        file = self.tables[ent.name].file
        has_periods = bool(self.store.scalar("SELECT count(*) FROM billing_period"))
        if self.period is None:
            self.period = self.store.scalar("SELECT min(period) FROM billing_period WHERE status = 'open'")
            if self.period is None:
                self.errors.append(RowError(file, 1, "в базе нет открытого расчётного периода: укажите период "
                                                     "входящего сальдо (--period ГГГГ-ММ)"))
        elif has_periods and (is_closed(self.store, self.period) or not self.store.scalar(
                "SELECT count(*) FROM billing_period WHERE period = ?", [self.period])):
            self.errors.append(RowError(file, 1, f"период {period_label(self.period)} "
                                                 "не открыт: входящее сальдо вносится в открытый период"))

    # -- phase 2 -------------------------------------------------------------------------------
    def plan(self, params: dict) -> list[tuple[Entity, Also | None, pa.Table, int, int]]:
        """Per entity and each table it writes: the rows to write (new or changed), how many rows the
        target has, how many replace a stored row (`Also` None: the entity's own table)."""
        out = []
        for ent in self.present:
            for also in (None, *ent.also):
                w = also or ent
                used = {k: v for k, v in params.items() if f"${k}" in w.target}
                tgt = self.arrow(w.target, used)
                name = f"tgt_{ent.name}" + (f"_{w.table}" if also else "")
                self.register(name, tgt)
                cols = w.compare or tuple(tgt.column_names)
                same = " AND ".join(f"t.{_q(c)} IS NOT DISTINCT FROM g.{_q(c)}" for c in cols)
                changed = self.arrow(f"SELECT g.* FROM {name} g WHERE NOT EXISTS (SELECT 1 FROM {w.table} t "
                                     f"WHERE ({w.compare_where}) AND {same})")
                chg = "chg" + name[3:]
                self.register(chg, changed)
                replaced = int(self.store.scalar(
                    f"SELECT count(*) FROM {chg} g WHERE EXISTS (SELECT 1 FROM {w.table} t "
                    f"WHERE ({w.compare_where}) AND {_eq(w.table_key, 't', 'g')})"))
                out.append((ent, also, changed, len(tgt), replaced))
        return out

    def write(self, plan: list[tuple[Entity, Also | None, pa.Table, int, int]]) -> None:
        con = self.con
        for ent, also, changed, _total, replaced in plan:
            if not len(changed):
                continue
            w = also or ent
            name = f"chg_{ent.name}" + (f"_{w.table}" if also else "")
            cols = ", ".join(map(_q, changed.column_names))
            if replaced:
                con.execute(f"DELETE FROM {w.table} t USING {name} g "
                            f"WHERE ({w.compare_where}) AND {_eq(w.table_key, 't', 'g')}")
            if also is not None and also.seq:
                con.execute(f"INSERT INTO {w.table} (id, {cols}) SELECT nextval('{also.seq}'), {cols} FROM {name}")
            elif also is None and ent.gen_id:
                first = self.store.next_id(ent.table)
                con.execute(f"INSERT INTO {ent.table} (id, {cols}) SELECT {first} - 1 + row_number() OVER (), "
                            f"{cols} FROM {name}")
            else:
                con.execute(f"INSERT INTO {w.table} ({cols}) SELECT {cols} FROM {name}")


FILE_ORDER = [e.name for e in ENTITIES]


@requires("data.load")
def load_tables(store: Store, tables: Mapping[str, TableLike], *, source: str, sha256: str,
                period: int | None = None, progress: Callable[[str], None] | None = None) -> LoadReport:
    """Validate `tables` (entity name -> parsed file) completely, then write them all or nothing.

    Raises `ValidationError` with every bad row; the store is then untouched. Loading the same data
    again writes nothing (and registers no new batch).
    """
    s = _Session(store, tables, period, progress)
    try:
        errors_unknown = [RowError(t.file, 1, "неизвестный файл: ожидаются " + ", ".join(FILE_ORDER))
                          for name, t in tables.items() if name not in BY_NAME]
        if errors_unknown:
            raise ValidationError(errors_unknown)
        s.progress("Проверка файлов")
        s.stage()
        s.check()
        s.check_period()
        if s.errors:
            order = {e.name: i for i, e in enumerate(ENTITIES)}
            by_file = {t.file: order.get(n, 99) for n, t in tables.items()}
            s.errors.sort(key=lambda e: (by_file.get(e.file, 99), e.file, e.row))
            raise ValidationError(s.errors)
        report = LoadReport(period=s.period)
        batch_id = store.next_id("import_batch")
        old_batch = store.scalar("SELECT id FROM import_batch WHERE kind = 'load' AND sha256 = ?", [sha256])
        params: dict[str, object] = {"batch": old_batch or batch_id, "user": store.user}
        if s.period is not None:
            params.update(period=s.period, for_period=prev_period(s.period),
                          op_date=first_day(s.period))
        s.progress("Сравнение с базой")
        plan = s.plan(params)
        total = written = 0     # changed rows of the files; of every table
        for ent, also, changed, n, replaced in plan:
            written += len(changed)
            if also is not None:
                continue
            total += len(changed)
            c = EntityCount(ent.name, ent.title, tables[ent.name].file, n,
                            inserted=len(changed) - replaced, updated=replaced, unchanged=n - len(changed))
            report.counts.append(c)
        if written == 0:
            report.warnings = load_warnings(store, s.period)
            return report
        s.progress("Запись")
        with store.transaction():
            if s.period is not None and not store.scalar("SELECT count(*) FROM billing_period"):
                from sbyt.core.period_state import start_period

                start_period(store, s.period)
            s.write(plan)
            if old_batch is None:
                store.execute("INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows) "
                              "VALUES (?, 'load', ?, ?, ?, ?)", [batch_id, source, sha256, store.user, total])
            report.batch_id = old_batch or batch_id
            changes = {c.entity: {"inserted": c.inserted, "updated": c.updated} for c in report.counts
                       if c.inserted or c.updated}
            store.audit("command", "load", report.batch_id,
                        new=json.dumps({"source": source, "changes": changes}, ensure_ascii=False))
        report.changed = True
        refresh_search_index(store)     # the console's account search sees the new master data at once
        report.warnings = load_warnings(store, s.period)
        return report
    finally:
        s.cleanup()


MAX_WARNED_BUILDINGS = 20


def load_warnings(store: Store, period: int | None) -> list[str]:
    """What the loaded data lacks for the month (the load's period, else the open one, else today):
    apartment buildings without characteristics on its last day — their ОДН is not calculated."""
    p = period or store.scalar("SELECT min(period) FROM billing_period WHERE status = 'open'")
    on = last_day(p) if p else today()
    codes = without_facts(store, on)
    when = period_label(p) if p else f"{on:%d.%m.%Y}"
    out = [f"Предупреждение: у дома {code} нет характеристик на {when} (building_facts: способ управления, "
           "площади) — ОДН по дому не рассчитывается." for code in codes[:MAX_WARNED_BUILDINGS]]
    if len(codes) > MAX_WARNED_BUILDINGS:
        out.append(f"Предупреждение: и ещё домов без характеристик: {len(codes) - MAX_WARNED_BUILDINGS}.")
    return out


def today() -> date:
    return date.today()
