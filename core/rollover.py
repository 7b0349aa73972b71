"""The volume between two readings of one meter zone, through a rollover of its dial.

A meter with `digits` digits counts up to 10^digits − 1 and starts again from 0. A reading lower
than the previous one is a rollover only when the previous one is in the top tenth of the dial
(≥ 0.9 × 10^digits) and the new one in the bottom tenth (< 0.1 × 10^digits); any other backwards
jump is not a volume at all (`NOT_A_VOLUME`): reading validation rejects it, the ОДН treats the
zone as having no volume, the averages skip it.

One Python definition; the Numba twin is `sbyt.calc.jit.rollover_volume`, the SQL twin the macro
`rollover_volume(prev, cur, digits)` of migration `016_rollover.sql` (tests/test_rules.py).
"""

from __future__ import annotations

NOT_A_VOLUME = -1


def rollover_volume(prev: int, cur: int, digits: int) -> int:
    """cur − prev in dial units, through zero when the dial rolled over; NOT_A_VOLUME otherwise."""
    if cur >= prev:
        return cur - prev
    dial = 10 ** digits
    if 10 * prev >= 9 * dial and 10 * cur < dial:
        return cur + dial - prev
    return NOT_A_VOLUME
