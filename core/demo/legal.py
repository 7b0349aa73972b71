"""The demo's legal entities: about one contract per 200 households (shops, offices, workshops,
schools, factories, and the managing companies of the household side), with counterparties whose
INN/OGRN/account keys are valid, contracts through their lifecycle documents (most signed, some
still in the procedure, a few terminated), objects (shops in the non-residential premises of
apartment buildings among them), supply points of all price categories, transit pairs, measuring
complexes with transformer ratios; the data every month the demo calculates needs (research
legal.md §A.5, §C.4): hourly data of categories 3–6 from an АСКУЭ-like generator (`hourly_load`, also
used by the readings bench) from three months before the first open month through the end of the
open month 2026-11, integral readings of categories 1–2 at every month end (category 2 by zone) with
an opening reading before the first month, and the contract volumes of every object for those months.
About 1.5 % of the points carry no data at all: the run bills them from their contract volume.

Shape (`legal_shape`): one supply point per about 200 households, a fifth of them hourly (categories
3–6) — 1 000 000 households give about 5 000 points and 1 000 hourly ones, 10 000 000 ten times that.

Drawn from its own generator (seed + 13) after the household stages, so the household region is
the same with or without it. Everything in bulk through Arrow, as the other stages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from sbyt.core.demo.shape import OPEN_PERIOD, _arrow
from sbyt.core.periods import add_months, days_in, first_day, last_day, next_first_day, period_label
from sbyt.core.store import Store
from sbyt.core.workdays import is_working_day

HOURLY_MONTHS = 3                          # hourly history before the first open month
DEMO_TODAY = np.datetime64("2026-12-05")   # the demo's procedure dates are counted back from it
CATEGORY_P = [0.64, 0.16, 0.09, 0.06, 0.025, 0.025]   # categories 3–6 (hourly): a fifth of the points
HOUSEHOLDS_PER_POINT = 200
# supply points per contract: 95 % of the contracts are supplied (not in the procedure), a second
# object for 20 % of the organisations (75 %) and 5 % of the sole traders (25 %)
POINTS_PER_CONTRACT = 0.95 * (1 + 0.75 * 0.2 + 0.25 * 0.05)
NO_DATA_P = 0.015                          # points without any data: billed from the contract volume
HOUR_CELLS = 6_000_000                     # meters × hours generated at once (memory bound)
SBER = ("044525225", "ПАО Сбербанк", "30101810400000000225")
TREASURY = ("004525988", "ГУ Банка России по ЦФО//УФК по г. Москве", "40102810545370000003")
_INN10 = np.array([2, 4, 10, 3, 5, 9, 4, 6, 8])
_INN11 = np.array([7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
_INN12 = np.array([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])

LEGAL_NAMES = [("ООО «{}»", "Магазин «{}»"), ("ООО «Торговый дом {}»", "Магазин"), ("АО «{} Строй»", "Офис"),
               ("ООО «{} Сервис»", "Автомастерская"), ("ООО «Кафе {}»", "Кафе"), ("ООО «{} и партнёры»", "Офис"),
               ("АО «Завод {}»", "Производственный корпус"), ("ООО «Склад {}»", "Склад"),
               ("ООО «Пекарня {}»", "Пекарня"), ("ООО «{} Телеком»", "Узел связи")]
BUDGET_NAMES = [("МБОУ «Средняя общеобразовательная школа № {}»", "Здание школы"),
                ("МБДОУ «Детский сад № {}»", "Здание детского сада"),
                ("ГБУЗ «Городская поликлиника № {}»", "Поликлиника"),
                ("МКУК «Библиотека № {}»", "Библиотека"),
                ("Администрация сельского поселения № {}", "Здание администрации")]
TRADER_OBJECTS = ["Магазин", "Парикмахерская", "Шиномонтаж", "Павильон", "Мастерская"]


def _digits(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return rng.integers(0, 10, (n, k))


def _check(d: np.ndarray, w: np.ndarray) -> np.ndarray:
    return (d[:, :len(w)] * w).sum(axis=1) % 11 % 10


def _join(d: np.ndarray) -> list[str]:
    return ["".join(map(str, row)) for row in d]


def _inns(rng: np.random.Generator, person: np.ndarray, taken: set[str]) -> list[str]:
    """Valid INNs, all different and none in `taken`: 10 digits for organisations, 12 for sole
    traders; region 77/70, then a 7-digit number drawn without repeats."""
    n = len(person)
    d = _digits(rng, n, 12)
    d[:, 0], d[:, 1] = 7, np.where(rng.random(n) < 0.7, 7, 0)
    body = rng.choice(10**7, n, replace=False)
    d[:, 2:9] = (body[:, None] // 10 ** np.arange(6, -1, -1)) % 10
    d[:, 9] = _check(d, _INN10)
    d[:, 10] = _check(d, _INN11)
    d[:, 11] = _check(d, _INN12)
    out = [t if p else s for s, t, p in zip(_join(d[:, :10]), _join(d), person)]
    for i in (i for i, v in enumerate(out) if v in taken):   # another region for a clash with the reference
        d[i, 1] = 9
        for pos, w in ((9, _INN10), (10, _INN11), (11, _INN12)):
            d[i, pos] = _check(d[i:i + 1], w)[0]
        out[i] = "".join(map(str, d[i, :12 if person[i] else 10]))
    return out


def _ogrns(rng: np.random.Generator, person: np.ndarray, year: np.ndarray) -> list[str]:
    """ОГРН (13: last = first 12 mod 11 mod 10) and ОГРНИП (15: last = first 14 mod 13 mod 10)."""
    n = len(person)
    body = rng.integers(10**8, 10**9, n)
    ogrn12 = (1 * 10**11 + (year % 100) * 10**9 + body)
    ogrnip14 = (3 * 10**13 + (year % 100) * 10**11 + body * 100 + rng.integers(0, 100, n))
    return [f"{v}{v % 13 % 10}" if p else f"{u}{u % 11 % 10}" for u, v, p in zip(ogrn12, ogrnip14, person)]


def _keyed(prefix: str, accounts: list[str]) -> list[str]:
    """Set digit 9 of each 20-digit account so that the ЦБ 579-П key over prefix + account holds."""
    out = []
    for a in accounts:
        digits = [int(c) for c in prefix + a[:8] + "0" + a[9:]]
        s = sum(d * (7, 1, 3)[i % 3] for i, d in enumerate(digits))
        out.append(a[:8] + str((-s * 7) % 10) + a[9:])     # weight of digit 9 is 3; 3 × 7 ≡ 1 (mod 10)
    return out


@dataclass(frozen=True)
class LegalShape:
    """The expected size of the demo's legal side for a number of households."""

    contracts: int                 # contracts of consumers (the managing companies come on top)
    points: int                    # supply points (expected)
    hourly_points: int             # of them categories 3–6 with hourly data (expected)

    def hour_rows(self, months: int) -> int:
        """Expected meter_hour rows for a demo with `months` cycle months (the hourly history of
        HOURLY_MONTHS months before the first open month, through the open month)."""
        start = first_day(add_months(OPEN_PERIOD, -(months + HOURLY_MONTHS)))
        return self.hourly_points * (next_first_day(OPEN_PERIOD) - start).days * 24


