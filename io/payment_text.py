"""Small helpers shared by the text parsers: encoding detection and exact number/date parsing."""

from __future__ import annotations

import re

_AMOUNT_RE = re.compile(r"^(-?)(\d+)(?:[.,](\d{1,2}))?$")


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 when the bytes are valid UTF-8 (whatever a header claims:
    real files say «Кодировка=Windows» over UTF-8 bytes), else Windows-1251.

    A file cut inside a multi-byte UTF-8 character is still UTF-8 (the tail is dropped), so that a
    truncated file is reported as truncated, not as mojibake.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            try:
                return data[: exc.start].decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
    return data.decode("cp1251", errors="replace"), "cp1251"


def parse_kop(text: str) -> int:
    """«1234.50», «1234,5», «1 234,50» -> kopecks; ValueError with a Russian message otherwise."""
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    m = _AMOUNT_RE.match(t)
    if not m:
        raise ValueError(f"не сумма: «{text}»")
    frac = (m.group(3) or "").ljust(2, "0")
    value = int(m.group(2)) * 100 + int(frac or 0)
    return -value if m.group(1) else value


def parse_month(text: str) -> int:
    """«02.2026», «2026-02», «022026», «202602» -> 202602."""
    t = text.strip()
    m = re.match(r"^(\d{1,2})[./-](\d{4})$", t) or re.match(r"^(\d{2})(\d{4})$", t)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
    else:
        m = re.match(r"^(\d{4})[./-]?(\d{2})$", t)
        if not m:
            raise ValueError(f"не период: «{text}» (ожидается ММ.ГГГГ)")
        year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError(f"не период: «{text}»")
    return year * 100 + month
