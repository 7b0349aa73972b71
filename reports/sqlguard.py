"""Proof that a query only reads: the guard in front of ad-hoc SQL and of every catalog report.

Pure: text in, a parsed sqlglot tree out, or `SqlRefusedError` with a Russian message naming the
reason. The guard is the first of two locks; the second is the connection itself (read-only, no
external access, see `sbyt.reports.connection`). Rules:

* the text parses (DuckDB dialect) into exactly one statement;
* that statement is a query: SELECT, WITH … SELECT, UNION / INTERSECT / EXCEPT of those;
* no statement node anywhere in the tree changes data, schema or settings (a DELETE inside a CTE
  is found as well as one at the top);
* table functions in FROM / JOIN come from an allow-list (`SAFE_TABLE_FUNCTIONS`): anything else
  (read_csv, glob, query, sqlite_scan, …) may read files, the network or run other SQL;
* functions that touch files, the network, the environment or sequences are refused anywhere;
* table names are plain identifiers: DuckDB would read `FROM '/etc/passwd'` as a file.
"""

from __future__ import annotations

import logging
import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from sbyt.core.errors import RefusedError

DIALECT = "duckdb"

# Table functions a query may select from: pure generators over their arguments.
SAFE_TABLE_FUNCTIONS = frozenset({
    "range", "generate_series", "unnest",
    "duckdb_tables", "duckdb_columns", "duckdb_views", "duckdb_schemas", "duckdb_types",
    "duckdb_constraints", "duckdb_indexes", "duckdb_sequences",
    "turnover",     # the store's own read-only table macro over the ledger (sql/schema/020_report_macros.sql)
})
# Leading keywords of statements sqlglot may not parse at all (then refused by name).
_STATEMENT_WORDS = frozenset({
    "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "DROP", "ALTER", "TRUNCATE", "COPY", "PRAGMA",
    "SET", "RESET", "ATTACH", "DETACH", "INSTALL", "LOAD", "FORCE", "USE", "BEGIN", "COMMIT",
    "ROLLBACK", "ABORT", "CALL", "EXPORT", "IMPORT", "CHECKPOINT", "VACUUM", "ANALYZE", "UPSERT",
    "REPLACE", "GRANT", "REVOKE", "COMMENT", "EXECUTE", "PREPARE", "DEALLOCATE", "UPDATE_EXTENSIONS",
})

# Functions refused anywhere in a query (scalar or table position).
_FORBIDDEN_FUNCTION = re.compile(
    r"^(read_.*|write_.*|parquet_.*|sniff_.*|glob|.*_scan|.*_query|query|query_table|getenv"
    r"|nextval|setval|currval|checkpoint|force_checkpoint|duckdb_secrets|which_secret|http_.*"
    r"|load_.*|install_.*|copy_.*|export_.*|import_.*|pragma_.*|set_variable|setvariable"
    r"|st_read.*|iceberg_.*|delta_.*|sqlite_.*|postgres_.*|mysql_.*|json_execute_serialized_sql"
    r"|current_setting|enable_.*|disable_.*)$"
)

# Statement nodes that change data, schema, settings, attachments or extensions.
_FORBIDDEN_NODES: dict[type[exp.Expression], str] = {
    cls: label
    for name, label in [
        ("Insert", "INSERT"), ("Update", "UPDATE"), ("Delete", "DELETE"), ("Merge", "MERGE"),
        ("Create", "CREATE"), ("Drop", "DROP"), ("Alter", "ALTER"), ("TruncateTable", "TRUNCATE"),
        ("Copy", "COPY"), ("Pragma", "PRAGMA"), ("Set", "SET"), ("Attach", "ATTACH"),
        ("Detach", "DETACH"), ("Install", "INSTALL"), ("Use", "USE"), ("Transaction", "BEGIN"),
        ("Commit", "COMMIT"), ("Rollback", "ROLLBACK"), ("Into", "SELECT … INTO"),
        ("LoadData", "LOAD"), ("Export", "EXPORT"), ("Analyze", "ANALYZE"), ("Refresh", "REFRESH"),
        ("Cache", "CACHE"), ("Uncache", "UNCACHE"), ("Grant", "GRANT"), ("Revoke", "REVOKE"),
        ("Comment", "COMMENT"), ("Kill", "KILL"), ("Command", "команда"),
    ]
    if (cls := getattr(exp, name, None)) is not None
}