def legal_shape(accounts: int) -> LegalShape:
    contracts = max(round(accounts / HOUSEHOLDS_PER_POINT / POINTS_PER_CONTRACT), 10)
    points = round(contracts * POINTS_PER_CONTRACT)
    return LegalShape(contracts, points, round(points * sum(CATEGORY_P[2:]) * (1 - NO_DATA_P)))


def hourly_load(rng: np.random.Generator, max_kw: np.ndarray, days: list[date]) -> np.ndarray:
    """АСКУЭ-like hourly consumption, Wh, shape (points, days, 24): a base load per point, a working
    day profile (the production calendar: weekends and holidays lower), multiplicative noise; never
    above the point's maximum capacity."""
    n = len(max_kw)
    workday = np.array([is_working_day(d) for d in days])
    shape = np.array([0.35, 0.33, 0.32, 0.32, 0.33, 0.38, 0.5, 0.72, 0.9, 0.97, 1.0, 1.0,
                      0.96, 0.98, 1.0, 0.98, 0.95, 0.9, 0.78, 0.66, 0.58, 0.5, 0.43, 0.38])
    night = rng.uniform(0.5, 1.0, n)[:, None]                   # some run round the clock
    profile = night + (1 - night) * shape[None, :]
    level = (max_kw * rng.uniform(0.18, 0.5, n))[:, None, None]
    day_factor = np.where(workday, 1.0, rng.uniform(0.45, 0.8, n)[:, None])[:, :, None]
    noise = rng.lognormal(0.0, 0.08, (n, len(days), 24))
    kw = np.minimum(level * profile[:, None, :] * day_factor * noise, max_kw[:, None, None] * 0.97)
    return np.round(kw * 1000).astype(np.int64)


