-- sbyt core schema: household master data, reference data, periods, import batches, audit,
-- readings, accrual lines and the append-only ledger.
--
-- Conventions (see docs/architecture.md):
--   * money: BIGINT kopecks (`*_kop`); volumes: BIGINT watt-hours = kWh with 3 decimals (`*_wh`);
--     readings: BIGINT whole kWh; areas: DECIMAL(12,2) m^2; prices: DECIMAL(12,4) RUB/kWh incl. VAT.
--   * periods: INTEGER YYYYMM.
--   * effective dating: valid_from inclusive, valid_to exclusive, NULL valid_to = open.
--   * surrogate BIGINT ids for speed; natural keys (codes, numbers) are UNIQUE and used by `sbyt load`.
--   * no foreign-key constraints: DuckDB checks them row by row and they block bulk rewrites;
--     references are validated by the services and loaders before anything is written.
--   * big append-only tables (reading, accrual_line, posting) carry no index at all.

-- ---------------------------------------------------------------- housekeeping
CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE import_batch (
    id          BIGINT PRIMARY KEY,
    kind        VARCHAR NOT NULL,            -- load, readings, payments, rates, odpu_readings, ...
    file_name   VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by  VARCHAR NOT NULL,
    rows        BIGINT NOT NULL DEFAULT 0,
    total_kop   BIGINT NOT NULL DEFAULT 0,
    note        VARCHAR,
    UNIQUE (kind, sha256)
);
CREATE SEQUENCE import_batch_seq START 1;

CREATE TABLE audit_log (
    id         BIGINT PRIMARY KEY,
    logged_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    user_name  VARCHAR NOT NULL,
    action     VARCHAR NOT NULL,             -- insert, update, delete, command
    entity     VARCHAR NOT NULL,
    entity_id  VARCHAR,
    old_value  VARCHAR,                      -- JSON
    new_value  VARCHAR                       -- JSON
);
CREATE SEQUENCE audit_log_seq START 1;

CREATE TABLE billing_period (
    period     INTEGER PRIMARY KEY,          -- YYYYMM
    status     VARCHAR NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    calc_at    TIMESTAMP,
    closed_at  TIMESTAMP,
    closed_by  VARCHAR
);

-- ---------------------------------------------------------------- reference data
CREATE TABLE supplier (
    valid_from    DATE NOT NULL PRIMARY KEY,
    valid_to      DATE,
    name          VARCHAR NOT NULL,
    inn           VARCHAR NOT NULL,
    kpp           VARCHAR NOT NULL,
    bank_account  VARCHAR NOT NULL,
    bank_name     VARCHAR NOT NULL,
    bic           VARCHAR NOT NULL,
    corr_account  VARCHAR NOT NULL,
    address       VARCHAR NOT NULL,
    phone         VARCHAR,
    email         VARCHAR,
    website       VARCHAR
);

-- Bank of Russia key rate, percent, effective from a date until the next row.
CREATE TABLE key_rate (
    valid_from DATE PRIMARY KEY,
    rate       DECIMAL(7, 3) NOT NULL
);

-- Dated rules: VAT, penalty fractions, moratoria, the 9.5 % cap, due days, averaging limits, ...
-- One row per (code, valid_from); `value` is numeric, `text_value` for the rare textual rule.
CREATE TABLE dated_rule (
    code        VARCHAR NOT NULL,
    valid_from  DATE NOT NULL,
    valid_to    DATE,
    value       DECIMAL(18, 6),
    text_value  VARCHAR,
    note        VARCHAR,
    PRIMARY KEY (code, valid_from)
);

-- Tariff groups (categories of households) and their prices per variant and zone.
CREATE TABLE tariff_group (
    code      VARCHAR PRIMARY KEY,
    name      VARCHAR NOT NULL,
    category  VARCHAR NOT NULL CHECK (category IN ('urban', 'urban_stove', 'rural', 'equated'))
);

CREATE TABLE tariff (
    tariff_group VARCHAR NOT NULL,
    zones        TINYINT NOT NULL CHECK (zones IN (1, 2, 3)),   -- variant: single, two-zone, three-zone
    zone         TINYINT NOT NULL CHECK (zone BETWEEN 1 AND 3), -- 1 day/peak, 2 night/half-peak, 3 night
    valid_from   DATE NOT NULL,
    valid_to     DATE,
    price        DECIMAL(12, 4) NOT NULL,                       -- RUB per kWh including VAT
    PRIMARY KEY (tariff_group, zones, zone, valid_from)
);

