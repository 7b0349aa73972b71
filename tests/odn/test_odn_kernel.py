"""The ОДН kernel against a slow Decimal reference, and the exact-sum property."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sbyt.calc.kernels.odn import MODE_METER, MODE_NORMATIVE, OdnInputs, amounts, compute_odn


def reference(building: dict, premises: list[dict]) -> tuple[int, list[int]]:
    """docs/odn.md, written plainly: (distributed ОДН Wh, per-premise Wh)."""
    nonres = sum(p["indiv"] for p in premises if p["nonres"])
    metered = sum(p["indiv"] for p in premises if not p["nonres"] and p["metered"])
    unmetered = sum(p["indiv"] for p in premises if not p["nonres"] and not p["metered"])
    cap = building["cap"]
    if building["mode"] == MODE_METER:
        raw = building["common"] - nonres - unmetered - metered - building["heating"]
    else:
        raw = max(cap, 0)
    odn = max(raw, 0)
    if cap >= 0:
        odn = min(odn, cap)
    total = sum(p["area"] for p in premises)
    if total == 0 or odn == 0 or not any(p["area"] > 0 for p in premises):
        return 0, [0] * len(premises)
    shares = [int((Decimal(odn) * p["area"] / total).to_integral_value(ROUND_FLOOR)) for p in premises]
    best = min((i for i, p in enumerate(premises) if p["area"] > 0), key=lambda i: (-premises[i]["area"], premises[i]["id"]))
    shares[best] += odn - sum(shares)
    return odn, shares


premise_st = st.fixed_dictionaries({
    "area": st.integers(0, 20_000),           # centi-m²
    "nonres": st.booleans(), "metered": st.booleans(),
    "indiv": st.integers(0, 2_000_000),
})
building_st = st.fixed_dictionaries({
    "mode": st.sampled_from([MODE_METER, MODE_NORMATIVE]),
    "common": st.integers(0, 50_000_000), "heating": st.integers(0, 100_000),
    "cap": st.integers(-1, 30_000_000),
    "premises": st.lists(premise_st, min_size=0, max_size=25),
})


def _inputs(buildings: list[dict]) -> OdnInputs:
    prem = [p for b in buildings for p in b["premises"]]
    ids = np.arange(1, len(prem) + 1, dtype=np.int64)[::-1].copy()   # ids not in area order
    for p, i in zip(prem, ids):
        p["id"] = int(i)
    counts = [len(b["premises"]) for b in buildings]
    return OdnInputs(
        b_mode=np.array([b["mode"] for b in buildings], np.int8),
        b_common_wh=np.array([b["common"] for b in buildings], np.int64),
        b_heating_wh=np.array([b["heating"] for b in buildings], np.int64),
        b_cap_wh=np.array([b["cap"] for b in buildings], np.int64),
        b_zone_wh=np.tile(np.array([[3, 1, 0]], np.int64), (len(buildings), 1)),
        b_zones=np.full(len(buildings), 2, np.int8),
        b_start=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        p_id=ids, p_area_c=np.array([p["area"] for p in prem], np.int64),
        p_nonres=np.array([p["nonres"] for p in prem], bool),
        p_metered=np.array([p["metered"] for p in prem], bool),
        p_indiv_wh=np.array([p["indiv"] for p in prem], np.int64),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(building_st, min_size=1, max_size=6))
def test_kernel_matches_reference_and_shares_add_up(buildings):
    inp = _inputs(buildings)
    out = compute_odn(inp)
    for k, b in enumerate(buildings):
        lo, hi = inp.b_start[k], inp.b_start[k + 1]
        odn, shares = reference(b, b["premises"])
        assert out.b_odn_wh[k] == odn
        assert out.p_odn_wh[lo:hi].tolist() == shares
        assert int(out.p_odn_wh[lo:hi].sum()) == int(out.b_odn_wh[k])          # exact sum
        assert (out.p_zone_wh[lo:hi].sum(axis=1) == out.p_odn_wh[lo:hi]).all()  # zones add up per premise
        assert out.b_imbalance_wh[k] == (max(-out.b_raw_wh[k], 0))


def test_negative_gives_zero_and_imbalance():
    b = {"mode": MODE_METER, "common": 1000, "heating": 0, "cap": 10_000,
         "premises": [{"area": 100, "nonres": False, "metered": True, "indiv": 1500}]}
    out = compute_odn(_inputs([b]))
    assert out.b_odn_wh[0] == 0 and out.b_imbalance_wh[0] == 500 and out.p_odn_wh[0] == 0


def test_cap_and_remainder_to_largest_area_then_lowest_id():
    prem = [{"area": a, "nonres": False, "metered": True, "indiv": 0} for a in (100, 300, 300)]
    b = {"mode": MODE_METER, "common": 10_000_000, "heating": 0, "cap": 1_000, "premises": prem}
    inp = _inputs([b])                       # ids are 3, 2, 1 → the last 300 m² premise has id 1
    out = compute_odn(inp)
    assert out.b_odn_wh[0] == 1_000           # capped at N_soi × S_common
    assert out.p_odn_wh.tolist() == [142, 428, 430]
    assert out.b_remainder_idx[0] == 2 and out.b_remainder_wh[0] == 2


@given(st.integers(0, 10**9), st.integers(0, 10**6))
def test_amounts_half_up(vol, price):
    amt, vat = amounts(np.array([vol], np.int64), np.array([price], np.int64), np.array([2200], np.int64))
    exact = Decimal(vol) * price / Decimal(100_000)
    assert amt[0] == int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    assert vat[0] == int((Decimal(int(amt[0])) * 22 / 122).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
