"""Checks of requisites (sbyt.core.requisites): published requisites of real organisations pass,
every other digit in a check position is refused, the messages are exact."""

from __future__ import annotations

import pytest

from sbyt.core.requisites import (account_problem, bik_problem, corr_account_problem, email_problem, inn_problem,
                                  kpp_problem, mobile_problem, normalize_mobile, ogrn_problem)

# Published INN and ОГРН of ПАО Сбербанк, ООО «Яндекс», ПАО «Газпром», АО «Мосэнергосбыт».
REAL = [("7707083893", "1027700132195"), ("7736207543", "1027700229193"), ("7736050003", "1027700070518"),
        ("7736520080", "1057746557329")]
SBER, SBER_CORR = "044525225", "30101810400000000225"
REAL_ACCOUNTS = [(SBER, "40702810738360027199"), (SBER, "40702810338360027201")]  # АО «Мосэнергосбыт»
# Единые казначейские счета of УФК по г. Москве and of the inter-regional operational УФК (ТОФК BICs).
TREASURY_CORR = [("004525988", "40102810545370000003"), ("024501901", "40102810045370000002")]
# CONSTRUCTED with the algorithms, not real: a sole trader's INN and ОГРНИП; accounts of made-up numbers
# in Сбербанк and in the settlement centre ГУ Банка России по ЦФО (БИК 044525000).
INN_12, OGRNIP = "770100000142", "304770000000008"
CONSTRUCTED_ACCOUNTS = [(SBER, "40702810500000001234"), ("044525000", "40101810300000000001")]


def _variants(value: str, i: int) -> list[str]:
    return [value[:i] + str(d) + value[i + 1:] for d in range(10)]


def _only_itself_passes(check, value: str, i: int) -> None:
    assert [v for v in _variants(value, i) if check(v) is None] == [value]


@pytest.mark.parametrize("check, value, i", [(inn_problem, inn, 9) for inn, _ in REAL]
                         + [(ogrn_problem, ogrn, 12) for _, ogrn in REAL]
                         + [(inn_problem, INN_12, 10), (inn_problem, INN_12, 11), (ogrn_problem, OGRNIP, 14)])
def test_valid_numbers_pass_and_every_other_check_digit_is_refused(check, value, i):
    _only_itself_passes(check, value, i)


def test_inn_and_ogrn_kinds_and_messages():
    assert {inn_problem(inn, "legal") or ogrn_problem(ogrn, "legal") for inn, ogrn in REAL} == {None}
    assert inn_problem(INN_12, "person") is None and ogrn_problem(OGRNIP, "person") is None
    assert inn_problem("7707083894") == "ИНН 7707083894: неверная контрольная цифра"
    assert inn_problem("123") == "ИНН должен состоять из 10 или 12 цифр: «123»"
    assert inn_problem("770708389З") == "ИНН должен состоять из 10 или 12 цифр: «770708389З»"  # a Cyrillic З
    assert inn_problem("７７０７０８３８９３") is not None and inn_problem(" 7707083893 ") is None  # full-width
    assert inn_problem(INN_12, "legal") == "ИНН организации должен состоять из 10 цифр: «770100000142»"
    assert inn_problem("7707083893", "person") == \
        "ИНН индивидуального предпринимателя должен состоять из 12 цифр: «7707083893»"
    assert ogrn_problem("1027700132196") == "ОГРН 1027700132196: неверная контрольная цифра"
    assert ogrn_problem("304770000000009") == "ОГРНИП 304770000000009: неверная контрольная цифра"
    assert ogrn_problem("102770013219") == "ОГРН должен состоять из 13 цифр (ОГРНИП — из 15): «102770013219»"
    assert ogrn_problem(OGRNIP, "legal") == "ОГРН должен состоять из 13 цифр: «304770000000008»"
    assert ogrn_problem("1027700132195", "person") == "ОГРНИП должен состоять из 15 цифр: «1027700132195»"
    with pytest.raises(ValueError):
        inn_problem("7707083893", "company")


