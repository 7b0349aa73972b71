"""Billed hourly volumes of legal-entity supply points, transit deducted.

A point's measured volume in an hour is the sum over its measuring complexes of their hourly
volumes (`meter_hour`, rejected hours left out). A transit point (`legal_point.head_point_id`) is
fed through its head consumer's network, so the head's billed volume is its measured volume less
the measured volumes of its transit points in the same hour (legal.md §E.1). A negative result is
kept as it is and flagged, never silently zeroed. Volumes are whole Wh.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from sbyt.core.store import Store


def hourly_volumes(store: Store, point_codes: list[str], first: date, last: date) -> pa.Table:
    """(point, day, hour, measured_wh, transit_wh, billed_wh, negative) of the given points, days
    `first`..`last`, hours with data at the point or at one of its transit points."""
    return store.con.execute("""
        WITH pts AS (SELECT id, code FROM legal_point WHERE code IN (SELECT unnest(?::VARCHAR[]))),
        own AS (SELECT m.point_id, h.day, h.hour, sum(h.value_wh) AS wh
                FROM meter_hour h JOIN legal_meter m ON m.id = h.meter_id
                WHERE h.status <> 'rejected' AND h.day BETWEEN ? AND ?
                GROUP BY ALL),
        transit AS (SELECT p.head_point_id AS point_id, o.day, o.hour, sum(o.wh) AS wh
                    FROM own o JOIN legal_point p ON p.id = o.point_id
                    WHERE p.head_point_id IN (SELECT id FROM pts) GROUP BY ALL),
        keys AS (SELECT point_id, day, hour FROM own WHERE point_id IN (SELECT id FROM pts)
                 UNION SELECT point_id, day, hour FROM transit)
        SELECT pts.code AS point, k.day, k.hour, coalesce(o.wh, 0)::BIGINT AS measured_wh,
               coalesce(t.wh, 0)::BIGINT AS transit_wh,
               (coalesce(o.wh, 0) - coalesce(t.wh, 0))::BIGINT AS billed_wh,
               coalesce(o.wh, 0) < coalesce(t.wh, 0) AS negative
        FROM keys k JOIN pts ON pts.id = k.point_id
        LEFT JOIN own o USING (point_id, day, hour) LEFT JOIN transit t USING (point_id, day, hour)
        ORDER BY point, day, hour""", [point_codes, first, last]).to_arrow_table()
