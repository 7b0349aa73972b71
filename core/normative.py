"""Who counts for the consumption normative, and which cell of the normative table applies.

ПП 354 п. 42 and п. 56(2): a normative accrual multiplies the normative by the residents — the
people living in the premise permanently or temporarily; when nobody is known to live there, the
registered ones; when nobody is registered either, the owners. The regional normative table has
4 room classes (1, 2, 3, 4 and more) and 5 household sizes (1 … 5 and more).

One Python definition each; `sbyt.calc.jit` compiles the Numba twins from this source and
migration `015_normative_macros.sql` spells the SQL ones (tests/test_rules.py binds them).
"""

from __future__ import annotations

ROOM_CLASSES = 4
HOUSEHOLD_SIZES = 5


def normative_residents(living: int, registered: int, owners: int) -> int:
    """The number of people a normative accrual is for."""
    if living > 0:
        return living
    if registered > 0:
        return registered
    return owners if owners > 0 else 0


def room_class(rooms: int) -> int:
    """Rooms -> the normative table's room class 1..4 (a premise without rooms counts as one)."""
    return min(max(rooms, 1), ROOM_CLASSES)


def household_size(residents: int) -> int:
    """Residents -> the normative table's household size 1..5."""
    return min(max(residents, 1), HOUSEHOLD_SIZES)
