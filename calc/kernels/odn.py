"""ОДН kernel: a building's common-house volume and its distribution over the premises by area.

Pure Numba over NumPy arrays (docs/odn.md). Premises are sorted by building; building b owns the
premises `b_start[b] : b_start[b + 1]`. Volumes are integer Wh, areas integer centi-m².

Per building:
    mode 0 (common meter, read or averaged):
        raw = common − Σ nonres − Σ unmetered − Σ metered − heating
        raw < 0 → ОДН 0, imbalance = −raw;  else ОДН = min(raw, cap) (cap < 0: no cap known)
    mode 1 (normative): ОДН = normative (N_soi × S_common), raw = normative
Distribution: share_i = floor(ОДН × S_i / S_total); the remainder ОДН − Σ share_i (0 ≤ r < n Wh)
goes to ONE premise: the largest area, ties to the lowest premise id. So Σ share_i = ОДН exactly.
Zones: each premise's share is split in the proportions of the common meter's zone volumes
(floor for zones 1..k−1, the rest to the last zone), so a premise's zones add up to its share.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from sbyt.calc.kernels.amounts import line_amounts

MODE_METER = 0
MODE_NORMATIVE = 1


class OdnInputs(NamedTuple):
    b_mode: np.ndarray         # int8   (n_b,) MODE_METER | MODE_NORMATIVE
    b_common_wh: np.ndarray    # int64  (n_b,) common meter volume (mode 0)
    b_heating_wh: np.ndarray   # int64  (n_b,) electricity used to produce heating / hot water
    b_cap_wh: np.ndarray       # int64  (n_b,) N_soi × S_common; −1 = unknown (no cap)
    b_zone_wh: np.ndarray      # int64  (n_b, 3) common meter volume per zone (proportions only)
    b_zones: np.ndarray        # int8   (n_b,) zones of the common meter (1..3)
    b_start: np.ndarray        # int64  (n_b + 1,) premise offsets
    p_id: np.ndarray           # int64  (n_p,) premise id (tie-break of the remainder rule)
    p_area_c: np.ndarray       # int64  (n_p,) area, centi-m²
    p_nonres: np.ndarray       # bool   (n_p,) non-residential premise
    p_metered: np.ndarray      # bool   (n_p,) individual volume from a meter (readings/average)
    p_indiv_wh: np.ndarray     # int64  (n_p,) individual volume of the month


class OdnOutputs(NamedTuple):
    b_nonres_wh: np.ndarray
    b_unmetered_wh: np.ndarray
    b_metered_wh: np.ndarray
    b_raw_wh: np.ndarray
    b_odn_wh: np.ndarray       # distributed (= Σ p_odn_wh of the building)
    b_imbalance_wh: np.ndarray
    b_area_c: np.ndarray
    b_remainder_idx: np.ndarray  # index into premises, −1 if nothing distributed
    b_remainder_wh: np.ndarray
    p_odn_wh: np.ndarray
    p_zone_wh: np.ndarray      # (n_p, 3)


@njit(cache=True)
def _odn_kernel(b_mode, b_common_wh, b_heating_wh, b_cap_wh, b_zone_wh, b_zones, b_start,
                p_id, p_area_c, p_nonres, p_metered, p_indiv_wh,
                b_nonres_wh, b_unmetered_wh, b_metered_wh, b_raw_wh, b_odn_wh, b_imbalance_wh,
                b_area_c, b_remainder_idx, b_remainder_wh, p_odn_wh, p_zone_wh):
    n_b = b_mode.shape[0]
    for b in range(n_b):
        lo = b_start[b]
        hi = b_start[b + 1]
        nonres = 0
        unmetered = 0
        metered = 0
        area = 0
        best = -1
        for i in range(lo, hi):
            if p_nonres[i]:
                nonres += p_indiv_wh[i]
            elif p_metered[i]:
                metered += p_indiv_wh[i]
            else:
                unmetered += p_indiv_wh[i]
            area += p_area_c[i]
            if p_area_c[i] > 0:
                if best < 0 or p_area_c[i] > p_area_c[best] or (
                        p_area_c[i] == p_area_c[best] and p_id[i] < p_id[best]):
                    best = i
        b_nonres_wh[b] = nonres
        b_unmetered_wh[b] = unmetered
        b_metered_wh[b] = metered
        b_area_c[b] = area
        cap = b_cap_wh[b]
        if b_mode[b] == 0:
            raw = b_common_wh[b] - nonres - unmetered - metered - b_heating_wh[b]
        else:
            raw = cap if cap > 0 else 0
        b_raw_wh[b] = raw
        if raw < 0:
            b_imbalance_wh[b] = -raw
            odn = 0
        else:
            b_imbalance_wh[b] = 0
            odn = raw
            if cap >= 0 and odn > cap:
                odn = cap
        if area <= 0 or best < 0:
            odn = 0
        b_odn_wh[b] = odn
        b_remainder_idx[b] = -1
        b_remainder_wh[b] = 0
        if odn == 0:
            for i in range(lo, hi):
                p_odn_wh[i] = 0
                p_zone_wh[i, 0] = 0
                p_zone_wh[i, 1] = 0
                p_zone_wh[i, 2] = 0
            continue
        given = 0
        for i in range(lo, hi):
            s = (odn * p_area_c[i]) // area
            p_odn_wh[i] = s
            given += s
        rem = odn - given
        p_odn_wh[best] += rem
        b_remainder_idx[b] = best
        b_remainder_wh[b] = rem
        # zone split in the common meter's proportions
        zones = b_zones[b]
        ztot = 0
        for z in range(zones):
            ztot += b_zone_wh[b, z]
        for i in range(lo, hi):
            v = p_odn_wh[i]
            p_zone_wh[i, 0] = 0
            p_zone_wh[i, 1] = 0
            p_zone_wh[i, 2] = 0
            if zones <= 1 or ztot <= 0:
                p_zone_wh[i, 0] = v
                continue
            left = v
            for z in range(zones - 1):
                part = (v * b_zone_wh[b, z]) // ztot
                p_zone_wh[i, z] = part
                left -= part
            p_zone_wh[i, zones - 1] = left


def compute_odn(inp: OdnInputs) -> OdnOutputs:
    """Validate shapes, allocate outputs and run the kernel."""
    n_b = inp.b_mode.shape[0]
    n_p = inp.p_id.shape[0]
    if inp.b_start.shape[0] != n_b + 1 or (n_b and inp.b_start[-1] != n_p):
        raise ValueError("b_start must hold n_b + 1 offsets ending at n_p")
    i64 = np.int64
    out = OdnOutputs(
        b_nonres_wh=np.zeros(n_b, i64), b_unmetered_wh=np.zeros(n_b, i64), b_metered_wh=np.zeros(n_b, i64),
        b_raw_wh=np.zeros(n_b, i64), b_odn_wh=np.zeros(n_b, i64), b_imbalance_wh=np.zeros(n_b, i64),
        b_area_c=np.zeros(n_b, i64), b_remainder_idx=np.full(n_b, -1, i64), b_remainder_wh=np.zeros(n_b, i64),
        p_odn_wh=np.zeros(n_p, i64), p_zone_wh=np.zeros((n_p, 3), i64),
    )
    _odn_kernel(
        np.ascontiguousarray(inp.b_mode, np.int8), np.ascontiguousarray(inp.b_common_wh, i64),
        np.ascontiguousarray(inp.b_heating_wh, i64), np.ascontiguousarray(inp.b_cap_wh, i64),
        np.ascontiguousarray(inp.b_zone_wh, i64).reshape(n_b, 3), np.ascontiguousarray(inp.b_zones, np.int8),
        np.ascontiguousarray(inp.b_start, i64), np.ascontiguousarray(inp.p_id, i64),
        np.ascontiguousarray(inp.p_area_c, i64), np.ascontiguousarray(inp.p_nonres, np.bool_),
        np.ascontiguousarray(inp.p_metered, np.bool_), np.ascontiguousarray(inp.p_indiv_wh, i64),
        *out,
    )
    return out


def amounts(volume_wh: np.ndarray, price_e4: np.ndarray, vat_rate_e2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kopecks and VAT of each ОДН line (every line priced): `line_amounts` of the accrual lines."""
    n = volume_wh.shape[0]
    amount = np.zeros(n, np.int64)
    vat = np.zeros(n, np.int64)
    line_amounts(np.ascontiguousarray(volume_wh, np.int64), np.ascontiguousarray(price_e4, np.int64),
                 np.ascontiguousarray(vat_rate_e2, np.int64), amount, vat, np.ones(n, np.bool_))
    return amount, vat


