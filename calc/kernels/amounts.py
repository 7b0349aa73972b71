"""Amounts: volume × price rounded half-up once per line; VAT part = amount × rate / (100 + rate)."""

from __future__ import annotations

import numba
import numpy as np

from sbyt.calc.jit import pjit, round_div


@pjit
def line_amounts(volume_wh: np.ndarray, price_e4: np.ndarray, vat_rate_e2: np.ndarray,
                 amount: np.ndarray, vat: np.ndarray, todo: np.ndarray) -> int:
    """Fill amount (kopecks) and VAT for lines with todo set; returns the number of lines without a
    price (price_e4 < 0), which the caller reports. vat_rate_e2: percent × 100 per line."""
    missing = 0
    for i in numba.prange(len(volume_wh)):
        if not todo[i]:
            continue
        if price_e4[i] < 0:
            missing += 1
            continue
        # Wh × (RUB/kWh × 1e4) = RUB × 1e7 = kop × 1e5
        a = round_div(volume_wh[i] * price_e4[i], 100000)
        amount[i] = a
        r = vat_rate_e2[i]
        vat[i] = round_div(a * r, 10000 + r)
    return missing


@pjit
def vat_of(amount: np.ndarray, vat_rate_e2: np.ndarray) -> np.ndarray:
    out = np.empty(len(amount), np.int64)
    for i in numba.prange(len(amount)):
        r = vat_rate_e2[i]
        out[i] = round_div(amount[i] * r, 10000 + r)
    return out
