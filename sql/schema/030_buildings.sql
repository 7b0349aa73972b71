-- Apartment buildings (МКД): dated documents, direct contracts, supply points, and the results of
-- the monthly ОДН step (per building, per premise, imbalances and managing-company volumes).
-- Conventions as in 001_core.sql; see docs/buildings.md and docs/odn.md.

-- Documents of a building's life: opening, closing, change of characteristics, common meters.
-- Every document is also written to audit_log by the service that creates it.
CREATE TABLE building_doc (
    id           BIGINT PRIMARY KEY,
    building_id  BIGINT NOT NULL,
    kind         VARCHAR NOT NULL CHECK (kind IN ('open', 'close', 'fact', 'meter_install', 'meter_remove',
                                                   'meter_state', 'verification', 'seal', 'direct_contract',
                                                   'supply_point')),
    doc_date     DATE NOT NULL,
    doc_no       VARCHAR,
    note         VARCHAR,
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by   VARCHAR NOT NULL
);
CREATE SEQUENCE building_doc_seq START 1;

-- Direct contracts (прямые договоры, ЖК 157.2): residents of the building pay the supplier
-- directly for their premises; valid_to exclusive.
CREATE TABLE building_direct_contract (
    building_id  BIGINT NOT NULL,
    valid_from   DATE NOT NULL,
    valid_to     DATE,
    basis        VARCHAR,                    -- e.g. decision of the general meeting, its number/date
    PRIMARY KEY (building_id, valid_from)
);

-- Supply points of a building (where the grid hands energy over).
CREATE TABLE supply_point (
    id           BIGINT PRIMARY KEY,
    building_id  BIGINT NOT NULL,
    code         VARCHAR NOT NULL UNIQUE,
    name         VARCHAR NOT NULL,
    voltage      VARCHAR CHECK (voltage IN ('ВН', 'СН1', 'СН2', 'НН')),
    valid_from   DATE NOT NULL,
    valid_to     DATE
);

-- Results of the ОДН step for a period, one row per apartment building calculated.
-- source: readings (common meter read this month), average (common meter missing/broken, average of
-- earlier months), normative (no common meter, or average no longer allowed).
CREATE TABLE odn_result (
    period             INTEGER NOT NULL,
    building_id        BIGINT NOT NULL,
    method             VARCHAR NOT NULL CHECK (method IN ('odn_meter', 'odn_normative')),
    source             VARCHAR NOT NULL CHECK (source IN ('readings', 'average', 'normative')),
    management         VARCHAR NOT NULL,
    manager_id         INTEGER,
    billed_to          VARCHAR NOT NULL CHECK (billed_to IN ('residents', 'manager')),
    common_wh          BIGINT,               -- common meter volume (or its average), incl. ratio
    heating_wh         BIGINT NOT NULL DEFAULT 0,
    nonres_wh          BIGINT NOT NULL DEFAULT 0,
    unmetered_wh       BIGINT NOT NULL DEFAULT 0,
    metered_wh         BIGINT NOT NULL DEFAULT 0,
    raw_wh             BIGINT NOT NULL,      -- before cap; negative = imbalance
    cap_wh             BIGINT,               -- N_soi * S_common; NULL = no СОИ normative known
    odn_wh             BIGINT NOT NULL,      -- distributed over the premises (>= 0)
    area_total         DECIMAL(14, 2) NOT NULL,  -- Σ areas of the premises that share ОДН
    area_common        DECIMAL(14, 2) NOT NULL,
    soi_kwh_per_m2     DECIMAL(10, 4),
    average_months     SMALLINT,             -- source 'average': months averaged
    average_run        SMALLINT,             -- source 'average': consecutive months by average so far
    premises           INTEGER NOT NULL,
    remainder_premise_id BIGINT,             -- the premise that received the rounding remainder
    remainder_wh       BIGINT NOT NULL DEFAULT 0,
    calc_at            TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (period, building_id)
);

-- The common meter's volume by zone for the period (for the detail form); one row per meter/zone.
CREATE TABLE odn_meter_volume (
    period        INTEGER NOT NULL,
    building_id   BIGINT NOT NULL,
    meter_id      BIGINT NOT NULL,
    service       VARCHAR NOT NULL,          -- electricity or heating
    zone          TINYINT NOT NULL,
    prev_value    BIGINT,
    prev_on       DATE,
    cur_value     BIGINT,
    cur_on        DATE,
    ratio         INTEGER NOT NULL,
    volume_wh     BIGINT NOT NULL,
    PRIMARY KEY (period, meter_id, zone)
);

-- Distribution of a building's ОДН over its premises (residential and non-residential).
CREATE TABLE odn_share (
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
    zone3_wh       BIGINT NOT NULL,
    PRIMARY KEY (period, premise_id)
);

-- Imbalance: the common meter showed less than the premises (raw ОДН negative).
CREATE TABLE odn_imbalance (
    period         INTEGER NOT NULL,
    building_id    BIGINT NOT NULL,
    common_wh      BIGINT NOT NULL,
    premises_wh    BIGINT NOT NULL,          -- nonres + unmetered + metered + heating
    imbalance_wh   BIGINT NOT NULL,          -- premises_wh - common_wh > 0
    PRIMARY KEY (period, building_id)
);

-- Volume of common-property electricity owed by the managing company of a managed building, for
-- the legal-entity side. Negative results are carried forward to reduce later months.
CREATE TABLE odn_manager_volume (
    period         INTEGER NOT NULL,
    building_id    BIGINT NOT NULL,
    manager_id     INTEGER,
    raw_wh         BIGINT NOT NULL,          -- this month's ОДН before carry (may be negative)
    carry_in_wh    BIGINT NOT NULL DEFAULT 0, -- <= 0, carried from the previous month
    volume_wh      BIGINT NOT NULL,          -- max(0, raw + carry_in): what the manager buys
    carry_out_wh   BIGINT NOT NULL DEFAULT 0, -- min(0, raw + carry_in)
    source         VARCHAR NOT NULL,
    PRIMARY KEY (period, building_id)
);
