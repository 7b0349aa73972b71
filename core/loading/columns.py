"""Column types of the loading templates and the SQL that types and checks them.

Every raw cell arrives as text (or NULL when empty). For each column two SQL expressions are
generated over the raw view: the typed value (NULL when the text is not valid) and the error
message (NULL when it is valid). Everything runs vectorised in DuckDB over registered Arrow data.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbyt.core import labels

# type code -> Russian name for docs/loading.md
TYPE_NAMES = {
    "text": "текст",
    "int": "целое число",
    "dec2": "число, до 2 знаков после запятой",
    "dec3": "число, до 3 знаков после запятой",
    "dec4": "число, до 4 знаков после запятой",
    "money": "сумма в рублях (до копеек), минус — переплата",
    "date": "дата ГГГГ-ММ-ДД или ДД.ММ.ГГГГ",
    "bool": "да/нет (1/0)",
    "enum": "код или слово из списка (регистр и «ё»/«е» не важны)",
    "account": "номер ЛС: ровно 10 цифр",
}

TRUE_WORDS = ("1", "да", "д", "true", "yes", "y", "истина", "+")
FALSE_WORDS = ("0", "нет", "н", "false", "no", "n", "ложь", "-")


@dataclass(frozen=True)
class Col:
    name: str
    type: str
    required: bool = False
    doc: str = ""
    example: str = ""
    enum: tuple[str, ...] = ()          # allowed codes (default: every code of `domain`)
    domain: str | None = None           # `sbyt.core.labels` domain: its Russian words are accepted too
    min: int | None = None
    max: int | None = None
    default: str | None = None          # used when the cell is empty (text form)
    pattern: str | None = None          # regular expression the whole text must match
    pattern_doc: str | None = None      # Russian description of the pattern for messages

    @property
    def codes(self) -> tuple[str, ...]:
        return self.enum or (labels.codes(self.domain) if self.domain else ())

    def words(self) -> list[tuple[str, str]]:
        """(accepted text as compared, code): each code and, with a domain, its label."""
        out = [(labels.normalize(c), c) for c in self.codes]
        if self.domain:
            out += [(labels.normalize(labels.label(self.domain, c)), c) for c in self.codes]
        return out

    def allowed_text(self) -> str:
        """«working — исправен, broken — неисправен» (or just the codes without a domain)."""
        return labels.choices(self.domain, self.codes) if self.domain else ", ".join(self.codes)

    @property
    def ident(self) -> str:
        return '"' + self.name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _raw(col: Col) -> str:
    ref = f"nullif(trim(r.{col.ident}), '')"
    return f"coalesce({ref}, {lit(col.default)})" if col.default is not None else ref


def _number_text(v: str) -> str:
    return f"replace(replace(replace({v}, ' ', ''), '\u00a0', ''), ',', '.')"


def _valid(col: Col, v: str) -> str:
    """SQL boolean: the (non-null) text is of the column's type."""
    t = col.type
    if t == "int":
        return f"regexp_full_match({v}, '[+-]?[0-9]{{1,18}}')"
    if t in ("dec2", "dec3", "dec4", "money"):
        scale = 2 if t == "money" else int(t[3])
        return f"regexp_full_match({_number_text(v)}, '[+-]?[0-9]{{1,15}}([.][0-9]{{1,{scale}}})?')"
    if t == "date":
        return f"({_date(v)}) IS NOT NULL"
    if t == "bool":
        return f"lower({v}) IN ({', '.join(map(lit, TRUE_WORDS + FALSE_WORDS))})"
    if t == "enum":
        return f"{_norm(v)} IN ({', '.join(lit(w) for w, _ in col.words())})"
    if t == "account":
        return f"regexp_full_match({v}, '[0-9]{{10}}')"
    return "true"


def _norm(v: str) -> str:
    """SQL twin of `labels.normalize`: lower case, «ё» -> «е», spaces collapsed."""
    return f"replace(lower(regexp_replace(trim({v}), '\\s+', ' ', 'g')), 'ё', 'е')"


def _date(v: str) -> str:
    """SQL twin of `periods.parse_date` (the macro of migration 017)."""
    return f"text_date({v})"


