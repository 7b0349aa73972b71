"""Amounts in words for printed documents: 12345678 kopecks -> «Сто двадцать три тысячи четыреста
пятьдесят шесть рублей 78 копеек» (invoices, acts: «сумма прописью»)."""

from __future__ import annotations

_ONES_M = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_ONES_F = ("", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_TEENS = ("десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
          "семнадцать", "восемнадцать", "девятнадцать")
_TENS = ("", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят",
         "девяносто")
_HUNDREDS = ("", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот",
             "девятьсот")
# (one, two to four, five and more) and the gender of each power of a thousand
_SCALES = ((("", "", ""), False), (("тысяча", "тысячи", "тысяч"), True), (("миллион", "миллиона", "миллионов"), False),
           (("миллиард", "миллиарда", "миллиардов"), False), (("триллион", "триллиона", "триллионов"), False))


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """The form of a noun after the number `n`: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль."""
    n = abs(n) % 100
    if 11 <= n <= 19:
        return forms[2]
    n %= 10
    return forms[0] if n == 1 else forms[1] if 2 <= n <= 4 else forms[2]


def _triple(n: int, feminine: bool) -> list[str]:
    out = [_HUNDREDS[n // 100]]
    rest = n % 100
    if 10 <= rest <= 19:
        out.append(_TEENS[rest - 10])
    else:
        out.append(_TENS[rest // 10])
        out.append((_ONES_F if feminine else _ONES_M)[rest % 10])
    return [w for w in out if w]


def number_words(n: int, feminine: bool = False) -> str:
    """A whole number in words: 2021 -> «две тысячи двадцать один» (`feminine`: «одна», «две»)."""
    if n < 0:
        return "минус " + number_words(-n, feminine)
    if n == 0:
        return "ноль"
    words: list[str] = []
    power = 0
    while n:
        n, part = divmod(n, 1000)
        if power >= len(_SCALES):
            raise ValueError("число слишком большое для записи прописью")
        if part:
            forms, fem = _SCALES[power]
            group = _triple(part, fem if power else feminine)
            if power:
                group.append(plural(part, forms))
            words = group + words
        power += 1
    return " ".join(words)


def rub_words(kopecks: int) -> str:
    """«Сумма прописью» of an amount: the roubles in words, the kopecks in figures, capitalised."""
    sign = "Минус " if kopecks < 0 else ""
    rub, kop = divmod(abs(kopecks), 100)
    text = f"{number_words(rub)} {plural(rub, ('рубль', 'рубля', 'рублей'))} {kop:02d} " \
           f"{plural(kop, ('копейка', 'копейки', 'копеек'))}"
    return sign + (text[0].upper() + text[1:] if not sign else text)
