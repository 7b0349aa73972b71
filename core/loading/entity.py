"""What a loadable entity is: one file per entity, its columns, natural key, references and writes.

Every entity has:
  * `columns` — the file's columns (names are the template header);
  * `key` — the natural key (columns of the file, or derived columns);
  * `existing` — SQL rendering what the store already holds in the same shape as the file
    (with `_id` for tables that have a surrogate id): used for references, overlaps and ids;
  * `target` — SQL producing rows of the store table from `new_<name>` (the file's rows with their
    ids) and `all_<other>` (the state after loading: file rows plus untouched store rows);
  * optional derived columns, references, an effective-dated interval and extra checks.

The helpers `_c`, `_valid_from` and `_valid_to` spell columns for the definition modules of
`sbyt.core.loading.entities`; the table of entities in loading order is `entities.ENTITIES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbyt.core.loading.columns import Col


@dataclass(frozen=True)
class Ref:
    cols: tuple[str, ...]        # columns of this file
    entity: str                  # the entity referred to (its key, in order)
    col: str | None = None       # the column to blame (default: the last of cols)
    when: str = "true"           # extra SQL condition over `s` (the referring row)
    target: tuple[str, ...] | None = None   # columns of the entity referred to (default: its key)


@dataclass(frozen=True)
class Check:
    """Extra rule: SQL over `stg_<name> s` (and any `all_*`) returning `_row`, `msg`."""
    col: str
    sql: str


@dataclass(frozen=True)
class Also:
    """A second table the rows of an entity write (a contract's documents): its rows from `target`
    (SQL over `new_<name>` and `all_*`, like the entity's own), compared and replaced like them; `seq`:
    the sequence giving each inserted row its `id`."""
    table: str
    target: str
    table_key: tuple[str, ...]
    compare: tuple[str, ...] = ()
    compare_where: str = "true"
    seq: str | None = None


@dataclass(frozen=True)
class Entity:
    name: str
    title: str                   # Russian, for docs and summaries
    genitive: str                # «нет района …»
    table: str
    columns: tuple[Col, ...]
    key: tuple[str, ...]
    existing: str
    target: str
    table_key: tuple[str, ...]   # key of the store table for replacing changed rows
    compare: tuple[str, ...] = ()   # columns deciding «identical» (default: all target columns)
    has_id: bool = False         # the table has a surrogate `id` assigned here (max + 1 …)
    gen_id: bool = False         # rows get a fresh `id` at insert time (reading, posting)
    derived: tuple[tuple[str, str], ...] = ()
    refs: tuple[Ref, ...] = ()
    interval: tuple[str, str, tuple[str, ...]] | None = None   # from, to (exclusive), group
    checks: tuple[Check, ...] = ()
    compare_where: str = "true"  # restricts the store rows compared/replaced (SQL over `t`)
    insert_only: bool = False    # a changed row is an error (reported by a check), never replaced
    also: tuple[Also, ...] = ()  # other tables written from the same rows
    doc: str = ""

    def col(self, name: str) -> Col:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name: str, type_: str, required: bool, doc: str, example: str, **kw: object) -> Col:
    return Col(name, type_, required, doc, example, **kw)  # type: ignore[arg-type]


def _valid_from(example: str = "2020-01-01") -> Col:
    return _c("valid_from", "date", True, "Действует с (включительно)", example)


def _valid_to(example: str = "") -> Col:
    return _c("valid_to", "date", False, "Действует по (не включая); пусто — бессрочно", example)
