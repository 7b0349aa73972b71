-- include: example1_base.sql
-- DOMAIN §12 example 1 as source data for the whole monthly run (readings, normative). Month 2026-11 open; building 1 under direct management.
INSERT INTO meter VALUES
    (1, 1, 'Нева 101', 'FL-0001', 6, 1, 1, DATE '2019-01-01', NULL, DATE '2019-01-01', 16, 'working', NULL),
    (2, 2, 'Нева 101', 'FL-0002', 6, 1, 1, DATE '2019-01-01', NULL, DATE '2019-01-01', 16, 'working', NULL);
INSERT INTO reading VALUES
    (5, 1, 1, DATE '2026-10-24', 3000, 'regular', 'operator', 'accepted', NULL, NULL, current_timestamp, 'test'),
    (6, 1, 1, DATE '2026-11-24', 3000 + {flat1_kwh}, 'regular', 'operator', 'accepted', NULL, NULL, current_timestamp, 'test'),
    (7, 2, 1, DATE '2026-10-24', 10000, 'regular', 'operator', 'accepted', NULL, NULL, current_timestamp, 'test'),
    (8, 2, 1, DATE '2026-11-24', 10000 + {flat2_kwh}, 'regular', 'operator', 'accepted', NULL, NULL, current_timestamp, 'test');
-- flat 3 has no meter: 4 residents × 1 000 kWh (an exaggerated normative, to give 4 000 kWh)
INSERT INTO normative VALUES (3, 4, 'none', DATE '2017-01-01', NULL, 1000);
UPDATE account_fact SET residents_registered = 4, residents_living = 4 WHERE account_id = 3;
INSERT INTO supply_state SELECT id, DATE '2015-01-01', NULL, 'connected', NULL FROM metering_point;
