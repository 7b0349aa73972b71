"""`sbyt rates update FILE`: a newer Bank of Russia key-rate table (`valid_from;rate`).

The file may hold the whole history or only the new rows: rows the store already has with the same
rate are skipped; a different rate for a date already in the store is an error (history is not
rewritten: penalties already posted were computed with it). All or nothing; the same file twice
is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbyt.core.access import requires
from sbyt.core.errors import RefusedError, RowError, ValidationError
from sbyt.core.loading.columns import Col, error_sql, typed_sql
from sbyt.core.loading.engine import TableLike
from sbyt.core.store import Store

COLUMNS = (
    Col("valid_from", "date", True, "Дата, с которой действует ставка", "2026-02-16"),
    Col("rate", "dec3", True, "Ключевая ставка, % годовых", "15,5", min=0, max=100),
)


@dataclass
class RatesReport:
    rows: int
    added: int
    batch_id: int | None


def _pct(value: object) -> str:
    return f"{value:f}".rstrip("0").rstrip(".").replace(".", ",")


@requires("data.load")
def update_key_rates(store: Store, table: TableLike) -> RatesReport:
    if store.scalar("SELECT id FROM import_batch WHERE kind = 'rates' AND sha256 = ?", [table.sha256]):
        raise RefusedError(f"Файл {table.file} уже загружен (тот же SHA-256): повторная загрузка запрещена.")
    names = [c.name for c in COLUMNS]
    errors = list(table.errors)
    for c in table.columns:
        if c and c not in names:
            errors.append(RowError(table.file, 1, "неизвестная колонка (ожидаются: valid_from, rate)", c))
    for c in COLUMNS:
        if c.name not in table.columns:
            errors.append(RowError(table.file, 1, "нет обязательной колонки", c.name))
    con = store.con
    con.register("raw_rates", table.to_arrow(names))
    try:
        for c in COLUMNS:
            for r, msg in con.sql(f"SELECT _row, msg FROM (SELECT _row, {error_sql(c)} AS msg FROM raw_rates r) "
                                  "WHERE msg IS NOT NULL ORDER BY _row").fetchall():
                errors.append(RowError(table.file, r, msg, c.name))
        typed = ", ".join(f"{typed_sql(c)} AS {c.name}" for c in COLUMNS)
        con.register("stg_rates", con.sql(f"SELECT r._row, {typed} FROM raw_rates r").to_arrow_table())
        for r, first in con.sql("SELECT _row, first FROM (SELECT _row, min(_row) OVER (PARTITION BY valid_from) "
                                "AS first FROM stg_rates WHERE valid_from IS NOT NULL) WHERE _row <> first "
                                "ORDER BY _row").fetchall():
            errors.append(RowError(table.file, r, f"повтор даты: она уже есть в строке {first}", "valid_from"))
        for r, d, old, new in con.sql(
                "SELECT s._row, strftime(s.valid_from, '%d.%m.%Y'), k.rate, s.rate FROM stg_rates s "
                "JOIN key_rate k ON k.valid_from = s.valid_from WHERE k.rate <> s.rate ORDER BY s._row").fetchall():
            errors.append(RowError(table.file, r, f"в базе ставка с {d} равна {_pct(old)} %, в файле {_pct(new)} %: "
                                                  "изменять историю ставок нельзя", "rate"))
        if not len(table) and not errors:
            errors.append(RowError(table.file, 2, "в файле нет ни одной ставки"))
        if errors:
            errors.sort(key=lambda e: (e.row, [c.name for c in COLUMNS].index(e.column) if e.column in names else -1))
            raise ValidationError(errors)
        new = con.sql("SELECT s.valid_from, s.rate FROM stg_rates s ANTI JOIN key_rate k "
                      "ON k.valid_from = s.valid_from").to_arrow_table()
        con.register("new_rates", new)
        batch_id = store.next_id("import_batch")
        with store.transaction():
            con.execute("INSERT INTO key_rate SELECT valid_from, rate FROM new_rates")
            con.execute("INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows) "
                        "VALUES (?, 'rates', ?, ?, ?, ?)", [batch_id, table.file, table.sha256, store.user, len(new)])
            store.audit("command", "rates", batch_id, new=f'{{"added": {len(new)}}}')
        return RatesReport(len(table), len(new), batch_id)
    finally:
        for name in ("raw_rates", "stg_rates", "new_rates"):
            try:
                con.unregister(name)
            except Exception:  # noqa: BLE001 - not registered after an early error
                pass
