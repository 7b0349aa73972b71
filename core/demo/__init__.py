"""A synthetic but realistic demo region, built in bulk and deterministically from a seed.

The region: a few districts, each with a town and villages; apartment buildings (МКД) with flats,
communal flats and non-residential premises; private houses; about 80 % metered accounts with
13 months of reading history (single-, two- and three-zone meters, non-submitters, broken and
expired meters, replacements with rollover), unmetered dwellings, mid-month changes of residents,
common meters (ОДПУ) on most apartment buildings, opening balances.

Everything is generated with NumPy from one `numpy.random.Generator` and written through Arrow in
a few bulk INSERT ... SELECT statements, so 1 000 000 accounts take seconds, not hours. Names come
from pools drawn once from Faker's ru_RU provider (seeded), never from a per-row Faker call.

Stages: `shape` (calendar, size, name pools), `reference`, `addresses`, `region` (buildings and
accounts), `readings` (meters and readings, common meters), `balances`, `legal` (legal entities, their
hourly data, integral readings and contract volumes), `prices` (the legal entities' price data and
hourly plans of every calculated month); here the build and its summary.
"""

from __future__ import annotations

import numpy as np

from sbyt.core.demo.addresses import _addresses
from sbyt.core.demo.balances import _opening_balances
from sbyt.core.demo.legal import _legal_entities, _months
from sbyt.core.demo.prices import _legal_prices
from sbyt.core.demo.readings import _meters_and_readings
from sbyt.core.demo.reference import _reference
from sbyt.core.demo.region import _buildings_and_accounts
from sbyt.core.demo.shape import MAX_CYCLE_MONTHS, OPEN_PERIOD, Progress, _pools, _shape
from sbyt.core.money import format_rub
from sbyt.core.periods import add_months, period_label
from sbyt.core.reference import install_reference
from sbyt.core.search import refresh_search_index
from sbyt.core.store import Store


def build_demo(store: Store, accounts: int, seed: int = 7, months: int = 0,
               progress: Progress | None = None) -> dict[str, object]:
    """Fill an empty store with a demo region; returns a deterministic summary.

    The first open period is `months` months before 2026-11, so that the demo's monthly cycle
    (`sbyt.calc.demo_cycle`, which needs the engine and lives above core) can then calculate,
    take payments and close `months` months, ending with the open month 2026-11.
    """
    if not 0 <= months <= MAX_CYCLE_MONTHS:
        raise ValueError(f"демо-регион: от 0 до {MAX_CYCLE_MONTHS} месяцев цикла")
    if accounts < 100:
        raise ValueError("демо-регион: не меньше 100 лицевых счетов")
    if store.scalar("SELECT count(*) FROM account"):
        from sbyt.core.errors import RefusedError

        raise RefusedError(f"База {store.path} уже содержит лицевые счета: демо-регион строится только в пустой базе.")
    tick = progress or (lambda stage, frac: None)
    rng = np.random.default_rng(seed)
    shape = _shape(accounts)
    pools = _pools(seed)
    first_period = add_months(OPEN_PERIOD, -months)
    install_reference(store)
    with store.transaction():
        tick("Справочники", 0.0)
        _reference(store, rng, pools, shape)
        urban_streets, rural_streets = _addresses(store, rng, pools, shape)
        tick("Дома и помещения", 0.05)
        region = _buildings_and_accounts(store, rng, pools, shape, urban_streets, rural_streets)
        tick("Приборы учёта", 0.35)
        _meters_and_readings(store, rng, region, tick)
        tick("Сальдо на начало", 0.95)
        _opening_balances(store, rng, accounts, first_period)
        tick("Юридические лица", 0.96)
        _legal_entities(store, seed, pools, accounts, first_period)
        tick("Цены и плановые объёмы ЮЛ", 0.97)
        _legal_prices(store, np.random.default_rng(seed + 17), _months(first_period))
        store.execute("INSERT INTO billing_period (period, status) VALUES (?, 'open')", [first_period])
        _sync_sequences(store)
        store.set_meta("demo", f"accounts={accounts};seed={seed}")
    tick("Поисковый индекс", 0.98)
    refresh_search_index(store)
    tick("Готово", 1.0)
    return summary(store)


def _sync_sequences(store: Store) -> None:
    """After bulk inserts with explicit ids, restart the sequences past the highest id."""
    for seq, table in [("reading_seq", "reading"), ("posting_seq", "posting"), ("seal_seq", "seal"),
                       ("meter_act_seq", "meter_act"), ("import_batch_seq", "import_batch"),
                       ("audit_log_seq", "audit_log")]:
        nxt = store.next_id(table)
        store.execute(f"CREATE OR REPLACE SEQUENCE {seq} START {nxt}")


def _open_label(period: int | None) -> str:
    return period_label(period) if period else "нет"


def summary(store: Store) -> dict[str, object]:
    """Counts and totals that depend only on the store's content (deterministic for a seed)."""
    q = store.scalar
    return {
        "Районов": q("SELECT count(*) FROM district"),
        "Населённых пунктов": q("SELECT count(*) FROM settlement"),
        "Улиц": q("SELECT count(*) FROM street"),
        "МКД": q("SELECT count(*) FROM building WHERE kind = 'mkd'"),
        "Частных домов": q("SELECT count(*) FROM building WHERE kind = 'house'"),
        "Помещений": q("SELECT count(*) FROM premise"),
        "Лицевых счетов": q("SELECT count(*) FROM account"),
        "Коммунальных квартир": q("SELECT count(*) FROM premise WHERE communal"),
        "Приборов учёта (ИПУ)": q("SELECT count(*) FROM meter m JOIN metering_point p ON p.id = m.metering_point_id WHERE p.kind <> 'common'"),
        "ОДПУ": q("SELECT count(*) FROM meter m JOIN metering_point p ON p.id = m.metering_point_id WHERE p.kind = 'common'"),
        "Показаний": q("SELECT count(*) FROM reading"),
        "Открытый период": _open_label(q("SELECT max(period) FROM billing_period WHERE status = 'open'")),
        "Закрытых периодов": q("SELECT count(*) FROM billing_period WHERE status = 'closed'"),
        "Контрагентов ЮЛ": q("SELECT count(*) FROM counterparty"),
        "Договоров ЮЛ": q("SELECT count(*) FROM contract"),
        "Точек поставки ЮЛ": q("SELECT count(*) FROM legal_point"),
        "Часов данных АСКУЭ": q("SELECT count(*) FROM meter_hour"),
        "Показаний ЮЛ": q("SELECT count(*) FROM legal_reading"),
        "Договорных объёмов": q("SELECT count(*) FROM contract_volume"),
        "Месяцев с ценами ЮЛ": q("SELECT count(DISTINCT period) FROM price_component"),
        "Почасовых ставок": q("SELECT count(*) FROM price_hour"),
        "Часов пика АТС": q("SELECT count(*) FROM peak_hour"),
        "Плановых часов ЦК5–6": q("SELECT count(*) FROM hour_plan"),
        "Сальдо, ₽": format_rub(int(q("SELECT coalesce(sum(amount_kop), 0) FROM posting"))),
    }


__all__ = ["build_demo", "summary"]
