"""Helpers: grouping rows by a dense key (CSR) without sorting in Python."""

from __future__ import annotations

import numpy as np

from sbyt.calc.jit import jit


@jit
def _csr(key: np.ndarray, n: int):
    ptr = np.zeros(n + 1, np.int64)
    for k in key:
        if k >= 0:
            ptr[k + 1] += 1
    for i in range(n):
        ptr[i + 1] += ptr[i]
    order = np.empty(ptr[n], np.int64)
    fill = ptr[:-1].copy()
    for i in range(len(key)):
        k = key[i]
        if k >= 0:
            order[fill[k]] = i
            fill[k] += 1
    return ptr, order


def csr(key: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Counting sort: ptr (n+1) and the row order grouping rows by key (rows with key < 0 dropped)."""
    return _csr(np.ascontiguousarray(key, dtype=np.int64), n)


@jit
def lut_lookup(lut: np.ndarray, values: np.ndarray) -> np.ndarray:
    """lut[v] for each value, -1 where v is outside the table."""
    out = np.empty(len(values), np.int64)
    n = len(lut)
    for i in range(len(values)):
        v = values[i]
        out[i] = lut[v] if 0 <= v < n else -1
    return out


@jit
def dense_unique(values: np.ndarray, upper: int) -> np.ndarray:
    """Sorted unique non-negative values below `upper` (a bitmap instead of sorting)."""
    seen = np.zeros(upper, np.bool_)
    for v in values:
        if 0 <= v < upper:
            seen[v] = True
    return np.flatnonzero(seen).astype(np.int64)