def _legal_entities(store: Store, seed: int, pools: dict[str, list[str]], accounts: int,
                    first_period: int) -> None:
    con = store.con
    rng = np.random.default_rng(seed + 13)
    n = legal_shape(accounts).contracts
    # -- counterparties: the contracts' consumers, then the household side's managing companies
    kind = rng.choice(np.array(["legal", "sole_trader", "budget"]), n, p=[0.55, 0.25, 0.20])
    person = kind == "sole_trader"
    applied = np.datetime64("2012-02-01") + rng.integers(0, 365 * 14 + 150, n).astype("timedelta64[D]")
    year = applied.astype("datetime64[Y]").astype(int) + 1970 - rng.integers(0, 8, n)
    managers = store.all("SELECT id, name, inn, kpp FROM manager ORDER BY id")
    inn = _inns(rng, person, {r[2] for r in managers} | {store.scalar("SELECT inn FROM supplier LIMIT 1")})
    ogrn = _ogrns(rng, person, year)
    surnames = pools["last_m"]
    tmpl = rng.integers(0, 1000, n)
    word = [surnames[i] for i in rng.integers(0, len(surnames), n)]
    name, obj_name = [], []
    for i in range(n):
        if kind[i] == "legal":
            t = LEGAL_NAMES[tmpl[i] % len(LEGAL_NAMES)]
            name.append(t[0].format(word[i]))
            obj_name.append(t[1].format(word[i]))
        elif kind[i] == "budget":
            t = BUDGET_NAMES[tmpl[i] % len(BUDGET_NAMES)]
            name.append(t[0].format(i + 1))
            obj_name.append(t[1])
        else:
            name.append(f"ИП {word[i]} {'АБВГДЕЖИКЛМНОПРСТ'[tmpl[i] % 17]}. {'АВГДЕИМНОПС'[tmpl[i] % 11]}.")
            obj_name.append(TRADER_OBJECTS[tmpl[i] % len(TRADER_OBJECTS)])
    m = len(managers)
    cp_id = np.arange(1, n + m + 1, dtype=np.int64)
    mgr_applied = np.full(m, np.datetime64("2015-03-02"))
    _arrow(con, "t_cp", {
        "id": cp_id, "kind": np.r_[kind, np.full(m, "manager")],
        "inn": inn + [r[2] for r in managers],
        "kpp": [None if p else s[:4] + "01001" for s, p in zip(inn, person)] + [r[3] for r in managers],
        "ogrn": ogrn + [None] * m, "mgr": [None] * n + [r[0] for r in managers],
        "reg": np.r_[applied, mgr_applied].astype("datetime64[D]"),
        "name": name + [r[1] for r in managers],
        "phone": rng.integers(9000000000, 9999999999, n + m),
        "budget": np.r_[np.where(kind == "budget", rng.choice(np.array(["local", "regional", "federal"]), n,
                                                                       p=[0.7, 0.2, 0.1]), None), [None] * m],
        "fin": np.r_[np.where(kind == "budget", np.where(rng.random(n) < 0.7, "Местный бюджет", "Областной бюджет"),
                              "Прочие"), ["Прочие"] * m],
        "group": np.r_[np.where(kind == "budget", "Бюджетные потребители",
                                np.where(rng.random(n) < 0.15, "Промышленные потребители",
                                         "Непромышленные потребители")), ["Исполнители коммунальных услуг"] * m],
    })
    con.execute("""
        INSERT INTO counterparty SELECT id, kind, inn, kpp, ogrn, mgr, reg, 'demo' FROM t_cp;
        INSERT INTO counterparty_fact SELECT id, reg, NULL, name, name,
            '123100, г. Москва, ул. Промышленная, д. ' || id::VARCHAR, NULL, '+7' || phone::VARCHAR,
            'cp' || id::VARCHAR || '@example.ru', budget, fin, "group" FROM t_cp""")
    bank = np.where(np.r_[kind, np.full(m, "legal")] == "budget", 1, 0)
    acc = ["".join(map(str, r)) for r in _digits(rng, n + m, 12)]
    raw = [("03234643" if b else ("40802810" if k == "sole_trader" else "40702810")) + a
           for a, b, k in zip(acc, bank, np.r_[kind, np.full(m, "manager")])]
    accounts_ = [a if b else k for a, b, k in zip(raw, bank, _keyed(SBER[0][6:], raw))]
    _arrow(con, "t_bank", {"cp": cp_id, "treasury": bank.astype(bool), "acc": accounts_,
                           "reg": np.r_[applied, mgr_applied].astype("datetime64[D]")})
    con.execute(f"""
        INSERT INTO counterparty_bank SELECT cp, cp,
            CASE WHEN treasury THEN '{TREASURY[0]}' ELSE '{SBER[0]}' END,
            CASE WHEN treasury THEN '{TREASURY[1]}' ELSE '{SBER[1]}' END, acc,
            CASE WHEN treasury THEN '{TREASURY[2]}' ELSE '{SBER[2]}' END, reg, NULL FROM t_bank""")

    # -- contracts: states through the procedure; dates of each document
    k_id = cp_id
    state = np.where(rng.random(n) < 0.93, "signed", "terminated")
    procedure = rng.random(n) < 0.05
    procedure[:8] = False                              # the first 8 are supplied: categories 1–6, a transit pair
    procedure[-2:] = True                              # even a small demo has work in the procedure
    proc_state = rng.choice(np.array(["missing", "complete", "draft", "approved", "disagreement"]), n)
    proc_state[-2:] = ["missing", "disagreement"]
    today = DEMO_TODAY
    applied = np.where(procedure, today - rng.integers(3, 50, n).astype("timedelta64[D]"), applied)
    state = np.where(procedure, proc_state, state)
    state[:8] = "signed"
    complete = applied + rng.integers(0, 10, n).astype("timedelta64[D]")
    draft = complete + rng.integers(3, 25, n).astype("timedelta64[D]")
    approval = draft + rng.integers(1, 5, n).astype("timedelta64[D]")
    signed = approval + rng.integers(2, 20, n).astype("timedelta64[D]")
    starts = (signed.astype("datetime64[M]") + 1).astype("datetime64[D]")
    ended = starts + rng.integers(200, 2500, n).astype("timedelta64[D]")
    terminated = (state == "terminated") & (ended < today)
    state = np.where((state == "terminated") & ~terminated, "signed", state)
    kinds = np.r_[np.where(rng.random(n) < 0.1, "sale", "supply"), np.full(m, "manager")]
    prefix = {"supply": "ЭС", "sale": "КП", "manager": "УК"}
    number = [f"{prefix[k]}-{i:05d}" for k, i in zip(kinds, k_id)]
    all_state = np.r_[state, np.full(m, "signed")]
    db_state = np.select([np.isin(all_state, ["missing", "complete"])], ["application"], all_state)
    _arrow(con, "t_k", {
        "id": k_id, "number": number, "kind": kinds, "state": db_state, "st": all_state,
        "applied": np.r_[applied, mgr_applied].astype("datetime64[D]"),
        "complete": np.r_[complete, mgr_applied + 5].astype("datetime64[D]"),
        "draft": np.r_[draft, mgr_applied + 12].astype("datetime64[D]"),
        "approval": np.r_[approval, mgr_applied + 14].astype("datetime64[D]"),
        "signed": np.r_[signed, mgr_applied + 20].astype("datetime64[D]"),
        "starts": np.r_[starts, np.full(m, np.datetime64("2015-04-01"))].astype("datetime64[D]"),
        "ended": np.r_[ended, np.full(m, np.datetime64("2099-01-01"))].astype("datetime64[D]")})
    con.execute("""
        INSERT INTO contract SELECT id, number, id, kind, CASE WHEN kind = 'manager' THEN 'p81' ELSE 'p82' END,
            state, applied, CASE WHEN st <> 'missing' THEN complete END,
            CASE WHEN state IN ('signed', 'terminated') THEN signed END,
            CASE WHEN state IN ('signed', 'terminated') THEN starts END, NULL,
            CASE WHEN state = 'terminated' THEN ended END, id % 3 = 0
        FROM t_k;
        INSERT INTO contract_item
        SELECT k.id, r.item, CASE WHEN r.item = 'application' THEN k.applied ELSE k.complete END
        FROM t_k k JOIN contract_requirement r ON r.contract_kind = k.kind
        WHERE k.st <> 'missing' OR r.item IN ('application', 'register_extract', 'authority');
        CREATE TEMP TABLE t_docs AS
        SELECT id AS k, 1 AS step, 'application' AS kind, applied AS d, NULL::DATE AS eff FROM t_k
        UNION ALL SELECT id, 2, 'draft', draft, NULL FROM t_k WHERE st NOT IN ('missing', 'complete')
        UNION ALL SELECT id, 3, 'approval', approval, NULL FROM t_k WHERE st NOT IN ('missing', 'complete', 'draft')
        UNION ALL SELECT id, 4, 'disagreement', approval + 2, NULL FROM t_k WHERE st = 'disagreement'
        UNION ALL SELECT id, 5, 'signed', signed, starts FROM t_k WHERE st IN ('signed', 'terminated')
        UNION ALL SELECT id, 6, 'termination', ended - 30, ended FROM t_k WHERE st = 'terminated';
        INSERT INTO contract_doc (id, contract_id, kind, doc_date, doc_no, effective, changes, note, created_by)
        SELECT row_number() OVER (ORDER BY d.k, d.step), d.k, d.kind, d.d,
            CASE WHEN d.kind = 'signed' THEN k.number END, d.eff,
            CASE WHEN d.kind = 'application' THEN '{"counterparty": "' || c.inn || '"}' END,
            CASE WHEN d.kind = 'termination' THEN 'Расторжение по инициативе потребителя' END, 'demo'
        FROM t_docs d JOIN t_k k ON k.id = d.k JOIN counterparty c ON c.id = d.k""")

    # -- objects and points of signed / terminated contracts (not of the managing companies here)
    live = np.flatnonzero(np.isin(state, ["signed", "terminated"]))
    two = rng.random(len(live)) < np.where(kind[live] == "sole_trader", 0.05, 0.2)
    o_k = np.sort(np.r_[live, live[two]])
    o_n = len(o_k)
    o_id = np.arange(1, o_n + 1, dtype=np.int64)
    cat = rng.choice(np.arange(1, 7), o_n, p=CATEGORY_P)
    cat[:6] = np.arange(1, 7)
    big = np.isin(cat, [4, 6]) & (rng.random(o_n) < 0.5)
    max_kw = np.round(np.select([cat <= 2, big], [rng.uniform(5, 140, o_n), rng.uniform(670, 2500, o_n)],
                                rng.uniform(150, 660, o_n)), 0)
    voltage = np.select([max_kw < 150, max_kw < 670, rng.random(o_n) < 0.9], ["NN", "SN2", "SN1"], "VN")
    nonres = store.all("SELECT p.building_id, p.number FROM premise p WHERE p.kind = 'nonres' ORDER BY p.id")
    in_mkd = (cat <= 2) & (rng.random(o_n) < 0.45) & (len(nonres) > 0)
    pick = rng.permutation(len(nonres))[:int(in_mkd.sum())] if nonres else np.zeros(0, np.int64)
    in_mkd[np.flatnonzero(in_mkd)[len(pick):]] = False
    nb = np.zeros(o_n, np.int64)
    nno = np.full(o_n, None, dtype=object)
    nb[in_mkd] = [nonres[i][0] for i in pick]
    nno[in_mkd] = [nonres[i][1] for i in pick]
    streets = np.array([r[0] for r in store.all("SELECT id FROM street ORDER BY id")], dtype=np.int64)
    # transit: about 4 % of the points are fed through another consumer's network (object 7 through 3)
    head = np.zeros(o_n, np.int64)
    transit = (rng.random(o_n) < 0.04) & (cat <= 2) & ~in_mkd
    if o_n >= 7:
        transit[6] = True
        head[6] = 3
    heads = np.flatnonzero(cat >= 3) + 1
    free = np.flatnonzero(transit & (head == 0))
    head[free] = heads[rng.integers(0, len(heads), len(free))] if len(heads) else 0
    head[o_k[np.maximum(head - 1, 0)] == o_k] = 0        # not through the consumer's own point
    kid = np.flatnonzero(head > 0)                        # a transit consumer is small beside its head:
    max_kw[kid] = np.maximum(np.minimum(max_kw[kid], np.round(max_kw[head[kid] - 1] * 0.15)), 5)   # net hours stay > 0
    opened = starts[o_k].astype("datetime64[D]")
    askue = (cat >= 3) | (rng.random(o_n) < 0.97)
    ct = np.where((voltage == "NN") & (max_kw <= 60), 1, rng.choice([10, 20, 40, 60, 80, 120], o_n))
    vt = np.select([voltage == "VN", voltage == "NN"], [1100, 1], rng.choice([60, 100], o_n))
    verified = opened - rng.integers(0, 900, o_n).astype("timedelta64[D]") + \
        rng.integers(0, 8 * 365, o_n).astype("timedelta64[D]")
    verified = np.minimum(verified, today - 10)
    _arrow(con, "t_o", {"id": o_id, "k": k_id[o_k], "name": [obj_name[i] for i in o_k],
                        "b": nb, "nno": pa.array(nno, pa.string()), "street": streets[rng.integers(0, len(streets), o_n)],
                        "house": rng.integers(1, 120, o_n), "opened": opened, "kw": max_kw,
                        "voltage": voltage, "cat": cat, "head": head, "rel": rng.choice([2, 3], o_n, p=[0.2, 0.8]),
                        "tp": rng.integers(1, 400, o_n), "askue": askue, "ct": ct, "vt": vt,
                        "verified": verified.astype("datetime64[D]"), "years": rng.choice([8, 16], o_n),
                        "loss": np.where(rng.random(o_n) < 0.1, np.round(rng.uniform(0.5, 3.0, o_n), 2), 0.0),
                        "serial": rng.integers(10**7, 10**8, o_n)})
    con.execute("""
        INSERT INTO calc_object SELECT o.id, o.k, 'OB' || lpad(o.id::VARCHAR, 6, '0'), o.name,
            coalesce(se.name || ', ' || bs.name || ', д. ' || b.house_no || ', пом. ' || o.nno,
                     se2.name || ', ' || s.name || ', д. ' || o.house::VARCHAR || ', стр. 1'),
            nullif(o.b, 0), o.nno, o.opened, NULL
        FROM t_o o
        LEFT JOIN building b ON b.id = o.b LEFT JOIN street bs ON bs.id = b.street_id
        LEFT JOIN settlement se ON se.id = bs.settlement_id
        JOIN street s ON s.id = o.street JOIN settlement se2 ON se2.id = s.settlement_id
        ORDER BY o.id;
        INSERT INTO legal_point SELECT id, id, 'TPU' || lpad(id::VARCHAR, 6, '0'), 'ВРУ-0,4 кВ, ввод 1',
            'ПАО «Россети Московский регион»',
            CASE WHEN voltage = 'NN' THEN 'Контактные соединения кабельных наконечников в РУ-0,4 кВ ТП-' || tp::VARCHAR
                 ELSE 'Болтовые соединения в ячейке 10 кВ ПС «Промзона», фидер ' || tp::VARCHAR END,
            nullif(head, 0), opened, NULL FROM t_o ORDER BY id;
        INSERT INTO legal_point_fact SELECT id, opened, NULL, voltage, kw::DECIMAL(12, 3), cat, rel, NULL, NULL FROM t_o;
        INSERT INTO legal_meter SELECT id, id, serial::VARCHAR,
            CASE WHEN ct = 1 THEN 'Меркурий 234 ARTM-02' ELSE 'СЭТ-4ТМ.03М' END,
            CASE WHEN ct = 1 THEN '1,0/2,0' ELSE '0,5S/1,0' END, 8, ct, vt, opened, NULL, verified, years,
            loss::DECIMAL(6, 3), CASE WHEN askue THEN '77' || lpad(id::VARCHAR, 13, '0') END,
            CASE WHEN askue THEN '01' END
        FROM t_o ORDER BY id""")
    # terminated contracts: their points' facts end with the contract
    con.execute("""
        UPDATE legal_point_fact f SET valid_to = k.terminated_from FROM legal_point p, calc_object o, contract k
        WHERE p.id = f.point_id AND o.id = p.object_id AND k.id = o.contract_id AND k.state = 'terminated'""")
    # a few points without any data (not the first seven: their categories and transit are shown)
    nodata = rng.random(o_n) < NO_DATA_P
    nodata[:7] = False
    if o_n > 7 and not nodata.any():
        nodata[-1] = True
    _arrow(con, "t_nodata", {"point_id": o_id[nodata]})
    _hours(store, rng, first_period)
    _integral_readings(store, rng, first_period)
    _contract_volumes(store, rng, first_period)
    con.unregister("t_nodata")
    for table in ("contract_doc",):
        con.execute(f"CREATE OR REPLACE SEQUENCE {table}_seq START {store.next_id(table)}")


