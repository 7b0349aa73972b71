-- DOMAIN §12 example 1, the building and its ОДПУ as store rows. Month 2026-11 open; building 1 under
-- direct management. Loaded first by example1.sql and example1_full.sql.
INSERT INTO billing_period (period, status) VALUES (202611, 'open');
INSERT INTO district VALUES (1, 'D1', 'Центральный район');
INSERT INTO settlement VALUES (1, 'S1', 1, 'г. Энск', 'urban');
INSERT INTO street VALUES (1, 'ST1', 1, 'ул. Ленина');
INSERT INTO tariff_group VALUES ('urban', 'Городское население', 'urban');
INSERT INTO tariff VALUES ('urban', 1, 1, DATE '2026-07-01', NULL, 1.936);
INSERT INTO soi_normative VALUES ('lift', DATE '2017-01-01', NULL, 2.0);
INSERT INTO building VALUES (1, 'B1', 1, '41', 'mkd', 9, 1980, 1, DATE '2010-01-01', NULL);
INSERT INTO building_fact VALUES (1, DATE '2010-01-01', NULL, 'direct', NULL, 2000, 400, 1500, 'lift');
-- premises: flat 1 (60 m², metered), flat 2 (1 140 m², metered), flat 3 (800 m², by normative),
-- shop (400 m², metered without a household account)
INSERT INTO premise VALUES
    (1, 1, '1', 'flat', NULL, NULL, 60, 2, false, false),
    (2, 1, '2', 'flat', NULL, NULL, 1140, 3, false, false),
    (3, 1, '3', 'flat', NULL, NULL, 800, 3, false, false),
    (4, 1, 'Н1', 'nonres', NULL, NULL, 400, 1, false, false);
INSERT INTO account VALUES
    (1, '1500000001', 'Иванов Иван Иванович', 1, DATE '2015-01-01', NULL, NULL, NULL, false),
    (2, '1500000002', 'Петров Пётр Петрович', 2, DATE '2015-01-01', NULL, NULL, NULL, false),
    (3, '1500000003', 'Сидорова Анна Сергеевна', 3, DATE '2015-01-01', NULL, NULL, NULL, false);
INSERT INTO account_fact VALUES
    (1, DATE '2015-01-01', NULL, 2, 2, 1, 'none', 'urban'),
    (2, DATE '2015-01-01', NULL, 3, 3, 1, 'none', 'urban'),
    (3, DATE '2015-01-01', NULL, 3, 3, 1, 'none', 'urban');
-- metering points: flats 1-3 individual, the shop (no account), the common meter
INSERT INTO metering_point VALUES
    (1, 'individual', 1, 1, NULL, NULL, 'electricity', 1, DATE '2015-01-01', NULL),
    (2, 'individual', 2, 2, NULL, NULL, 'electricity', 1, DATE '2015-01-01', NULL),
    (3, 'individual', 3, 3, NULL, NULL, 'electricity', 1, DATE '2015-01-01', NULL),
    (4, 'individual', NULL, 4, NULL, NULL, 'electricity', 1, DATE '2015-01-01', NULL),
    (5, 'common', NULL, NULL, 1, NULL, 'electricity', 1, DATE '2015-01-01', NULL);
INSERT INTO meter VALUES
    (4, 4, 'Меркурий 230', 'NR-0004', 6, 1, 1, DATE '2019-01-01', NULL, DATE '2019-01-01', 16, 'working', NULL),
    (5, 5, 'Меркурий 234 ARTM-03 (ТТ)', 'OD-0005', 6, 1, 10, DATE '2019-01-01', NULL, DATE '2019-01-01', 16, 'working', NULL);
INSERT INTO reading VALUES
    (1, 4, 1, DATE '2026-10-25', 20000, 'regular', 'operator', 'accepted', NULL, NULL, current_timestamp, 'test'),
    (2, 4, 1, DATE '2026-11-25', 21000, 'regular', 'operator', 'accepted', NULL, NULL, current_timestamp, 'test'),
    (3, 5, 1, DATE '2026-10-31', 5000, 'regular', 'askue', 'accepted', NULL, NULL, current_timestamp, 'test'),
    (4, 5, 1, DATE '2026-11-30', 6200, 'regular', 'askue', 'accepted', NULL, NULL, current_timestamp, 'test');
