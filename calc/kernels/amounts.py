"""Amounts of charge lines: `money.line_amount` and `money.vat_part` (their Numba twins) per line."""

from __future__ import annotations

import numba
import numpy as np

from sbyt.calc.jit import line_amount, pjit, vat_part


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
        a = line_amount(volume_wh[i], price_e4[i])
        amount[i] = a
        vat[i] = vat_part(a, vat_rate_e2[i])
    return missing

