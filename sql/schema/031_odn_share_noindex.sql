-- odn_share is a big table (one row per premise and month: ~7 million a month for 10 million
-- accounts) written in bulk by the ОДН step, which replaces a month's rows in one transaction.
-- Like the other big bulk tables (001_core.sql: accrual_line, reading, posting) it carries no index:
-- DuckDB keeps a PRIMARY KEY as an ART index, which made the monthly rewrite ~5x slower (delete +
-- insert + commit ≈ 20 s for 7 million rows) and held the index in memory. Uniqueness of
-- (period, premise_id) is guaranteed by the step (delete the month, insert each premise once).
CREATE TABLE odn_share_031 (
    period         INTEGER NOT NULL,
    building_id    BIGINT NOT NULL,
    premise_id     BIGINT NOT NULL,
    account_id     BIGINT,                   -- the household account billed (NULL: not billed)
    kind           VARCHAR NOT NULL,         -- flat, room, nonres
    area           DECIMAL(12, 2) NOT NULL,
    metered        BOOLEAN NOT NULL,
    individual_wh  BIGINT NOT NULL,
    odn_wh         BIGINT NOT NULL,
    zone1_wh       BIGINT NOT NULL,          -- ОДН split by the common meter's zone proportions
    zone2_wh       BIGINT NOT NULL,
    zone3_wh       BIGINT NOT NULL
);
INSERT INTO odn_share_031 SELECT * FROM odn_share;
DROP TABLE odn_share;
ALTER TABLE odn_share_031 RENAME TO odn_share;
