"""Calc fixtures: a tiny scenario builder that loads master data through SQL (like `sbyt load`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sbyt.core.store import Store


class Scenario:
    """Builds households in a store: buildings, premises, accounts, facts, points, meters, readings."""

    def __init__(self, store: Store) -> None:
        self.st = store
        self._n = 0
        store.execute("INSERT INTO district VALUES (1, 'D1', 'Центральный')")
        store.execute("INSERT INTO settlement VALUES (1, 'S1', 1, 'г. Энск', 'urban')")
        store.execute("INSERT INTO street VALUES (1, 'ST1', 1, 'ул. Ленина')")
        store.execute("INSERT INTO building (id, code, street_id, house_no, kind) VALUES (1, 'B1', 1, '1', 'mkd')")
        store.execute("INSERT INTO tariff_group VALUES ('U', 'Городское население', 'urban'),"
                      " ('S', 'Городское с электроплитами', 'urban_stove')")

    def _id(self) -> int:
        self._n += 1
        return self._n

    def tariff(self, group: str, price: str, zones: int = 1, zone: int = 1,
               valid_from: date = date(2020, 1, 1), valid_to: date | None = None) -> None:
        self.st.execute("INSERT INTO tariff VALUES (?, ?, ?, ?, ?, ?)",
                        [group, zones, zone, valid_from, valid_to, Decimal(price)])

    def normative(self, rooms: int, residents: int, equipment: str, kwh: str,
                  valid_from: date = date(2020, 1, 1), valid_to: date | None = None) -> None:
        self.st.execute("INSERT INTO normative VALUES (?, ?, ?, ?, ?, ?)",
                        [rooms, residents, equipment, valid_from, valid_to, Decimal(kwh)])

    def premise(self, rooms: int = 1, kind: str = "flat", parent: int | None = None,
                meter_impossible: bool = False, communal: bool = False) -> int:
        pid = self._id()
        self.st.execute("INSERT INTO premise (id, building_id, number, kind, parent_id, area, rooms, communal,"
                        " meter_impossible) VALUES (?, 1, ?, ?, ?, 50, ?, ?, ?)",
                        [pid, str(pid), kind, parent, rooms, communal, meter_impossible])
        return pid

    def account(self, *, rooms: int = 1, residents: int = 1, registered: int = 0, owners: int = 1,
                equipment: str = "none", group: str = "U", opened: date = date(2020, 1, 1),
                premise: int | None = None, point: bool = True, parent_point: int | None = None,
                meter_impossible: bool = False) -> tuple[int, str, int | None]:
        """(account id, number, metering point id)."""
        aid = self._id()
        number = f"{aid:010d}"
        prem = premise or self.premise(rooms, meter_impossible=meter_impossible)
        self.st.execute("INSERT INTO account (id, number, holder_name, premise_id, opened) VALUES (?, ?, ?, ?, ?)",
                        [aid, number, f"Абонент {aid}", prem, opened])
        self.fact(aid, opened, None, residents=residents, registered=registered, owners=owners,
                  equipment=equipment, group=group)
        mp = None
        if point:
            mp = self.point(account=aid, premise=prem, parent=parent_point)
        return aid, number, mp

    def fact(self, account: int, valid_from: date, valid_to: date | None, *, residents: int = 1,
             registered: int = 0, owners: int = 1, equipment: str = "none", group: str = "U") -> None:
        self.st.execute("INSERT INTO account_fact VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [account, valid_from, valid_to, registered, residents, owners, equipment, group])

    def point(self, *, account: int | None = None, premise: int | None = None, kind: str = "individual",
              parent: int | None = None, zones: int = 1, connected: date = date(2020, 1, 1),
              disconnected: date | None = None) -> int:
        mp = self._id()
        self.st.execute("INSERT INTO metering_point (id, kind, account_id, premise_id, parent_id, zones, connected,"
                        " disconnected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [mp, kind, account, premise, parent, zones, connected, disconnected])
        return mp

    def meter(self, point: int, *, installed: date = date(2020, 1, 1), removed: date | None = None,
              digits: int = 6, zones: int = 1, ratio: int = 1, state: str = "working",
              state_since: date | None = None) -> int:
        mid = self._id()
        self.st.execute("INSERT INTO meter (id, metering_point_id, model, serial, digits, zones, ratio, installed,"
                        " removed, state, state_since) VALUES (?, ?, 'СЕ101', ?, ?, ?, ?, ?, ?, ?, ?)",
                        [mid, point, f"SN{mid}", digits, zones, ratio, installed, removed, state, state_since])
        return mid

    def reading(self, meter: int, read_on: date, value: int, zone: int = 1, status: str = "accepted",
                kind: str = "regular") -> None:
        rid = self._id()
        self.st.execute("INSERT INTO reading (id, meter_id, zone, read_on, value, kind, source, status)"
                        " VALUES (?, ?, ?, ?, ?, ?, 'operator', ?)", [rid, meter, zone, read_on, value, kind, status])

    def act(self, point: int, kind: str, on: date) -> None:
        self.st.execute("INSERT INTO meter_act (id, metering_point_id, kind, act_date) VALUES (?, ?, ?, ?)",
                        [self._id(), point, kind, on])

    def absence(self, account: int, date_from: date, date_to: date) -> None:
        self.st.execute("INSERT INTO absence VALUES (?, ?, ?, NULL)", [account, date_from, date_to])

    def open(self, period: int) -> None:
        from sbyt.calc.close import open_first

        open_first(self.st, period)


@pytest.fixture
def scen(store: Store) -> Scenario:
    return Scenario(store)
