"""The ОДН step's fast paths: line texts built by the Numba kernel equal the plain Python formatting,
and the id maps work for dense and sparse ids alike."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sbyt.calc.kernels.odn import area_texts
from sbyt.calc.odn_gather import _IdMap
from sbyt.calc.odn_reasons import _utf8


def _reasons_arrow_free_check(heads: list[str], lines: list[tuple[int, int, int]]) -> list[str]:
    """The texts `area_texts` builds for (head index, area, total) triples."""
    head_b, head_off = _utf8(heads)
    sep, sep_off = _utf8([" × ", " / ", " м²"])
    arr = np.array(lines, np.int64).reshape(-1, 3)
    off, data = area_texts(head_b, head_off, arr[:, 0].copy(), arr[:, 1].copy(), arr[:, 2].copy(), sep, sep_off)
    raw = data.tobytes()
    return [raw[off[i]:off[i + 1]].decode("utf-8") for i in range(len(arr))]


def _area(c: int) -> str:
    return f"{c // 100},{c % 100:02d}"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=5),
       st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10**9), st.integers(0, 10**9)), max_size=40))
def test_area_texts_equal_python(heads, lines):
    lines = [(h % len(heads), a, t) for h, a, t in lines]
    got = _reasons_arrow_free_check(heads, lines)
    assert got == [f"{heads[h]} × {_area(a)} / {_area(t)} м²" for h, a, t in lines]


def test_id_map_dense_and_sparse():
    for ids in (np.array([5, 3, 9, 1]), np.array([5, 3 * 10**12, 9, 1])):
        m = _IdMap(ids, np.arange(len(ids)))
        assert m.get(np.array([9, 1, 7, -1, 5, 3 * 10**12])).tolist() == [2, 3, -1, -1, 0, 1 if ids[1] > 10 else -1]
    assert _IdMap(np.zeros(0, np.int64), np.zeros(0, np.int64)).get(np.array([1])).tolist() == [-1]