def typed_sql(col: Col) -> str:
    """The typed value of the column, NULL when empty or invalid."""
    v = _raw(col)
    t = col.type
    if t == "int":
        expr = f"TRY_CAST({v} AS BIGINT)"
    elif t in ("dec2", "dec3", "dec4"):
        expr = f"TRY_CAST({_number_text(v)} AS DECIMAL(18, {t[3]}))"
    elif t == "money":
        expr = f"CAST(TRY_CAST({_number_text(v)} AS DECIMAL(18, 2)) * 100 AS BIGINT)"
    elif t == "date":
        expr = _date(v)
    elif t == "bool":
        expr = f"CASE WHEN lower({v}) IN ({', '.join(map(lit, TRUE_WORDS))}) THEN true ELSE false END"
        return f"CASE WHEN {v} IS NULL THEN NULL WHEN {_valid(col, v)} THEN {expr} END"
    elif t == "enum":
        expr = "CASE " + " ".join(f"WHEN {_norm(v)} = {lit(w)} THEN {lit(c)}" for w, c in col.words()) + " END"
    else:
        expr = v
    return f"CASE WHEN {_valid(col, v)} THEN {expr} END"


def error_sql(col: Col) -> str:
    """A Russian message when the cell is wrong, else NULL."""
    v = _raw(col)
    shown = f"'«' || {v} || '»'"
    t = col.type
    whens: list[str] = []
    if col.required:
        whens.append(f"WHEN {v} IS NULL THEN 'не заполнено обязательное поле'")
    bad = {
        "int": "'не целое число: ' || " + shown,
        "dec2": "'не число (до 2 знаков после запятой): ' || " + shown,
        "dec3": "'не число (до 3 знаков после запятой): ' || " + shown,
        "dec4": "'не число (до 4 знаков после запятой): ' || " + shown,
        "money": "'не сумма в рублях (до копеек): ' || " + shown,
        "date": "'не дата: ' || " + shown + " || ' (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)'",
        "bool": "'ожидается да/нет (1/0): ' || " + shown,
        "enum": "'недопустимое значение ' || " + shown + " || " + lit(f" (допустимо: {col.allowed_text()})"),
        "account": "'номер лицевого счёта должен состоять ровно из 10 цифр: ' || " + shown,
    }.get(t)
    if bad:
        whens.append(f"WHEN {v} IS NOT NULL AND NOT ({_valid(col, v)}) THEN {bad}")
    if col.pattern:
        whens.append(
            f"WHEN {v} IS NOT NULL AND NOT regexp_full_match({v}, {lit(col.pattern)})"
            f" THEN {lit((col.pattern_doc or 'неверный формат') + ': ')} || {shown}"
        )
    typed = typed_sql(col)
    if col.min is not None:
        whens.append(f"WHEN {typed} < {col.min} THEN 'значение ' || {shown} || ' меньше {col.min}'")
    if col.max is not None:
        whens.append(f"WHEN {typed} > {col.max} THEN 'значение ' || {shown} || ' больше {col.max}'")
    if t == "date":
        whens.append(f"WHEN {typed} < DATE '1900-01-01' OR {typed} > DATE '2100-12-31'"
                     f" THEN 'дата вне допустимого диапазона: ' || {shown}")
    if not whens:
        return "NULL"
    return "CASE " + " ".join(whens) + " END"


def typed_rows(con, table, columns, file: str, names: dict[str, str] | None = None):
    """Raw text columns of a file (with `_row`) -> (typed Arrow rows, format errors as RowError),
    vectorised: one SQL per column for its errors, one for the typed rows. `names`: output name per
    column name, else the column's `ident`."""
    from sbyt.core.errors import RowError

    names = names or {}
    con.register("_typed_raw", table)
    try:
        errors = [RowError(file, r, msg, c.name) for c in columns for r, msg in con.sql(
            f"SELECT _row, msg FROM (SELECT _row, {error_sql(c)} AS msg FROM _typed_raw r)"
            " WHERE msg IS NOT NULL ORDER BY _row").fetchall()]
        typed = ", ".join(f"{typed_sql(c)} AS {names.get(c.name, c.ident)}" for c in columns)
        rows = con.sql(f"SELECT r._row, {typed} FROM _typed_raw r ORDER BY r._row").to_arrow_table()
    finally:
        con.unregister("_typed_raw")
    return rows, errors