def _months(first_period: int) -> list[int]:
    """The months the demo calculates: the first open month through the open month 2026-11."""
    out = [first_period]
    while out[-1] < OPEN_PERIOD:
        out.append(add_months(out[-1], 1))
    return out


def _hours(store: Store, rng: np.random.Generator, first_period: int) -> None:
    """Hourly data of categories 3–6 (points with data) from HOURLY_MONTHS months before the first
    open month through the end of the open month, one АСКУЭ batch per day; generated for a block of
    meters at a time so that memory does not grow with the months."""
    con = store.con
    start = first_day(add_months(first_period, -HOURLY_MONTHS))
    end = next_first_day(OPEN_PERIOD)
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    rows = store.all("""
        SELECT m.id, f.max_kw::DOUBLE, m.installed, coalesce(k.terminated_from, DATE '2100-01-01')
        FROM legal_meter m JOIN legal_point_fact f ON f.point_id = m.point_id AND f.valid_from <= m.installed
        JOIN legal_point p ON p.id = m.point_id JOIN calc_object o ON o.id = p.object_id
        JOIN contract k ON k.id = o.contract_id
        WHERE f.price_category >= 3 AND m.askue_code IS NOT NULL
          AND m.point_id NOT IN (SELECT point_id FROM t_nodata) ORDER BY m.id""")
    if not rows or not days:
        return
    meter = np.array([r[0] for r in rows], dtype=np.int64)
    kw = np.array([r[1] for r in rows])
    installed = np.array([r[2] for r in rows], dtype="datetime64[D]")
    ends = np.array([r[3] for r in rows], dtype="datetime64[D]")
    d = np.array(days, dtype="datetime64[D]")
    first_batch = store.next_id("import_batch")
    step = max(1, HOUR_CELLS // (len(days) * 24))
    for lo in range(0, len(rows), step):
        sl = slice(lo, lo + step)
        wh = hourly_load(rng, kw[sl], days)
        live = (installed[sl, None] <= d[None, :]) & (d[None, :] < ends[sl, None])
        status = np.zeros(wh.shape, np.int8)
        spikes = rng.random(wh.shape) < 0.0002
        wh[spikes] = np.broadcast_to((kw[sl] * 1250)[:, None, None], wh.shape)[spikes].astype(np.int64)
        status[spikes] = 2
        gaps = rng.random(wh.shape) < 0.0005
        status[gaps & ~spikes] = 1
        mi, di, hi = np.nonzero(np.broadcast_to(live[:, :, None], wh.shape))
        _arrow(con, "t_mh", {"meter": meter[sl][mi], "day": d[di], "hour": (hi + 1).astype(np.int8),
                             "wh": wh[mi, di, hi], "st": status[mi, di, hi],
                             "batch": first_batch + di.astype(np.int64)})
        del wh, status, spikes, gaps, mi, di, hi
        con.execute("""
            INSERT INTO meter_hour
            SELECT h.meter, h.day, h.hour, CASE h.st WHEN 1 THEN coalesce(lag(h.wh) OVER w, 0) ELSE h.wh END,
                CASE h.st WHEN 0 THEN 'measured' WHEN 1 THEN 'substituted' ELSE 'rejected' END, NULL,
                CASE h.st WHEN 1 THEN 'нет данных за час (интервалов: 0)'
                          WHEN 2 THEN 'больше максимальной мощности ' || f.max_kw || ' кВт' END, h.batch
            FROM t_mh h JOIN legal_meter m ON m.id = h.meter
            JOIN legal_point_fact f ON f.point_id = m.point_id AND f.valid_from <= h.day
                AND (f.valid_to IS NULL OR f.valid_to > h.day)
            WINDOW w AS (PARTITION BY h.meter, h.hour ORDER BY h.day)""")
        con.unregister("t_mh")
    inn = store.scalar("SELECT inn FROM supplier LIMIT 1")
    _arrow(con, "t_mh_batch", {"id": first_batch + np.arange(len(days), dtype=np.int64), "day": d,
                               "sha": [hashlib.sha256(f"demo-80020:{inn}:{x}".encode()).hexdigest() for x in days]})
    con.execute(f"""
        INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows, note)
        SELECT b.id, 'askue_80020', '80020_{inn}_' || strftime(b.day, '%Y%m%d') || '_demo.xml', b.sha, 'demo',
            coalesce(c.n, 0), 'АСКУЭ 80020 за ' || strftime(b.day, '%d.%m.%Y')
        FROM t_mh_batch b
        LEFT JOIN (SELECT batch_id, count(*) AS n FROM meter_hour WHERE batch_id >= {first_batch}
                   GROUP BY batch_id) c ON c.batch_id = b.id""")
    con.unregister("t_mh_batch")


def _integral_readings(store: Store, rng: np.random.Generator, first_period: int) -> None:
    """Integral readings of the category 1–2 meters (points with data): an opening reading at the end
    of the month before the first open one (or on the day the meter was installed), then one accepted
    reading per zone at every month end through the open month while the contract lasts, increasing
    by the month's consumption (winter higher) ÷ CT × VT; category 2 meters count 2 or 3 zones. One
    batch of the integral template per month, as `sbyt readings import` leaves it."""
    con = store.con
    rows = store.all("""
        SELECT m.id, f.price_category, f.max_kw::DOUBLE, m.ct_ratio * m.vt_ratio, m.installed,
               coalesce(k.terminated_from, DATE '2100-01-01')
        FROM legal_meter m JOIN legal_point_fact f ON f.point_id = m.point_id AND f.valid_from <= m.installed
        JOIN legal_point p ON p.id = m.point_id JOIN calc_object o ON o.id = p.object_id
        JOIN contract k ON k.id = o.contract_id
        WHERE f.price_category <= 2 AND m.point_id NOT IN (SELECT point_id FROM t_nodata) ORDER BY m.id""")
    if not rows:
        return
    n = len(rows)
    months = [add_months(first_period, -1)] + _months(first_period)
    meter = np.array([r[0] for r in rows], dtype=np.int64)
    cat = np.array([r[1] for r in rows])
    kw = np.array([r[2] for r in rows])
    ratio = np.array([r[3] for r in rows], dtype=np.float64)
    installed = np.array([r[4] for r in rows], dtype="datetime64[D]")
    ends = np.array([r[5] for r in rows], dtype="datetime64[D]")
    month_end = np.array([last_day(p) for p in months], dtype="datetime64[D]")
    opening = np.maximum(month_end[0], installed)
    final = ends - 1                               # a terminated contract: the final reading on its last day
    # the reading dates: column 0 the opening reading, then the month ends after it (or the final day)
    read_on = np.minimum(month_end[None, :], final[:, None])
    read_on[:, 0] = opening
    taken = np.ones(read_on.shape, bool)
    taken[:, 1:] = (month_end[None, :-1] < final[:, None]) & (month_end[None, 1:] > opening[:, None])
    taken &= ((opening < final) & (opening <= month_end[-1]))[:, None]
    prev = np.maximum(np.r_[month_end[:1], month_end[:-1]][None, :], opening[:, None])
    span = np.where(taken, (read_on - prev).astype(np.int64), 0)
    span[:, 0] = 0
    moy = np.array([p % 100 for p in months])
    season = 1 + 0.15 * np.cos(2 * np.pi * (moy - 1) / 12)
    kwh_day = kw * rng.uniform(0.12, 0.35, n) * 24
    kwh = kwh_day[:, None] * span * season[None, :] * rng.lognormal(0.0, 0.1, (n, len(months)))
    zones = np.where(cat == 2, np.where(rng.random(n) < 0.6, 2, 3), 1)
    two = rng.uniform(0.7, 0.85, n)
    peak, half = rng.uniform(0.28, 0.36, n), rng.uniform(0.40, 0.48, n)
    share = np.select([zones[:, None] == 1, zones[:, None] == 2],
                      [np.array([[1.0, 0.0, 0.0]]), np.c_[two, 1 - two, np.zeros(n)]],
                      np.c_[peak, half, 1 - peak - half])
    step = np.round(kwh[:, None, :] * share[:, :, None] / ratio[:, None, None] * 100).astype(np.int64)
    dial = rng.integers(100_000, 50_000_000, (n, 3))[:, :, None] + np.cumsum(step, axis=2)   # hundredths
    keep = taken[:, None, :] & (np.arange(3)[None, :] < zones[:, None])[:, :, None]
    mi, zi, ti = np.nonzero(keep)
    month_of = (read_on.astype("datetime64[M]").astype(np.int64) + 1970 * 12)
    period = (month_of // 12) * 100 + month_of % 12 + 1
    first_batch = store.next_id("import_batch")
    _arrow(con, "t_lr", {"meter": meter[mi], "zone": (zi + 1).astype(np.int8), "read_on": read_on[mi, ti],
                         "value": dial[mi, zi, ti], "batch": first_batch + np.searchsorted(months, period[mi, ti])})
    inn = store.scalar("SELECT inn FROM supplier LIMIT 1")
    _arrow(con, "t_lr_batch", {"id": first_batch + np.arange(len(months), dtype=np.int64),
                               "label": [period_label(p) for p in months],
                               "sha": [hashlib.sha256(f"demo-legal-readings:{inn}:{p}".encode()).hexdigest()
                                       for p in months]})
    first_id = store.next_id("legal_reading")
    con.execute(f"""
        INSERT INTO legal_reading (id, meter_id, zone, read_on, value, source, status, reason, batch_id,
                                   entered_at, entered_by)
        SELECT {first_id} - 1 + row_number() OVER (ORDER BY read_on, meter, zone), meter, zone, read_on,
            CAST(value * 0.01 AS DECIMAL(15, 4)), 'template', 'accepted', NULL, batch,
            read_on + INTERVAL 2 DAY, 'demo'
        FROM t_lr;
        INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows, note)
        SELECT b.id, 'legal_readings', 'Показания_ЮЛ_' || b.label || '_demo.xlsx', b.sha, 'demo', c.n,
            'интегральные показания ЮЛ (шаблон)'
        FROM t_lr_batch b JOIN (SELECT batch, count(*) AS n FROM t_lr GROUP BY batch) c ON c.batch = b.id""")
    con.unregister("t_lr")
    con.unregister("t_lr_batch")


def _contract_volumes(store: Store, rng: np.random.Generator, first_period: int) -> None:
    """The declared monthly volumes of every object of a supplied contract for the months the demo
    calculates: energy (kWh) about the month's metered volume (a point without data: from its
    maximum capacity), capacity (kW) for categories 3–6; one contract document 'volumes' per object
    and service, declared two months before the first open month (or at signing), as `sbyt contract
    plan` leaves them."""
    con = store.con
    months = _months(first_period)
    t = con.execute("""
        WITH months AS (SELECT unnest(?::INTEGER[]) AS period),
        obj AS (
            SELECT o.id AS object_id, o.contract_id, o.opened, k.starts, k.terminated_from, f.price_category AS cat,
                   f.max_kw::DOUBLE AS kw
            FROM calc_object o JOIN contract k ON k.id = o.contract_id
            JOIN legal_point p ON p.object_id = o.id
            JOIN legal_point_fact f ON f.point_id = p.id AND f.valid_from = p.opened
            WHERE k.state IN ('signed', 'terminated') AND k.kind <> 'manager'),
        vol AS (
            SELECT p.object_id, v.period, sum(v.volume_wh) AS wh
            FROM legal_meter_month v JOIN legal_meter m ON m.id = v.meter_id JOIN legal_point p ON p.id = m.point_id
            WHERE v.period >= ? GROUP BY ALL)
        SELECT obj.object_id, obj.contract_id, months.period, obj.cat, obj.kw, coalesce(vol.wh, -1) AS wh
        FROM obj CROSS JOIN months LEFT JOIN vol ON vol.object_id = obj.object_id AND vol.period = months.period
        WHERE obj.starts <= last_day(make_date(months.period // 100, months.period % 100, 1))
          AND (obj.terminated_from IS NULL OR obj.terminated_from > make_date(months.period // 100, months.period % 100, 1))
          AND obj.opened <= last_day(make_date(months.period // 100, months.period % 100, 1))
        ORDER BY obj.object_id, months.period""", [months, first_period]).fetchnumpy()
    if not len(t["object_id"]):
        return
    n = len(t["object_id"])
    period = t["period"].astype(np.int64)
    hours = np.array([days_in(int(p)) * 24 for p in period], dtype=np.float64)
    wh = t["wh"].astype(np.float64)
    guess = t["kw"].astype(np.float64) * rng.uniform(0.15, 0.35, n) * hours * 1000
    base_wh = np.where(wh >= 0, wh, guess)
    energy = np.round(base_wh / 1000 * rng.lognormal(0.0, 0.08, n))
    capacity = np.round(base_wh / hours / 1000 * rng.uniform(1.2, 1.5, n))
    hourly = t["cat"].astype(np.int64) >= 3
    _arrow(con, "t_cv", {
        "object_id": np.r_[t["object_id"], t["object_id"][hourly]].astype(np.int64),
        "contract_id": np.r_[t["contract_id"], t["contract_id"][hourly]].astype(np.int64),
        "service": np.r_[np.full(n, "energy"), np.full(int(hourly.sum()), "capacity")],
        "period": np.r_[period, period[hourly]], "volume": np.r_[energy, capacity[hourly]].astype(np.int64)})
    first_doc = store.next_id("contract_doc")
    declared = first_day(add_months(first_period, -2))
    con.execute(f"""
        CREATE TEMP TABLE t_cv_doc AS
        SELECT {first_doc} - 1 + row_number() OVER (ORDER BY v.object_id, v.service) AS id, v.object_id, v.service,
            any_value(v.contract_id) AS contract_id, any_value(o.code) AS code,
            greatest(any_value(k.signed_on), DATE '{declared}') AS doc_date,
            '{{"object": "' || any_value(o.code) || '", "service": "' || v.service || '", "volumes": [' ||
            string_agg('"' || lpad((v.period % 100)::VARCHAR, 2, '0') || '.' || (v.period // 100)::VARCHAR || ': ' ||
                       CAST(v.volume AS DECIMAL(18, 3))::VARCHAR || '"', ', ' ORDER BY v.period) || ']}}' AS changes
        FROM t_cv v JOIN calc_object o ON o.id = v.object_id JOIN contract k ON k.id = v.contract_id
        GROUP BY v.object_id, v.service;
        INSERT INTO contract_doc (id, contract_id, kind, doc_date, doc_no, effective, changes, note, created_by)
        SELECT id, contract_id, 'volumes', doc_date, NULL, NULL, changes, NULL, 'demo' FROM t_cv_doc ORDER BY id;
        INSERT INTO contract_volume
        SELECT v.contract_id, v.object_id, v.service, v.period, CAST(v.volume AS DECIMAL(18, 3)), d.id
        FROM t_cv v JOIN t_cv_doc d ON d.object_id = v.object_id AND d.service = v.service;
        DROP TABLE t_cv_doc""")
    con.unregister("t_cv")


__all__ = ["LegalShape", "hourly_load", "legal_shape"]
