"""The inputs of each ОДН accrual line in words (the `reason` column, printed by `sbyt explain`).

The building part is formatted once per building with lines; the premise's area part is appended
by the Numba kernel `area_texts` straight into one UTF-8 buffer (no Python string per line).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sbyt.calc.kernels.odn import OdnOutputs, area_texts


def _area_text(area_c: np.ndarray) -> pa.Array:
    """centi-m² -> «60,00» (Arrow compute, no Python strings per value)."""
    whole = pc.cast(pa.array(area_c // 100), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(area_c % 100), pa.string()), width=2, padding="0")
    return pc.binary_join_element_wise(whole, frac, ",")


def reasons(source: np.ndarray, common: np.ndarray, heating: np.ndarray, out: OdnOutputs, cap: np.ndarray,
             line_b: np.ndarray, line_area: np.ndarray) -> pa.Array:
    """The inputs of each ОДН line in words (printed by `sbyt explain`): the building part is
    formatted once per building that has lines, the premise's area part in Arrow."""
    if len(line_b) == 0:
        return pa.array([], pa.string())
    with_lines = np.unique(line_b)
    head = []
    for k in with_lines.tolist():       # per building billed to residents (thousands), never per account
        odn = _kwh(int(out.b_odn_wh[k]))
        limit = f"; предел норматив СОИ × S МОП {_kwh(int(cap[k]))}" if cap[k] >= 0 else ""
        if source[k] == "normative":
            head.append(f"по нормативу СОИ × S МОП: {odn} на дом")
        else:
            base = "ОДПУ" if source[k] == "readings" else "средний объём ОДПУ"
            prem = int(out.b_nonres_wh[k] + out.b_unmetered_wh[k] + out.b_metered_wh[k])
            heat = f" − отопление {_kwh(int(heating[k]))}" if heating[k] else ""
            head.append(f"{base} {_kwh(int(common[k]))} − помещения {_kwh(prem)}{heat}"
                        f" = {_kwh(int(out.b_raw_wh[k]))}{limit}; к распределению {odn}")
    line_head = np.searchsorted(with_lines, line_b)
    line_total = out.b_area_c[line_b]
    parts = (" × ", " / ", " м²")
    if (line_area < 0).any() or (line_total < 0).any():   # never in practice: lines have an area
        heads = pa.array(head, pa.string()).take(pa.array(line_head))
        return pc.binary_join_element_wise(heads, parts[0], _area_text(line_area), parts[1],
                                           _area_text(line_total), parts[2], "")
    head_b, head_off = _utf8(head)
    sep, sep_off = _utf8(list(parts))
    off, data = area_texts(head_b, head_off, line_head.astype(np.int64), np.ascontiguousarray(line_area, np.int64),
                           np.ascontiguousarray(line_total, np.int64), sep, sep_off)
    if off[-1] < 2**31:
        return pa.Array.from_buffers(pa.string(), len(line_b), [None, pa.py_buffer(off.astype(np.int32)),
                                                                pa.py_buffer(data)])
    return pa.Array.from_buffers(pa.large_string(), len(line_b), [None, pa.py_buffer(off), pa.py_buffer(data)])


def _utf8(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Texts as one UTF-8 byte array and int64 offsets."""
    encoded = [t.encode("utf-8") for t in texts]
    off = np.zeros(len(encoded) + 1, np.int64)
    off[1:] = np.cumsum([len(e) for e in encoded])
    return np.frombuffer(b"".join(encoded), np.uint8).copy(), off


def _kwh(wh: int) -> str:
    whole, frac = divmod(abs(wh), 1000)
    text = f"{whole:,}".replace(",", "\u00a0") + (f",{frac:03d}".rstrip("0") if frac else "")
    return ("−" if wh < 0 else "") + text + "\u00a0кВт·ч"

