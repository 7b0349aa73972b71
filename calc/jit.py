"""The one JIT helper of the calculation engine (numba-stats style): every kernel uses `jit`.

`round_div` is `sbyt.core.money.round_div` compiled by Numba, so kernels and Python code share
exactly one rounding rule (half-up, once per charge line).
"""

from __future__ import annotations

import numba

from sbyt.core.money import round_div as _round_div_py

jit = numba.njit(cache=True, nogil=True)
"""Decorator for sequential kernels: nopython, cached on disk, releases the GIL."""

pjit = numba.njit(cache=True, nogil=True, parallel=True)
"""Decorator for kernels with a `numba.prange` loop over independent chunks of points."""

nrt_free = numba.njit(cache=True, nogil=True, _nrt=False)
"""For inner loops that allocate nothing: no reference counting of the arrays they touch (with it, every
access to an array inside the input NamedTuple costs two atomic operations: ~25x slower)."""

inline = numba.njit(cache=True, nogil=True, inline="always")
"""For small helpers of a kernel that take its input NamedTuple: inlined at the Numba IR level, so the
tuple of arrays is not copied on every call."""

round_div = jit(_round_div_py)
