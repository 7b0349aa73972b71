"""The loading templates: every loadable entity, in loading order.

The definitions live by subject (`organisations`, `addresses`, `tariffs`, `accounts`, `meters`, `legal`;
the model in `sbyt.core.loading.entity`). The order of `ENTITIES` is the loading order (an entity
comes after those it refers to) and the order of the generated templates and docs: keep it.
"""

from __future__ import annotations

from sbyt.core.loading.entity import Entity
from sbyt.core.loading.entities.accounts import PREMISES, ACCOUNTS, ACCOUNT_FACTS, ABSENCES, OPENING_BALANCES
from sbyt.core.loading.entities.legal import FUNCTIONS, LEGAL
from sbyt.core.loading.entities.addresses import DISTRICTS, SETTLEMENTS, STREETS, BUILDINGS, BUILDING_FACTS
from sbyt.core.loading.entities.meters import METERING_POINTS, SUPPLY_STATES, METERS, SEALS, READINGS, METER_ACTS
from sbyt.core.loading.entities.organisations import SUPPLIER, MANAGERS
from sbyt.core.loading.entities.tariffs import TARIFF_GROUPS, TARIFFS, NORMATIVES, SOI_NORMATIVES

ENTITIES: tuple[Entity, ...] = (
    SUPPLIER,
    DISTRICTS,
    SETTLEMENTS,
    STREETS,
    MANAGERS,
    TARIFF_GROUPS,
    TARIFFS,
    NORMATIVES,
    SOI_NORMATIVES,
    BUILDINGS,
    BUILDING_FACTS,
    PREMISES,
    ACCOUNTS,
    ACCOUNT_FACTS,
    ABSENCES,
    METERING_POINTS,
    SUPPLY_STATES,
    METERS,
    SEALS,
    READINGS,
    METER_ACTS,
    OPENING_BALANCES,
    *LEGAL,
)

BY_NAME = {e.name: e for e in ENTITIES}
SQL_FUNCTIONS = FUNCTIONS   # Python checks the entities' SQL calls (the engine registers them)

__all__ = ["BY_NAME", "ENTITIES", "SQL_FUNCTIONS", "Entity"]