-- Individual normative, kWh per person per month, by rooms (1..4 = 4+), residents (1..5 = 5+)
-- and equipment: none (no electric stove), stove, stove_heating (stove and electric heating /
-- water heating).
CREATE TABLE normative (
    rooms        TINYINT NOT NULL CHECK (rooms BETWEEN 1 AND 4),
    residents    TINYINT NOT NULL CHECK (residents BETWEEN 1 AND 5),
    equipment    VARCHAR NOT NULL CHECK (equipment IN ('none', 'stove', 'stove_heating')),
    valid_from   DATE NOT NULL,
    valid_to     DATE,
    kwh_per_person DECIMAL(10, 3) NOT NULL,
    PRIMARY KEY (rooms, residents, equipment, valid_from)
);

-- Common-property (СОИ) normative, kWh per m^2 of common area per month, by building category.
CREATE TABLE soi_normative (
    category    VARCHAR NOT NULL,            -- e.g. 'lift', 'no_lift'
    valid_from  DATE NOT NULL,
    valid_to    DATE,
    kwh_per_m2  DECIMAL(10, 4) NOT NULL,
    PRIMARY KEY (category, valid_from)
);

-- ---------------------------------------------------------------- addresses and buildings
CREATE TABLE district (
    id    INTEGER PRIMARY KEY,
    code  VARCHAR NOT NULL UNIQUE,
    name  VARCHAR NOT NULL
);

CREATE TABLE settlement (
    id           INTEGER PRIMARY KEY,
    code         VARCHAR NOT NULL UNIQUE,
    district_id  INTEGER NOT NULL,
    name         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL CHECK (kind IN ('urban', 'rural'))
);

CREATE TABLE street (
    id             INTEGER PRIMARY KEY,
    code           VARCHAR NOT NULL UNIQUE,
    settlement_id  INTEGER NOT NULL,
    name           VARCHAR NOT NULL             -- with its type: «ул. Ленина», «пер. Школьный»
);

-- Managing organisations (УК, ТСЖ, ЖСК) that run apartment buildings.
CREATE TABLE manager (
    id    INTEGER PRIMARY KEY,
    code  VARCHAR NOT NULL UNIQUE,
    name  VARCHAR NOT NULL,
    kind  VARCHAR NOT NULL CHECK (kind IN ('uk', 'tszh', 'zhsk')),
    inn   VARCHAR,
    kpp   VARCHAR
);

CREATE TABLE building (
    id          BIGINT PRIMARY KEY,
    code        VARCHAR NOT NULL UNIQUE,
    street_id   INTEGER NOT NULL,
    house_no    VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('mkd', 'house')),
    floors      SMALLINT,
    year_built  SMALLINT,
    route_order INTEGER,                     -- controller's round order within its street
    opened      DATE,
    closed      DATE
);

-- Building characteristics over time.
CREATE TABLE building_fact (
    building_id        BIGINT NOT NULL,
    valid_from         DATE NOT NULL,
    valid_to           DATE,
    management         VARCHAR NOT NULL CHECK (management IN ('uk', 'tszh', 'zhsk', 'direct', 'none')),
    manager_id         INTEGER,
    area_residential   DECIMAL(12, 2) NOT NULL DEFAULT 0,
    area_nonresidential DECIMAL(12, 2) NOT NULL DEFAULT 0,
    area_common        DECIMAL(12, 2) NOT NULL DEFAULT 0,
    soi_category       VARCHAR,              -- key into soi_normative
    PRIMARY KEY (building_id, valid_from)
);

CREATE TABLE premise (
    id           BIGINT PRIMARY KEY,
    building_id  BIGINT NOT NULL,
    number       VARCHAR NOT NULL,           -- flat number; for a room «12-2»
    kind         VARCHAR NOT NULL CHECK (kind IN ('flat', 'room', 'nonres')),
    parent_id    BIGINT,                     -- a room's communal flat (a premise of kind 'flat')
    section      VARCHAR,                    -- section of a communal flat / dormitory
    area         DECIMAL(12, 2) NOT NULL,
    rooms        TINYINT NOT NULL DEFAULT 1,
    communal     BOOLEAN NOT NULL DEFAULT false,  -- a flat split into rooms of several accounts
    meter_impossible BOOLEAN NOT NULL DEFAULT false, -- a meter cannot technically be installed
    UNIQUE (building_id, number)
);

