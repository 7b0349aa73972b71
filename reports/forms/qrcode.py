"""QR codes for printed forms, fast enough for mass printing, drawn as vector rectangles.

segno is the reference encoder, but it evaluates all eight masks and places every bit in Python
(≈ 10–20 ms a symbol), which alone would cap mass printing near 100 pages a second. `qr_matrix`
encodes byte mode at level M with one fixed mask: the symbol's function patterns (finders,
timing, alignment, format and version information) are taken once per version from segno, the
order of the data modules is computed once per version, and per symbol only the Reed–Solomon
parity (a 0/1 matrix product: RS is linear over GF(2)) and one NumPy scatter remain (≈ 0.1 ms).
A fixed mask is
valid QR (the mask number is in the format information); tests check that the matrix equals
segno's with the same mask and that zbarimg reads the printed page.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import segno
from segno import consts

ERROR = consts.ERROR_LEVEL_M
MASK = 2   # columns mod 3: no large uniform areas on these payloads; any fixed mask is valid


# --------------------------------------------------------------------------------- GF(256) and RS
def _gf_tables() -> tuple[list[int], list[int]]:
    exp = [0] * 512
    log = [0] * 256
    x = 1
    for i in range(255):
        exp[i] = x
        log[x] = i
        x <<= 1
        if x & 0x100:
            x ^= 0x11D
    for i in range(255, 512):
        exp[i] = exp[i - 255]
    return exp, log


_EXP, _LOG = _gf_tables()


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@cache
def _generator(ec: int) -> list[int]:
    """Coefficients of prod (x - a^i), i < ec, highest degree first (leading 1 dropped)."""
    g = [1]
    for i in range(ec):
        nxt = [0] * (len(g) + 1)
        for j, c in enumerate(g):
            nxt[j] ^= c
            nxt[j + 1] ^= _gf_mul(c, _EXP[i])
        g = nxt
    return g[1:]


@cache
def _feedback(ec: int) -> tuple[int, ...]:
    """For each byte value v: v * generator as one big integer of `ec` bytes (the LFSR taps)."""
    gen = _generator(ec)
    return tuple(int.from_bytes(bytes(_gf_mul(v, c) for c in gen), "big") for v in range(256))


def _rs_remainder(block: bytes, ec: int) -> bytes:
    taps = _feedback(ec)
    shift = 8 * (ec - 1)
    mask = (1 << (8 * ec)) - 1
    reg = 0
    for d in block:
        reg = ((reg << 8) & mask) ^ taps[(reg >> shift) ^ d]
    return reg.to_bytes(ec, "big")


# --------------------------------------------------------------------------------- symbol layout
def _capacity(version: int) -> int:
    return sum(e.num_blocks * e.num_data for e in consts.ECC[version][ERROR])


def _version_for(n: int) -> int:
    for v in range(1, 41):
        bits = 4 + (8 if v < 10 else 16) + 8 * n
        if bits <= 8 * _capacity(v):
            return v
    raise ValueError(f"данные QR-кода слишком длинные: {n} байт")


def _function_map(version: int) -> np.ndarray:
    """True where a module belongs to a function pattern or to format/version information."""
    w = 17 + 4 * version
    f = np.zeros((w, w), dtype=bool)
    f[:9, :9] = True
    f[:9, w - 8:] = True
    f[w - 8:, :9] = True
    f[6, :] = True
    f[:, 6] = True
    if version >= 2:
        pos = consts.ALIGNMENT_POS[version - 2]
        first, last = pos[0], pos[-1]
        for r in pos:
            for c in pos:
                if (r, c) in ((first, first), (first, last), (last, first)):
                    continue
                f[r - 2:r + 3, c - 2:c + 3] = True
    if version >= 7:
        f[:6, w - 11:w - 8] = True
        f[w - 11:w - 8, :6] = True
    return f


def _placement(func: np.ndarray) -> np.ndarray:
    """Flat indices of the data modules in the order bits are placed (two-column zigzag)."""
    w = func.shape[0]
    order = []
    up = True
    right = w - 1
    while right > 0:
        if right == 6:
            right = 5
        rows = range(w - 1, -1, -1) if up else range(w)
        for r in rows:
            for c in (right, right - 1):
                if not func[r, c]:
                    order.append(r * w + c)
        up = not up
        right -= 2
    return np.array(order, dtype=np.int64)


def _mask_bits(w: int) -> np.ndarray:
    i, j = np.indices((w, w))
    return {0: (i + j) % 2 == 0, 1: i % 2 == 0, 2: j % 3 == 0, 3: (i + j) % 3 == 0,
            4: (i // 2 + j // 3) % 2 == 0, 5: (i * j) % 2 + (i * j) % 3 == 0,
            6: ((i * j) % 2 + (i * j) % 3) % 2 == 0, 7: ((i + j) % 2 + (i * j) % 3) % 2 == 0}[MASK]


@cache
def _template(version: int) -> tuple[np.ndarray, np.ndarray, tuple[tuple[int, int], ...], int]:
    """(masked empty symbol, placement order, blocks (count, data length), ec length) of a version."""
    w = 17 + 4 * version
    ref = segno.make(b"", version=version, error="m", mask=MASK, micro=False, boost_error=False)
    base = np.array([list(row) for row in ref.matrix], dtype=np.uint8)
    func = _function_map(version)
    order = _placement(func)
    # Data modules hold bit XOR mask; with all bits 0 they show the mask itself.
    base.flat[order] = _mask_bits(w).flat[order]
    infos = consts.ECC[version][ERROR]
    blocks = tuple((e.num_blocks, e.num_data) for e in infos)
    ec = infos[0].num_total - infos[0].num_data
    base.setflags(write=False)
    order.setflags(write=False)
    return base, order, blocks, ec


def _data_codewords(data: bytes, version: int, segno_padding: bool = False) -> bytes:
    cap = _capacity(version)
    cc = 8 if version < 10 else 16
    n = len(data)
    bits = 4 + cc + 8 * n
    value = (((0b0100 << cc) | n) << (8 * n)) | int.from_bytes(data, "big")
    term = min(4, 8 * cap - bits)
    value <<= term
    bits += term
    pad = (-bits) % 8
    if segno_padding and pad == 0 and bits < 8 * cap:
        pad = 8  # segno 1.6 pads a whole zero byte when the stream already ends on a boundary
    value <<= pad
    bits += pad
    out = value.to_bytes(bits // 8, "big")
    fill = cap - len(out)
    return out + (b"\xec\x11" * (fill // 2 + 1))[:fill]


@cache
def _parity_matrix(k: int, ec: int) -> np.ndarray:
    """Reed–Solomon is linear over GF(2): the ec parity bits of a k-byte block are its data bits
    times this (8k × 8ec) 0/1 matrix, built once from the remainders of the unit vectors."""
    rows = np.zeros((8 * k, 8 * ec), dtype=np.float32)
    for j in range(8 * k):
        unit = bytearray(k)
        unit[j // 8] = 0x80 >> (j % 8)
        rows[j] = np.unpackbits(np.frombuffer(_rs_remainder(bytes(unit), ec), dtype=np.uint8))
    return rows


@cache
def _interleave(blocks: tuple[tuple[int, int], ...]) -> tuple[np.ndarray, tuple[tuple[int, int, int], ...]]:
    """(order of the data codewords in the message, groups (first codeword, count, size))."""
    starts, sizes = [], []
    pos = 0
    groups = []
    for count, size in blocks:
        groups.append((pos, count, size))
        for _ in range(count):
            starts.append(pos)
            sizes.append(size)
            pos += size
    order = [start + i for i in range(max(sizes)) for start, size in zip(starts, sizes) if i < size]
    return np.array(order, dtype=np.int64), tuple(groups)


def qr_matrix(data: bytes, segno_padding: bool = False) -> np.ndarray:
    """The module matrix (uint8, 1 = dark, no quiet zone) of `data` in byte mode, level M.

    `segno_padding` reproduces segno's extra zero byte after the terminator (both decode the
    same); tests use it to compare the matrices module by module."""
    version = _version_for(len(data))
    base, order, blocks, ec = _template(version)
    cw = np.frombuffer(_data_codewords(data, version, segno_padding), dtype=np.uint8)
    data_order, groups = _interleave(blocks)
    parity = []
    for start, count, size in groups:
        bits = np.unpackbits(cw[start:start + count * size].reshape(count, size), axis=1)
        par = (bits.astype(np.float32) @ _parity_matrix(size, ec)).astype(np.uint32) & 1
        parity.append(np.packbits(par.astype(np.uint8), axis=1))
    ec_bytes = np.concatenate(parity).T.ravel()   # all blocks have the same ec length
    msg = np.concatenate([cw[data_order], ec_bytes])
    bits = np.unpackbits(msg)
    out = base.copy()
    out.flat[order[:bits.size]] ^= bits
    return out


def reference_matrix(data: bytes, mask: int | None = MASK) -> np.ndarray:
    """segno's matrix for the same data (tests; `mask=None` lets segno choose)."""
    q = segno.make(data, error="m", mask=mask, micro=False, boost_error=False, mode="byte")
    return np.array([list(row) for row in q.matrix], dtype=np.uint8)


def runs(matrix: np.ndarray) -> np.ndarray:
    """Horizontal runs of dark modules as rows (row, first column, length)."""
    h, w = matrix.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = matrix
    d = np.diff(padded, axis=1)
    rs, cs = np.nonzero(d == 1)
    _, ce = np.nonzero(d == -1)
    return np.stack([rs, cs, ce - cs], axis=1)
