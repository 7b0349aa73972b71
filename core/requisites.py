"""Checks of Russian requisites of counterparties: INN, KPP, OGRN/OGRNIP, BIC, bank accounts, a mobile
number, an e-mail address. Each `*_problem` returns None when the value is valid, else the reason in
Russian, ready to be shown. Pure functions: no database, no network; surrounding spaces are ignored."""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["legal", "person"] | None  # legal: an organisation; person: a sole trader (ИП)

_INN_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_KPP = re.compile(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE_SEPARATORS = re.compile(r"[\s()\-]")
_PHONE = re.compile(r"(?:\+7|7|8)([0-9]{10})")  # without separators; group 1: the national number


def _digits(value: str, *lengths: int) -> bool:
    """ASCII digits only (str.isdigit alone would take «²» or full-width digits)."""
    return len(value) in lengths and value.isascii() and value.isdigit()


def _lengths(kind: Kind, legal: int, person: int) -> tuple[int, ...]:
    if kind not in ("legal", "person", None):
        raise ValueError(f"Вид лица «{kind}» неизвестен; допустимы: legal, person.")
    return {"legal": (legal,), "person": (person,), None: (legal, person)}[kind]


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10


def inn_problem(value: str, kind: Kind = None) -> str | None:
    """ИНН: 10 digits (an organisation) or 12 (a person, a sole trader), check digits per the ФНС."""
    value = value.strip()
    if not _digits(value, *_lengths(kind, 10, 12)):
        return {"legal": "ИНН организации должен состоять из 10 цифр",
                "person": "ИНН индивидуального предпринимателя должен состоять из 12 цифр",
                None: "ИНН должен состоять из 10 или 12 цифр"}[kind] + f": «{value}»"
    valid = (_check_digit(value, _INN_10) == int(value[9]) if len(value) == 10 else
             _check_digit(value, _INN_11) == int(value[10]) and _check_digit(value, _INN_12) == int(value[11]))
    return None if valid else f"ИНН {value}: неверная контрольная цифра"


def kpp_problem(value: str) -> str | None:
    """КПП: 4 digits (tax office), 2 digits or capital Latin letters (reason; letters since 2019), 3 digits."""
    value = value.strip()
    if _KPP.fullmatch(value):
        return None
    return f"КПП должен состоять из 9 символов (4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры): «{value}»"


def ogrn_problem(value: str, kind: Kind = None) -> str | None:
    """ОГРН: 13 digits, the last = (first 12 mod 11) mod 10; ОГРНИП: 15, the last = (first 14 mod 13) mod 10."""
    value = value.strip()
    if not _digits(value, *_lengths(kind, 13, 15)):
        return {"legal": "ОГРН должен состоять из 13 цифр", "person": "ОГРНИП должен состоять из 15 цифр",
                None: "ОГРН должен состоять из 13 цифр (ОГРНИП — из 15)"}[kind] + f": «{value}»"
    name, modulus = ("ОГРН", 11) if len(value) == 13 else ("ОГРНИП", 13)
    return None if int(value[:-1]) % modulus % 10 == int(value[-1]) else f"{name} {value}: неверная контрольная цифра"


def bik_problem(value: str) -> str | None:
    """БИК: 9 digits starting with 0. Credit institutions and divisions of the Bank of Russia have «04»
    (the country code); since 2021 the directory of BICs also holds the territorial bodies of the
    Federal Treasury (ТОФК), whose BICs start with «00», «01» or «02» (004525988 УФК по г. Москве,
    024501901 the inter-regional operational УФК). So any 9 digits starting with «0» are accepted."""
    value = value.strip()
    if _digits(value, 9) and value[0] == "0":
        return None
    return f"БИК должен состоять из 9 цифр и начинаться с 0: «{value}»"


def _key_ok(prefix: str, account: str) -> bool:
    """The control key of Положение ЦБ 579-П: prefix (3 digits) + account (20), weights 7,1,3 repeated."""
    return sum(int(d) * (7, 1, 3)[i % 3] for i, d in enumerate(prefix + account)) % 10 == 0


def account_problem(bik: str, account: str) -> str | None:
    """A settlement account in the bank of `bik`. The key prefix is the last 3 digits of the BIC in a
    credit institution, «0» + BIC digits 5–6 in a settlement centre of the Bank of Russia (BIC ending in
    000, 001, 002). A treasury account (in a ТОФК, starts with «03») has no key: its digit 9 starts the code
    of the budget (OKTMO), e.g. 03100643000000017300, so only its form is checked."""
    bik, account = bik.strip(), account.strip()
    if problem := bik_problem(bik):
        return problem
    if not _digits(account, 20):
        return f"Номер счёта должен состоять из 20 цифр: «{account}»"
    if not bik.startswith("04"):  # a ТОФК (see bik_problem): treasury accounts only
        return None if account.startswith("03") else \
            f"Счёт в органе Федерального казначейства (БИК {bik}) должен начинаться с 03: «{account}»"
    if _key_ok("0" + bik[4:6] if bik[6:] in ("000", "001", "002") else bik[6:], account):
        return None
    return f"Счёт {account} не соответствует БИК {bik}: неверный контрольный ключ"


def corr_account_problem(bik: str, account: str) -> str | None:
    """The correspondent account of the bank of `bik` (30101…), for a ТОФК its единый казначейский счёт
    (40102…); either is keyed with «0» + BIC digits 5–6."""
    bik, account = bik.strip(), account.strip()
    if problem := bik_problem(bik):
        return problem
    name, start = ("Корреспондентский счёт", "30101") if bik.startswith("04") else ("Единый казначейский счёт", "40102")
    if not (_digits(account, 20) and account.startswith(start)):
        return f"{name} должен состоять из 20 цифр и начинаться с {start}: «{account}»"
    if _key_ok("0" + bik[4:6], account):
        return None
    return f"{name} {account} не соответствует БИК {bik}: неверный контрольный ключ"


def mobile_problem(value: str) -> str | None:
    """A Russian mobile number: «+7 912 345-67-89», «89123456789», «8 (912) 345 67 89»."""
    value = value.strip()
    if (m := _PHONE.fullmatch(_PHONE_SEPARATORS.sub("", value))) is None:
        return f"Номер телефона «{value}» не распознан: ожидается российский номер вида +7 912 345-67-89"
    return None if m[1][0] == "9" else f"Номер +7{m[1]} не мобильный: мобильный номер начинается с +7 9"


def normalize_mobile(value: str) -> str:
    """«+7» and the 10 digits; ValueError with the Russian reason when the number is not a mobile one."""
    if problem := mobile_problem(value):
        raise ValueError(problem)
    return "+7" + _PHONE_SEPARATORS.sub("", value)[-10:]


def email_problem(value: str) -> str | None:
    """One @, a non-empty name, a domain with a dot and no empty parts, no spaces. No network."""
    value = value.strip()
    return None if _EMAIL.fullmatch(value) else f"Адрес электронной почты «{value}» неверен: ожидается вид имя@домен.ru"
