"""The one JIT helper of the calculation engine (numba-stats style): every kernel uses `jit`.

The Numba twins of the money rules are compiled here from the Python definitions in
`sbyt.core.money` (the very same source), so kernels and Python code share one rounding rule
(half-up, once per charge line), one line amount and one VAT part. The normative table's cell (`room_class`, `household_size`, from
`sbyt.core.normative`) and the meter rollover (`rollover_volume`) are compiled the same way. `round_div_array` is the same
rule as a NumPy ufunc for vectorised code outside the kernels.
"""

from __future__ import annotations

import types

import numba

from sbyt.core import money, normative, rollover

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


def twin(py_func, **compiled):
    """Compile a Python rule for Numba, with the rules it calls replaced by their compiled twins
    (`compiled`: global name -> jitted function). The source stays the Python one."""
    scope = dict(py_func.__globals__, **compiled)
    clone = types.FunctionType(py_func.__code__, scope, py_func.__name__, py_func.__defaults__)
    clone.__qualname__ = py_func.__qualname__
    clone.__module__ = py_func.__module__
    return jit(clone)


round_div = jit(money.round_div)
line_amount = twin(money.line_amount, round_div=round_div)
vat_part = twin(money.vat_part, round_div=round_div)
mul_div = jit(money.mul_div)
rollover_volume = jit(rollover.rollover_volume)
room_class = jit(normative.room_class)
household_size = jit(normative.household_size)
round_div_array = numba.vectorize(["int64(int64, int64)"], cache=True)(money.round_div)
"""`round_div` element-wise on int64 arrays (broadcasting like any NumPy ufunc)."""