-- ---------------------------------------------------------------- accounts
CREATE TABLE account (
    id             BIGINT PRIMARY KEY,
    number         VARCHAR(10) NOT NULL UNIQUE CHECK (length(number) = 10),
    holder_name    VARCHAR NOT NULL,
    premise_id     BIGINT NOT NULL,
    opened         DATE NOT NULL,
    closed         DATE,
    email          VARCHAR,
    phone          VARCHAR,
    email_consent  BOOLEAN NOT NULL DEFAULT false
);

-- Account facts over time: one row per interval in which all of them stay the same.
CREATE TABLE account_fact (
    account_id           BIGINT NOT NULL,
    valid_from           DATE NOT NULL,
    valid_to             DATE,
    residents_registered SMALLINT NOT NULL DEFAULT 0,
    residents_living     SMALLINT NOT NULL DEFAULT 0,  -- living permanently or temporarily
    owners               SMALLINT NOT NULL DEFAULT 1,
    equipment            VARCHAR NOT NULL DEFAULT 'none' CHECK (equipment IN ('none', 'stove', 'stove_heating')),
    tariff_group         VARCHAR NOT NULL,
    PRIMARY KEY (account_id, valid_from)
);

-- Temporary absence (only for dwellings where no meter can be installed).
CREATE TABLE absence (
    account_id  BIGINT NOT NULL,
    date_from   DATE NOT NULL,               -- departure day
    date_to     DATE NOT NULL,               -- return day
    document    VARCHAR,
    PRIMARY KEY (account_id, date_from)
);

-- ---------------------------------------------------------------- metering
-- A metering point is one billed service: on an account (kind 'individual'), shared by the rooms
-- of a communal flat or section (kind 'shared', account_id NULL, its children point at it through
-- parent_id), or a building's common meter (kind 'common', building_id set).
CREATE TABLE metering_point (
    id           BIGINT PRIMARY KEY,
    kind         VARCHAR NOT NULL CHECK (kind IN ('individual', 'shared', 'common')),
    account_id   BIGINT,
    premise_id   BIGINT,
    building_id  BIGINT,
    parent_id    BIGINT,                     -- the shared point whose volume this one splits
    service      VARCHAR NOT NULL DEFAULT 'electricity',
    zones        TINYINT NOT NULL DEFAULT 1 CHECK (zones IN (1, 2, 3)),
    connected    DATE NOT NULL,
    disconnected DATE
);

-- Supply state over time: connected, restricted (ОРП) or disconnected.
CREATE TABLE supply_state (
    metering_point_id BIGINT NOT NULL,
    valid_from        DATE NOT NULL,
    valid_to          DATE,
    state             VARCHAR NOT NULL CHECK (state IN ('connected', 'restricted', 'disconnected')),
    reason            VARCHAR,
    PRIMARY KEY (metering_point_id, valid_from)
);

CREATE TABLE meter (
    id                 BIGINT PRIMARY KEY,
    metering_point_id  BIGINT NOT NULL,
    model              VARCHAR NOT NULL,
    serial             VARCHAR NOT NULL,
    digits             TINYINT NOT NULL DEFAULT 6,
    zones              TINYINT NOT NULL DEFAULT 1 CHECK (zones IN (1, 2, 3)),
    ratio              INTEGER NOT NULL DEFAULT 1,   -- transformation ratio of the measuring complex
    installed          DATE NOT NULL,
    removed            DATE,
    verified           DATE,                         -- last verification
    verification_years TINYINT,                      -- verification interval (МПИ), years
    state              VARCHAR NOT NULL DEFAULT 'working' CHECK (state IN ('working', 'broken', 'lost')),
    state_since        DATE
);

CREATE TABLE seal (
    id        BIGINT PRIMARY KEY,
    meter_id  BIGINT NOT NULL,
    seal_no   VARCHAR NOT NULL,
    act_no    VARCHAR,
    act_date  DATE,
    installed DATE NOT NULL,
    removed   DATE
);
CREATE SEQUENCE seal_seq START 1;

