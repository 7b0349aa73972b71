"""GOST R 56042-2014 payment QR payloads: build and parse.

A payload is a service block `ST` + version `0001` + one encoding digit (1 Windows-1251, 2 UTF-8,
3 KOI8-R), then `|Key=Value` pairs; the character right after the service block is the separator
(`|` unless no value can carry it). The standard has no escaping: a value must not contain the
separator, so `build` either refuses such a value or replaces the separator (``on_separator``).

Bytes in, a typed record and errors out; no database. `PaymentFields` carries the requisites a
household payment document needs (the utilities profile of the standard); `build_payload` /
`parse_payload` are the generic pair over ordered `(key, value)` pairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from sbyt.core.errors import RowError

FORMAT_ID = "ST"
VERSION = "0001"
HEADER = FORMAT_ID + VERSION
SEPARATOR = "|"

#: encoding digit -> Python codec
ENCODINGS: dict[str, str] = {"1": "cp1251", "2": "utf-8", "3": "koi8-r"}
_DIGIT_OF = {"cp1251": "1", "windows-1251": "1", "utf-8": "2", "utf8": "2", "koi8-r": "3", "koi8_r": "3"}

REQUIRED = ("Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc")

# Maximal lengths of the standard (characters) for the keys we write; longer values are cut.
MAX_LEN: dict[str, int] = {
    "Name": 160, "PersonalAcc": 20, "BankName": 45, "BIC": 9, "CorrespAcc": 20, "Sum": 18,
    "Purpose": 210, "PayeeINN": 12, "KPP": 9, "persAcc": 255, "paymPeriod": 6,
    "lastName": 255, "firstName": 255, "middleName": 255, "payerName": 255, "payerAddress": 255,
}

Encoding = Literal["cp1251", "utf-8", "koi8-r", "auto"]
OnSeparator = Literal["error", "replace"]

_DIGITS = re.compile(r"^\d+$")
_PERIOD = re.compile(r"^(0[1-9]|1[0-2])(\d{4})$")


class PayloadError(ValueError):
    """A value that cannot go into a payload (Russian message)."""


# ------------------------------------------------------------------------------ generic layer
def _clean(key: str, value: str, sep: str, on_separator: OnSeparator) -> str:
    # Line breaks would split the payload in some readers; the standard forbids control characters.
    text = " ".join(str(value).replace("\r", " ").replace("\n", " ").replace("\t", " ").split())
    if sep in text:
        if on_separator == "error":
            raise PayloadError(f"реквизит {key}: символ «{sep}» в значении запрещён ГОСТ Р 56042-2014")
        text = text.replace(sep, "/")
    limit = MAX_LEN.get(key)
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip()
    return text


def build_payload(pairs: Iterable[tuple[str, str]] | Mapping[str, str], encoding: Encoding = "auto",
                  on_separator: OnSeparator = "error") -> bytes:
    """Ordered key/value pairs -> payload bytes in the chosen encoding.

    ``encoding="auto"`` takes Windows-1251 (shortest, read by every banking app) and falls back to
    UTF-8 only when a value has a character Windows-1251 lacks. Empty values are left out.
    """
    items = list(pairs.items() if isinstance(pairs, Mapping) else pairs)
    keys = [k for k, _ in items]
    missing = [k for k in REQUIRED if k not in keys]
    if missing:
        raise PayloadError("нет обязательных реквизитов: " + ", ".join(missing))
    body = []
    for key, value in items:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key):
            raise PayloadError(f"недопустимое имя реквизита: «{key}»")
        text = _clean(key, value, SEPARATOR, on_separator)
        if text or key in REQUIRED:
            body.append(f"{SEPARATOR}{key}={text}")
    text_body = "".join(body)
    if encoding == "auto":
        try:
            return (HEADER + "1" + text_body).encode("cp1251")
        except UnicodeEncodeError:
            return (HEADER + "2" + text_body).encode("utf-8")
    digit = _DIGIT_OF.get(encoding.lower())
    if digit is None:
        raise PayloadError(f"неизвестная кодировка: {encoding}")
    try:
        return (HEADER + digit + text_body).encode(ENCODINGS[digit])
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end]
        raise PayloadError(f"символ «{bad}» не представим в кодировке {ENCODINGS[digit]}") from None


@dataclass(frozen=True)
class Payload:
    """A parsed payload: the encoding it declared and its pairs in order (duplicates kept)."""

    encoding: str
    pairs: tuple[tuple[str, str], ...]
    separator: str = SEPARATOR

    def get(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.pairs:
            if k == key:
                return v
        return default

    def as_dict(self) -> dict[str, str]:
        """Keys are case-sensitive in the standard; the first occurrence wins."""
        out: dict[str, str] = {}
        for k, v in self.pairs:
            out.setdefault(k, v)
        return out


def parse_payload(data: bytes, source: str = "QR") -> tuple[Payload | None, list[RowError]]:
    """Payload bytes -> (Payload, errors). Fatal problems (no header, undecodable) give None.

    Tolerates a UTF-8 BOM, a trailing separator and trailing line breaks; unknown keys are kept.
    Checks the required keys and the shape of the account numbers, BIC, Sum and paymPeriod.
    """
    errors: list[RowError] = []

    def bad(message: str, column: str | None = None) -> None:
        errors.append(RowError(source, 1, message, column))

    raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    raw = raw.rstrip(b"\r\n\x00")
    if len(raw) < 8 or not raw.startswith(HEADER.encode("ascii")):
        bad(f"нет служебного блока «{HEADER}N»: это не платёжный QR-код ГОСТ Р 56042-2014")
        return None, errors
    digit = chr(raw[6])
    codec = ENCODINGS.get(digit)
    if codec is None:
        bad(f"неизвестный код кодировки «{digit}» (ожидается 1, 2 или 3)")
        return None, errors
    try:
        text = raw[7:].decode(codec)
    except UnicodeDecodeError as exc:
        bad(f"байты не в объявленной кодировке {codec} (позиция {exc.start + 7})")
        return None, errors
    sep = text[0]
    if sep.isalnum():
        bad("после служебного блока нет символа-разделителя")
        return None, errors
    pairs: list[tuple[str, str]] = []
    for n, chunk in enumerate(text[1:].split(sep), start=1):
        if chunk == "":
            continue  # a trailing separator, as in many generators
        key, eq, value = chunk.partition("=")
        if not eq or not key:
            bad(f"элемент {n} «{chunk[:40]}» не вида Ключ=Значение")
            continue
        pairs.append((key, value))
    payload = Payload(codec, tuple(pairs), sep)
    values = payload.as_dict()
    for key in REQUIRED:
        if not values.get(key):
            bad(f"нет обязательного реквизита {key}", key)
    for key, size in (("PersonalAcc", 20), ("BIC", 9)):
        v = values.get(key)
        if v and not (_DIGITS.match(v) and len(v) == size):
            bad(f"{key} должен состоять из {size} цифр: «{v}»", key)
    v = values.get("CorrespAcc")
    if v and not (_DIGITS.match(v) and len(v) <= 20):
        bad(f"CorrespAcc должен состоять из цифр (не более 20): «{v}»", "CorrespAcc")
    v = values.get("Sum")
    if v is not None and not (_DIGITS.match(v) and len(v) <= 18):
        bad(f"Sum должен быть суммой в копейках (до 18 цифр): «{v}»", "Sum")
    v = values.get("paymPeriod")
    if v is not None and not _PERIOD.match(v):
        bad(f"paymPeriod должен быть вида ММГГГГ: «{v}»", "paymPeriod")
    return payload, errors


# ------------------------------------------------------------------------------ utilities profile
@dataclass(frozen=True)
class PaymentFields:
    """What a household payment document puts into its QR code."""

    name: str                      # payee
    personal_acc: str              # payee's bank account, 20 digits
    bank_name: str
    bic: str
    corresp_acc: str
    payee_inn: str = ""
    kpp: str = ""
    pers_acc: str = ""             # the consumer's account number (лицевой счёт)
    sum_kop: int | None = None     # amount to pay, kopecks
    purpose: str = ""
    paym_period: int | None = None  # YYYYMM
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    payer_name: str = ""           # a holder whose name is not «Фамилия Имя Отчество»
    payer_address: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())

    def pairs(self) -> list[tuple[str, str]]:
        out = [
            ("Name", self.name), ("PersonalAcc", self.personal_acc), ("BankName", self.bank_name),
            ("BIC", self.bic), ("CorrespAcc", self.corresp_acc), ("PayeeINN", self.payee_inn),
            ("KPP", self.kpp), ("persAcc", self.pers_acc),
            ("Sum", "" if self.sum_kop is None else str(self.sum_kop)),
            ("Purpose", self.purpose),
            ("paymPeriod", "" if self.paym_period is None else f"{self.paym_period % 100:02d}{self.paym_period // 100:04d}"),
            ("lastName", self.last_name), ("firstName", self.first_name), ("middleName", self.middle_name),
            ("payerName", self.payer_name), ("payerAddress", self.payer_address),
        ]
        return out + list(self.extra)

    def to_bytes(self, encoding: Encoding = "auto", on_separator: OnSeparator = "replace") -> bytes:
        if self.sum_kop is not None and self.sum_kop < 0:
            raise PayloadError("Sum не может быть отрицательной")
        return build_payload(self.pairs(), encoding, on_separator)

    @classmethod
    def from_payload(cls, payload: Payload) -> PaymentFields:
        d = payload.as_dict()
        known = {"Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc", "PayeeINN", "KPP", "persAcc",
                 "Sum", "Purpose", "paymPeriod", "lastName", "firstName", "middleName", "payerName",
                 "payerAddress"}
        s = d.get("Sum")
        p = d.get("paymPeriod")
        m = _PERIOD.match(p) if p else None
        return cls(
            name=d.get("Name", ""), personal_acc=d.get("PersonalAcc", ""), bank_name=d.get("BankName", ""),
            bic=d.get("BIC", ""), corresp_acc=d.get("CorrespAcc", ""), payee_inn=d.get("PayeeINN", ""),
            kpp=d.get("KPP", ""), pers_acc=d.get("persAcc", ""),
            sum_kop=int(s) if s and _DIGITS.match(s) else None, purpose=d.get("Purpose", ""),
            paym_period=int(m.group(2)) * 100 + int(m.group(1)) if m else None,
            last_name=d.get("lastName", ""), first_name=d.get("firstName", ""),
            middle_name=d.get("middleName", ""), payer_name=d.get("payerName", ""),
            payer_address=d.get("payerAddress", ""),
            extra=tuple((k, v) for k, v in payload.pairs if k not in known),
        )


def split_person_name(full_name: str) -> tuple[str, str, str] | None:
    """«Иванов Иван Иванович» -> parts; None when the name is not 2 or 3 words (use payerName)."""
    parts = full_name.split()
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    if len(parts) == 2:
        return parts[0], parts[1], ""
    return None


def parse_fields(data: bytes, source: str = "QR") -> tuple[PaymentFields | None, list[RowError]]:
    payload, errors = parse_payload(data, source)
    return (None if payload is None else PaymentFields.from_payload(payload)), errors