def test_kpp_and_bik():
    assert [kpp_problem(k) for k in ("773601001", "997650001", "7736AB001")] == [None] * 3  # 2 real; letters
    for bad in ["77360100", "7736ab001", "7736АВ001", "77A601001", "773601A01", "7736010011"]:  # АВ: Cyrillic
        assert kpp_problem(bad) == \
            f"КПП должен состоять из 9 символов (4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры): «{bad}»"
    assert [bik_problem(b) for b in [SBER, "044525000", "004525988", "024501901"]] == [None] * 4
    for bad in ["44525225", "144525225", "04452522A", "0445252250"]:
        assert bik_problem(bad) == f"БИК должен состоять из 9 цифр и начинаться с 0: «{bad}»"


@pytest.mark.parametrize("check, bik, account", [(account_problem, *a) for a in REAL_ACCOUNTS + CONSTRUCTED_ACCOUNTS]
                         + [(corr_account_problem, *a) for a in [(SBER, SBER_CORR)] + TREASURY_CORR])
def test_accounts_pass_and_every_other_key_is_refused(check, bik, account):
    assert check(bik, account) is None
    _only_itself_passes(lambda a: check(bik, a), account, 8)  # the key
    _only_itself_passes(lambda a: check(bik, a), account, 19)


def test_account_messages():
    assert account_problem(SBER, "40702810738360027190") == \
        "Счёт 40702810738360027190 не соответствует БИК 044525225: неверный контрольный ключ"
    assert account_problem("044525974", "40702810738360027199") is not None  # the same account, another bank
    assert account_problem(SBER, "407028107") == "Номер счёта должен состоять из 20 цифр: «407028107»"
    assert account_problem("4452522", SBER_CORR) == "БИК должен состоять из 9 цифр и начинаться с 0: «4452522»"
    assert account_problem("004525988", "03100643000000017300") is None  # a treasury account has no key
    assert account_problem("004525988", SBER_CORR) == \
        "Счёт в органе Федерального казначейства (БИК 004525988) должен начинаться с 03: «30101810400000000225»"
    assert corr_account_problem(SBER, "30101810400000000226") == \
        "Корреспондентский счёт 30101810400000000226 не соответствует БИК 044525225: неверный контрольный ключ"
    assert corr_account_problem(SBER, "40702810738360027199") == \
        "Корреспондентский счёт должен состоять из 20 цифр и начинаться с 30101: «40702810738360027199»"
    assert corr_account_problem("004525988", SBER_CORR) == \
        "Единый казначейский счёт должен состоять из 20 цифр и начинаться с 40102: «30101810400000000225»"


# Property: whatever the other digits, exactly one digit in the key position (index 8) fits; accounts of
# several kinds in banks and in settlement centres of the Bank of Russia (BIC ending in 000, 001).
@pytest.mark.parametrize("bik", [SBER, "044525974", "044030653", "044525000", "045004001"])
@pytest.mark.parametrize("account", ["40702810000000000000", "40802810999999999999", "40817810123456789012",
                                     "42301810555500000077", "30101810000000000001", "40701810987654321098"])
def test_exactly_one_control_key_fits(bik, account):
    assert sum(account_problem(bik, a) is None for a in _variants(account, 8)) == 1


def test_mobile():
    for raw in ["+7 912 345-67-89", "89123456789", "8 (912) 345 67 89", "79123456789", " 8-912-345-67-89 "]:
        assert mobile_problem(raw) is None and normalize_mobile(raw) == "+79123456789"
    assert mobile_problem("+7 495 123-45-67") == "Номер +74951234567 не мобильный: мобильный номер начинается с +7 9"
    for bad in ["9123456789", "+7 912 345-67-8", "+8 912 345 67 89", "+7 912 345 67 89 0", "+7.912.345.67.89", ""]:
        assert mobile_problem(bad) == \
            f"Номер телефона «{bad}» не распознан: ожидается российский номер вида +7 912 345-67-89"
    with pytest.raises(ValueError, match="не мобильный"):
        normalize_mobile("84951234567")


def test_email():
    assert not any(email_problem(e) for e in ["info@mosenergosbyt.ru", "a.b-c+d@mail.example.org", "x@почта.рф"])
    for bad in ["info@mosenergosbyt", "info@@mail.ru", "in fo@mail.ru", "@mail.ru", "info@.ru", "info@mail..ru",
                "info@mail.ru.", "a@b@c.ru", ""]:
        assert email_problem(bad) == f"Адрес электронной почты «{bad}» неверен: ожидается вид имя@домен.ru"