@njit(cache=True, nogil=True)
def add_line_volumes(line_pos, volume_wh, code, unmetered_code, p_indiv_wh, p_metered):
    """Σ individual volume per premise: line i adds to premise `line_pos[i]` (−1: not in a building
    calculated); a line whose method code is not `unmetered_code` (normative) makes the premise
    metered."""
    for i in range(line_pos.shape[0]):
        p = line_pos[i]
        if p < 0:
            continue
        p_indiv_wh[p] += volume_wh[i]
        if code[i] != unmetered_code:
            p_metered[p] = True


@njit(cache=True, nogil=True)
def first_open_account(acc_id, acc_pos, acc_open, wanted, p_account):
    """The lowest id of the open accounts of each wanted premise (p_account starts at −1)."""
    for i in range(acc_id.shape[0]):
        p = acc_pos[i]
        if p < 0 or not acc_open[i] or not wanted[p]:
            continue
        if p_account[p] < 0 or acc_id[i] < p_account[p]:
            p_account[p] = acc_id[i]


@njit(cache=True, nogil=True)
def _digits(v):
    n = 1
    while v >= 10:
        v //= 10
        n += 1
    return n


@njit(cache=True, nogil=True)
def _put_area(buf, pos, area_c):
    """«60,00» for 6000 centi-m² (area_c >= 0) at buf[pos:]; returns the position after it."""
    whole = area_c // 100
    n = _digits(whole)
    for k in range(n):
        buf[pos + n - 1 - k] = 48 + whole % 10
        whole //= 10
    pos += n
    buf[pos] = 44                              # ','
    buf[pos + 1] = 48 + (area_c % 100) // 10
    buf[pos + 2] = 48 + area_c % 10
    return pos + 3


