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