_QUERY_ROOTS = (exp.Select, exp.SetOperation, exp.Subquery)
_PLAIN_NAME = re.compile(r"^[A-Za-z_\u0400-\u04FF][A-Za-z0-9_$\u0400-\u04FF]*$")
_FIRST_WORD = re.compile(r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*([A-Za-z_]+)", re.S)


class SqlRefusedError(RefusedError):
    """A query the guard refused; `reason` is a short code for tests and logs."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"Запрос отклонён: {message}")
        self.reason = reason


def function_name(node: exp.Expression) -> str:
    """Lower-case SQL name of a function node (`read_csv`, `glob`, `generate_series`)."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    if isinstance(node, exp.Func):
        return node.sql_name().lower()
    return node.key.lower()


def _statement_label(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    for cls, label in _FORBIDDEN_NODES.items():
        if isinstance(node, cls):
            return label
    return node.key.upper()


def parse(sql: str) -> list[exp.Expression]:
    """All statements of `sql`; unparseable text is refused."""
    if not sql or not sql.strip():
        raise SqlRefusedError("empty", "пустой запрос.")
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # silence "falling back to parsing as a Command"
    try:
        statements = sqlglot.parse(sql, read=DIALECT)
    except (ParseError, TokenError) as exc:
        first = _FIRST_WORD.match(sql)
        word = first.group(1).upper() if first else ""
        if word in _STATEMENT_WORDS:
            raise SqlRefusedError("statement", f"команда {word} запрещена: разрешены только запросы SELECT.") from None
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SqlRefusedError("syntax", f"текст не разобран как SQL ({detail}); выполняются только запросы, "
                                        "которые удаётся проверить.") from None
    finally:
        logger.setLevel(level)
    return [s for s in statements if s is not None]


def check(sql: str) -> exp.Expression:
    """The parsed query if it provably only reads; otherwise `SqlRefusedError`."""
    statements = parse(sql)
    if len(statements) != 1:
        if not statements:
            raise SqlRefusedError("empty", "пустой запрос.")
        raise SqlRefusedError("many", f"разрешён ровно один запрос, а в тексте их {len(statements)}.")
    tree = statements[0]
    if not isinstance(tree, _QUERY_ROOTS):
        raise SqlRefusedError("statement", f"команда {_statement_label(tree)} запрещена: "
                                           "разрешены только запросы SELECT (WITH … SELECT).")
    for node in tree.walk():
        for cls in _FORBIDDEN_NODES:
            if isinstance(node, cls):
                raise SqlRefusedError("nested", f"внутри запроса есть {_statement_label(node)}: "
                                                "изменять данные, схему или настройки нельзя.")
        if isinstance(node, exp.Table):
            _check_table(node)
        elif isinstance(node, exp.Func):
            name = function_name(node)
            if _FORBIDDEN_FUNCTION.match(name):
                raise SqlRefusedError("function", f"функция {name} запрещена: она обращается к файлам, "
                                                  "сети, окружению или изменяет состояние базы.")
    return tree


def _check_table(node: exp.Table) -> None:
    source = node.this
    if isinstance(source, exp.Func):
        name = function_name(source)
        if name not in SAFE_TABLE_FUNCTIONS:
            allowed = ", ".join(sorted(SAFE_TABLE_FUNCTIONS))
            raise SqlRefusedError("table_function", f"табличная функция {name} запрещена: читать файлы, сеть "
                                                    f"или выполнять другой SQL из запроса нельзя (разрешены: {allowed}).")
        return
    for part in node.parts:
        if isinstance(part, exp.Identifier) and not _PLAIN_NAME.match(part.name):
            raise SqlRefusedError("file", f"«{part.name}» — не имя таблицы: обращение к файлам запрещено.")
    if not isinstance(source, (exp.Identifier, exp.Func, type(None))):
        raise SqlRefusedError("table_source", f"недопустимый источник данных: {source.sql(DIALECT)[:60]}.")


def placeholders(tree: exp.Expression) -> list[str]:
    """Named parameters (`$name`) used in the query, in order of first use; `?` gives ''."""
    seen: list[str] = []
    for node in tree.find_all(exp.Placeholder, exp.Parameter):
        name = str(node.name or "")
        name = "" if name == "?" else name
        if name not in seen:
            seen.append(name)
    return seen


def check_unqualified(tree: exp.Expression) -> None:
    """For a session that reads personal data masked: no table may name its schema or database
    (`main.account` would get past the masked views)."""
    for node in tree.walk():
        if isinstance(node, exp.Table) and (node.args.get("db") or node.args.get("catalog")):
            raise SqlRefusedError("schema", f"таблица {node.sql(dialect='duckdb')}: для вашей роли персональные "
                                            "данные скрыты, указывать схему или базу у таблиц нельзя.")