@njit(cache=True, nogil=True)
def _put(buf, pos, src, lo, hi):
    for k in range(lo, hi):
        buf[pos] = src[k]
        pos += 1
    return pos


@njit(cache=True, nogil=True)
def area_texts(head, head_off, line_head, line_area, line_total, sep, sep_off):
    """UTF-8 texts «<head[line_head[i]]><sep0><area_i><sep1><total_i><sep2>» of every line as Arrow
    string buffers (int64 offsets, bytes); areas in centi-m² >= 0 printed «60,00». Heads and
    separators are UTF-8 bytes with offsets."""
    n = line_head.shape[0]
    off = np.empty(n + 1, np.int64)
    seps = sep_off[3] - sep_off[0]
    total = 0
    off[0] = 0
    for i in range(n):
        h = line_head[i]
        total += head_off[h + 1] - head_off[h] + seps + _digits(line_area[i] // 100) + _digits(line_total[i] // 100) + 6
        off[i + 1] = total
    buf = np.empty(total, np.uint8)
    for i in range(n):
        h = line_head[i]
        pos = _put(buf, off[i], head, head_off[h], head_off[h + 1])
        pos = _put(buf, pos, sep, sep_off[0], sep_off[1])
        pos = _put_area(buf, pos, line_area[i])
        pos = _put(buf, pos, sep, sep_off[1], sep_off[2])
        pos = _put_area(buf, pos, line_total[i])
        _put(buf, pos, sep, sep_off[2], sep_off[3])
    return off, buf
