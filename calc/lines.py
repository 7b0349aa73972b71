"""Accrual lines in flight: columnar batches of NumPy arrays, one schema for every pipeline step.

Steps append `LineBatch`es to `CalcContext.lines`; `sbyt.calc.write` concatenates them into one
Arrow table and writes it in one transaction. Methods and services are small integer codes in the
kernels; their names (the `accrual_line.method` / `service` values) are registered here, so that
other steps (ОДН, penalties) add their own with `method_code('odn_meter')`.

Null convention: -1 in integer input columns (volume and money columns are never null).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

# The first codes are fixed: the volume kernel emits them as constants.
METHODS: list[str] = ["readings", "average", "normative", "recalc", "manual"]
SERVICES: list[str] = ["electricity", "odn", "penalty"]
M_READINGS, M_AVERAGE, M_NORMATIVE, M_RECALC, M_MANUAL = range(5)
# Why a household volume line has its method (`accrual_line.method_reason`), in the order of the volume
# kernel's B_* codes; the Russian texts are `sbyt.calc.explain.METHOD_REASONS`.
METHOD_REASONS: list[str] = ["reading", "no_reading_average", "broken_average", "no_meter", "no_reading_short",
                             "no_reading_expired", "broken_short", "broken_expired", "tampering"]
S_ELECTRICITY, S_ODN, S_PENALTY = range(3)


def method_code(name: str) -> int:
    """The code of a method name, registering it on first use ('odn_meter', 'penalty', ...)."""
    if name not in METHODS:
        METHODS.append(name)
    return METHODS.index(name)


def service_code(name: str) -> int:
    if name not in SERVICES:
        SERVICES.append(name)
    return SERVICES.index(name)


NULL = -1

# Column name -> (numpy dtype, default, nullable). Order = order of the Arrow table.
COLUMNS: dict[str, tuple[type, int, bool]] = {
    "account_id": (np.int64, NULL, False),
    "metering_point_id": (np.int64, NULL, True),
    "service": (np.int8, S_ELECTRICITY, False),
    "zone": (np.int8, 1, False),
    "method": (np.int8, M_NORMATIVE, False),
    "for_period": (np.int32, NULL, False),
    "seg_from": (np.int32, NULL, True),        # day index in the month of for_period
    "seg_to": (np.int32, NULL, True),          # exclusive
    "volume_wh": (np.int64, 0, False),
    "price_e4": (np.int64, NULL, True),        # RUB/kWh × 10 000
    "amount_kop": (np.int64, 0, False),
    "vat_kop": (np.int64, 0, False),
    "priced": (np.bool_, False, False),        # amount and VAT already computed
    "prev_value": (np.int64, NULL, True),
    "cur_value": (np.int64, NULL, True),
    "ratio": (np.int32, NULL, True),
    "residents": (np.int16, NULL, True),
    "normative_wh": (np.int64, NULL, True),
    "factor_milli": (np.int32, NULL, True),
    "base_months": (np.int16, NULL, True),
    "days": (np.int16, NULL, True),
    "month_days": (np.int16, NULL, True),
    "meter_id": (np.int64, NULL, True),
    "avg_wh": (np.int64, NULL, True),
    "share_num": (np.int16, NULL, True),
    "share_den": (np.int16, NULL, True),
    "tariff_group": (np.int16, NULL, True),    # index into CalcContext.tariff_groups
    "method_reason": (np.int8, NULL, True),    # index into METHOD_REASONS
}


@dataclass
class LineBatch:
    """Columns of accrual lines; `reason`/`base_method` are optional per-line texts (a list, an
    object array or an Arrow string array)."""

    cols: dict[str, np.ndarray]
    reason: list[str | None] | np.ndarray | pa.Array | pa.ChunkedArray | None = None
    base_method: list[str | None] | np.ndarray | pa.Array | pa.ChunkedArray | None = None

    @property
    def n(self) -> int:
        return len(self.cols["account_id"])

    @classmethod
    def make(cls, n: int, reason=None, base_method=None, **given: np.ndarray | int) -> LineBatch:
        """A batch of n lines: given columns (arrays or scalars), defaults for the rest."""
        unknown = set(given) - set(COLUMNS)
        if unknown:
            raise KeyError(f"unknown accrual line columns: {sorted(unknown)}")
        cols = {}
        for name, (dtype, default, _) in COLUMNS.items():
            value = given.get(name, default)
            if isinstance(value, np.ndarray):
                if len(value) != n:
                    raise ValueError(f"column {name}: {len(value)} values for {n} lines")
                cols[name] = value.astype(dtype, copy=False)
            else:
                cols[name] = np.full(n, value, dtype=dtype)
        return cls(cols, reason, base_method)


def _texts(v: object, n: int) -> pa.Array | pa.ChunkedArray:
    """Per-line texts as Arrow strings: None -> all NULL; Arrow arrays pass through (no Python objects)."""
    if v is None:
        return pa.nulls(n, pa.string())
    if isinstance(v, (pa.Array, pa.ChunkedArray)):
        return v if v.type == pa.string() else v.cast(pa.string())
    return pa.array(np.asarray(v, dtype=object), pa.string())


def concat(batches: list[LineBatch]) -> LineBatch:
    if not batches:
        return LineBatch.make(0)
    if len(batches) == 1:
        return batches[0]
    cols = {name: np.concatenate([b.cols[name] for b in batches]) for name in COLUMNS}
    out = LineBatch(cols)
    for attr in ("reason", "base_method"):
        if any(getattr(b, attr) is not None for b in batches):
            chunks = []
            for b in batches:
                t = _texts(getattr(b, attr), b.n)
                chunks.extend(t.chunks if isinstance(t, pa.ChunkedArray) else [t])
            setattr(out, attr, pa.chunked_array(chunks, pa.string()))
    return out


def to_arrow(batch: LineBatch, tariff_groups: list[str], strings: bool = True) -> pa.Table:
    """Arrow table with NULLs for -1 in nullable columns; codes replaced by names (`strings=False`:
    as dictionary arrays over the codes, without a string per line — DuckDB reads them as VARCHAR)."""
    def named(codes: pa.Array, names: list[str]) -> pa.Array:
        arr = pa.DictionaryArray.from_arrays(codes, pa.array(names, pa.string()))
        return arr.cast(pa.string()) if strings else arr

    arrays = {}
    for name, (_, _, nullable) in COLUMNS.items():
        col = batch.cols[name]
        if name in ("priced",):
            continue
        if name == "method":
            arrays[name] = named(pa.array(col), METHODS)
        elif name == "service":
            arrays[name] = named(pa.array(col), SERVICES)
        elif name in ("tariff_group", "method_reason"):
            mask = col < 0
            idx = np.where(mask, 0, col).astype(np.int32)
            names = (tariff_groups or [""]) if name == "tariff_group" else METHOD_REASONS
            arrays[name] = named(pa.array(idx, mask=mask), names)
        elif nullable:
            arrays[name] = pa.array(col, mask=col == NULL)
        else:
            arrays[name] = pa.array(col)
    for attr in ("reason", "base_method"):
        arrays[attr] = _texts(getattr(batch, attr), batch.n)
    return pa.table(arrays)