-- Readings, whole kWh per zone. Rejected readings are kept with their reason.
CREATE TABLE reading (
    id          BIGINT NOT NULL,
    meter_id    BIGINT NOT NULL,
    zone        TINYINT NOT NULL CHECK (zone BETWEEN 1 AND 3),
    read_on     DATE NOT NULL,
    value       BIGINT NOT NULL,
    kind        VARCHAR NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular', 'install', 'removal', 'check')),
    source      VARCHAR NOT NULL CHECK (source IN ('operator', 'controller', 'file', 'gis', 'portal', 'askue', 'load')),
    status      VARCHAR NOT NULL CHECK (status IN ('accepted', 'rejected')),
    reason      VARCHAR,
    batch_id    BIGINT,
    entered_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    entered_by  VARCHAR NOT NULL DEFAULT 'system'
);
CREATE SEQUENCE reading_seq START 1;

-- Acts of refused access to the meter (two give the ×1.5 factor) and of tampering (×10 up to
-- three months back).
CREATE TABLE meter_act (
    id                 BIGINT PRIMARY KEY,
    metering_point_id  BIGINT NOT NULL,
    kind               VARCHAR NOT NULL CHECK (kind IN ('access_refused', 'tampering')),
    act_date           DATE NOT NULL,
    act_no             VARCHAR,
    note               VARCHAR
);
CREATE SEQUENCE meter_act_seq START 1;

-- ---------------------------------------------------------------- accruals and the ledger
-- Accrual lines of a calculation run: draft while the period is open (a rerun replaces them),
-- posted on close. Each line carries its method and inputs so that `sbyt explain` can print it.
CREATE TABLE accrual_line (
    id                 BIGINT NOT NULL,
    period             INTEGER NOT NULL,     -- the month calculated (posted in)
    for_period         INTEGER NOT NULL,     -- the month it concerns (= period except recalculations)
    account_id         BIGINT NOT NULL,
    metering_point_id  BIGINT,
    service            VARCHAR NOT NULL,     -- electricity, odn, penalty
    zone               TINYINT NOT NULL DEFAULT 1,
    method             VARCHAR NOT NULL,     -- readings, average, normative, odn_meter, odn_normative, recalc, manual, penalty
    seg_from           DATE,                 -- day segment [seg_from, seg_to)
    seg_to             DATE,
    volume_wh          BIGINT NOT NULL DEFAULT 0,
    price              DECIMAL(12, 4),       -- RUB/kWh incl. VAT
    amount_kop         BIGINT NOT NULL,
    vat_kop            BIGINT NOT NULL DEFAULT 0,
    prev_value         BIGINT,               -- readings method: previous and current reading
    cur_value          BIGINT,
    ratio              INTEGER,
    residents          SMALLINT,             -- normative method
    normative_wh       BIGINT,               -- per person per month
    factor_milli       INTEGER,              -- increasing factor ×1000 (1500, 10000)
    base_months        SMALLINT,             -- average method
    days               SMALLINT,             -- days of the segment
    month_days         SMALLINT,
    reason             VARCHAR,              -- recalculations and manual lines
    status             VARCHAR NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'posted')),
    created_at         TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The append-only ledger. Positive amounts increase the consumer's debt (accruals, penalties,
-- refunds), negative amounts decrease it (payments). Corrections are new postings, never updates.
CREATE TABLE posting (
    id           BIGINT NOT NULL,
    account_id   BIGINT NOT NULL,
    service      VARCHAR NOT NULL,           -- electricity, odn, penalty
    kind         VARCHAR NOT NULL CHECK (kind IN ('opening', 'accrual', 'recalc', 'payment', 'penalty',
                                                  'refund', 'transfer', 'writeoff')),
    period       INTEGER NOT NULL,           -- posted in
    for_period   INTEGER NOT NULL,           -- concerns
    amount_kop   BIGINT NOT NULL,
    vat_kop      BIGINT NOT NULL DEFAULT 0,
    op_date      DATE NOT NULL,              -- payment day, or the last day of the period
    ref_id       BIGINT,                     -- payment id, accrual line id, ...
    batch_id     BIGINT,
    note         VARCHAR,
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE SEQUENCE posting_seq START 1;
