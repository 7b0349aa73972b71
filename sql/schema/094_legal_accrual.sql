-- Legal-entity accrual (ПП 442, price categories 1–6; research legal.md §C, §E): the imported price
-- data, planned hourly volumes, acts of unmetered and non-contracted consumption, the accrual lines
-- of contracts and the contracts' ledger. Rules: docs/legal_calc.md, docs/prices.md.

-- Price data. Every imported file is one import_batch (kinds 'price_table', 'price_hours',
-- 'peak_hours', 'so_windows', 'hour_plan'); a newer file for the same month replaces the rows of
-- the keys it carries (and `batch_id` names the file in force). Prices exclude VAT and keep at
-- most 4 decimals: RUB/MWh for energy, RUB/MW per month for capacity components.

-- The supplier's monthly table of final-price components per price category and voltage level:
--   energy            wholesale energy (categories 1, 2; category 2 per zone)
--   capacity          generation capacity, RUB/MW·month (categories 3–6)
--   network           single-rate transmission, RUB/MWh (excluded for a purchase-sale contract;
--                     for categories 3, 5 it is the part of the hourly rate that is transmission)
--   network_capacity  two-rate transmission, maintenance rate, RUB/MW·month (categories 4, 6)
--   network_loss      two-rate transmission, loss rate, RUB/MWh (categories 4, 6)
--   markup            the supplier's mark-up (сбытовая надбавка), RUB/MWh (categories 1, 2)
--   infra             infrastructure services, RUB/MWh (categories 1, 2)
-- The final price of categories 1 and 2 is the sum of its components (zone 0 = every zone).
CREATE TABLE price_component (
    period      INTEGER NOT NULL,            -- YYYYMM the prices are for
    category    TINYINT NOT NULL CHECK (category BETWEEN 1 AND 6),
    voltage     VARCHAR NOT NULL CHECK (voltage IN ('VN', 'SN1', 'SN2', 'NN')),
    component   VARCHAR NOT NULL CHECK (component IN ('energy', 'capacity', 'network', 'network_capacity',
                                                      'network_loss', 'markup', 'infra')),
    zones       TINYINT NOT NULL DEFAULT 0 CHECK (zones IN (0, 2, 3)),   -- category 2: the zone variant
    zone        TINYINT NOT NULL DEFAULT 0 CHECK (zone BETWEEN 0 AND 3), -- 0 = all zones
    value       DECIMAL(18, 4) NOT NULL,
    batch_id    BIGINT NOT NULL,
    PRIMARY KEY (period, category, voltage, component, zones, zone)
);

-- Hourly rates of categories 3–6, RUB/MWh, by day and hour (hour-ending 1..24, Moscow time):
--   fact   the rate for the actual hourly volume (energy, capacity excluded)
--   over   categories 5, 6: the rate for actual above planned
--   under  categories 5, 6: the rate for planned above actual
CREATE TABLE price_hour (
    period    INTEGER NOT NULL,
    category  TINYINT NOT NULL CHECK (category BETWEEN 3 AND 6),
    voltage   VARCHAR NOT NULL CHECK (voltage IN ('VN', 'SN1', 'SN2', 'NN')),
    rate      VARCHAR NOT NULL CHECK (rate IN ('fact', 'over', 'under')),
    day       DATE NOT NULL,
    hour      TINYINT NOT NULL CHECK (hour BETWEEN 1 AND 24),
    value     DECIMAL(18, 4) NOT NULL,
    batch_id  BIGINT NOT NULL
);

-- The market operator's (АТС calcfacthour) peak hour of the region for each working day.
CREATE TABLE peak_hour (
    period    INTEGER NOT NULL,
    region    VARCHAR NOT NULL,              -- АТС region code ('46'); the supplier's: dated rule legal.ats_region
    day       DATE NOT NULL,
    hour      TINYINT NOT NULL CHECK (hour BETWEEN 1 AND 24),
    batch_id  BIGINT NOT NULL,
    PRIMARY KEY (region, day)
);

-- The system operator's planned peak hours of a month, one row per hour (hour-ending 1..24, Moscow
-- time, inclusive: "8–13" = hours 8..13 = 07:00–13:00).
CREATE TABLE so_window (
    period      INTEGER NOT NULL,
    price_zone  TINYINT NOT NULL CHECK (price_zone IN (1, 2)),
    hour        TINYINT NOT NULL CHECK (hour BETWEEN 1 AND 24),
    batch_id    BIGINT NOT NULL,
    PRIMARY KEY (period, price_zone, hour)
);

-- Categories 5, 6: the consumer's planned hourly volumes of a supply point (Wh, hour-ending 1..24,
-- the meter data's clock). A point without a plan for an hour gets the default plan of
-- legal.md §A.5 from its contract volume.
CREATE TABLE hour_plan (
    point_id  BIGINT NOT NULL,
    day       DATE NOT NULL,
    hour      TINYINT NOT NULL CHECK (hour BETWEEN 1 AND 24),
    value_wh  BIGINT NOT NULL CHECK (value_wh >= 0),
    batch_id  BIGINT NOT NULL,
    PRIMARY KEY (point_id, day, hour)
);

-- A population-equated consumer (приравненный к населению) is billed at household tariffs: the
-- supply point names the household tariff group (NULL = ПП 442 prices by its price category).
ALTER TABLE legal_point_fact ADD COLUMN tariff_group VARCHAR;

-- Acts of unmetered (безучётное: a consumer with a contract) and non-contracted (бездоговорное:
-- without one) consumption. The volume is computed once from the act's inputs and billed in the
-- month of the act at that month's prices (category 1 of the act's voltage level).
CREATE SEQUENCE consumption_act_seq START 1;
CREATE TABLE consumption_act (
    id               BIGINT PRIMARY KEY,
    kind             VARCHAR NOT NULL CHECK (kind IN ('unmetered', 'noncontracted')),
    act_no           VARCHAR NOT NULL,
    act_date         DATE NOT NULL,
    contract_id      BIGINT,                 -- unmetered: the consumer's contract
    point_id         BIGINT,                 -- unmetered: the supply point
    counterparty_id  BIGINT NOT NULL,        -- who pays (for a non-contracted act: registered for it)
    address          VARCHAR,
    voltage          VARCHAR NOT NULL CHECK (voltage IN ('VN', 'SN1', 'SN2', 'NN')),
    date_from        DATE NOT NULL,          -- unmetered: the last check; non-contracted: consumption since
    date_to          DATE NOT NULL,          -- the detection (the act's date), inclusive
    hours            INTEGER NOT NULL CHECK (hours > 0),
    method           VARCHAR NOT NULL CHECK (method IN ('max_capacity', 'cable')),
    max_kw           DECIMAL(12, 3),         -- method max_capacity
    current_a        DECIMAL(10, 2),         -- method cable: the cable's permissible current
    voltage_v        DECIMAL(10, 2),         -- method cable: phase voltage
    cos_phi          DECIMAL(4, 3),
    phases           TINYINT,
    volume_wh        BIGINT NOT NULL CHECK (volume_wh >= 0),
    period           INTEGER NOT NULL,       -- the month billed (the act's month)
    status           VARCHAR NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    note             VARCHAR,
    created_by       VARCHAR NOT NULL DEFAULT 'system',
    created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (kind, act_no)
);

-- The accrual lines of legal-entity contracts: one line per supply point and price component
-- (energy, capacity, ...), plus acts, managing companies' building volumes, penalties and
-- recalculations. Written by `sbyt calc` as drafts of the open month, posted into legal_posting at
-- the close. Amounts exclude VAT (vat_kop on top); household-tariff lines (population-equated,
-- managing companies) include it like the household lines do (vat_kop is the part inside).
CREATE TABLE legal_charge (
    id               BIGINT NOT NULL,
    period           INTEGER NOT NULL,       -- the month calculated (posted in)
    for_period       INTEGER NOT NULL,       -- the month it concerns (= period except recalculations)
    contract_id      BIGINT,                 -- NULL: a non-contracted consumption act
    counterparty_id  BIGINT NOT NULL,
    point_id         BIGINT,
    act_id           BIGINT,
    building_id      BIGINT,                 -- a managing company's line: the building
    component        VARCHAR NOT NULL,       -- energy | capacity | network_capacity | network_loss | over | under |
                                             -- network_deduct | unmetered | noncontracted | household | manager | penalty
    zone             TINYINT NOT NULL DEFAULT 0,
    method           VARCHAR NOT NULL,       -- hourly | integral | contract_volume | act | tariff | odn | penalty | recalc
    category         TINYINT,
    voltage          VARCHAR,
    volume_wh        BIGINT NOT NULL DEFAULT 0,
    quantity         DECIMAL(24, 10),        -- what the price multiplies: MWh, or MW for capacity lines
    price            DECIMAL(18, 4),         -- RUB/MWh or RUB/MW·month without VAT; RUB/kWh incl. VAT at household tariffs
    amount_kop       BIGINT NOT NULL,
    vat_kop          BIGINT NOT NULL DEFAULT 0,
    vat_rate         DECIMAL(5, 2),
    vat_included     BOOLEAN NOT NULL DEFAULT false,
    days             SMALLINT,               -- capacity: working days averaged
    detail           VARCHAR,                -- JSON: the inputs `sbyt explain` prints
    reason           VARCHAR,
    status           VARCHAR NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'posted')),
    created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The contracts' ledger (append-only, like `posting` for accounts): accruals and recalculations
-- posted at the close, payments, penalties. amount_kop includes VAT; positive = the consumer owes.
CREATE TABLE legal_posting (
    id               BIGINT NOT NULL,
    counterparty_id  BIGINT NOT NULL,
    contract_id      BIGINT,
    kind             VARCHAR NOT NULL CHECK (kind IN ('opening', 'accrual', 'recalc', 'payment', 'penalty',
                                                      'refund', 'transfer', 'writeoff')),
    period           INTEGER NOT NULL,       -- posted in
    for_period       INTEGER NOT NULL,       -- concerns
    amount_kop       BIGINT NOT NULL,
    vat_kop          BIGINT NOT NULL DEFAULT 0,
    op_date          DATE NOT NULL,
    ref_id           BIGINT,                 -- legal_charge id, payment id, ...
    batch_id         BIGINT,
    note             VARCHAR,
    created_by       VARCHAR NOT NULL DEFAULT 'system',
    created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Day ranges of a legal-entity penalty line (sbyt explain), as penalty_detail for accounts: one row
-- per run of days with the same late instalment, debt, rate and fraction.
CREATE TABLE legal_penalty_detail (
    period        INTEGER NOT NULL,
    contract_id   BIGINT NOT NULL,
    debt_period   INTEGER NOT NULL,          -- the month whose payment is late
    instalment    VARCHAR NOT NULL,          -- p82_10 | p82_25 | final | p81
    due_date      DATE NOT NULL,
    date_from     DATE NOT NULL,
    date_to       DATE NOT NULL,
    days          INTEGER NOT NULL,
    delay_from    INTEGER NOT NULL,
    debt_kop      BIGINT NOT NULL,
    rate          DECIMAL(7, 3) NOT NULL,
    den           INTEGER NOT NULL,
    amount_milli  BIGINT NOT NULL
);

INSERT INTO code_label VALUES
    ('price_component', 'energy', 'электроэнергия'),
    ('price_component', 'capacity', 'мощность'),
    ('price_component', 'network', 'передача (одноставочный)'),
    ('price_component', 'network_capacity', 'передача: ставка на содержание сетей'),
    ('price_component', 'network_loss', 'передача: ставка на потери'),
    ('price_component', 'markup', 'сбытовая надбавка'),
    ('price_component', 'infra', 'инфраструктурные услуги'),
    ('price_rate', 'fact', 'фактический почасовой объём'),
    ('price_rate', 'over', 'превышение факта над планом'),
    ('price_rate', 'under', 'превышение плана над фактом'),
    ('act_kind', 'unmetered', 'безучётное потребление'),
    ('act_kind', 'noncontracted', 'бездоговорное потребление'),
    ('act_method', 'max_capacity', 'по максимальной мощности'),
    ('act_method', 'cable', 'по пропускной способности кабеля'),
    ('charge_component', 'energy', 'Электроэнергия'),
    ('charge_component', 'capacity', 'Мощность'),
    ('charge_component', 'network_capacity', 'Сетевая мощность'),
    ('charge_component', 'network_loss', 'Потери в сетях'),
    ('charge_component', 'over', 'Отклонение: факт выше плана'),
    ('charge_component', 'under', 'Отклонение: план выше факта'),
    ('charge_component', 'network_deduct', 'Без услуг по передаче'),
    ('charge_component', 'unmetered', 'Безучётное потребление'),
    ('charge_component', 'noncontracted', 'Бездоговорное потребление'),
    ('charge_component', 'household', 'По тарифу населения'),
    ('charge_component', 'manager', 'Коммунальный ресурс на СОИ'),
    ('charge_component', 'penalty', 'Пени'),
    ('charge_method', 'hourly', 'почасовые данные'),
    ('charge_method', 'integral', 'интегральные показания'),
    ('charge_method', 'contract_volume', 'договорный объём'),
    ('charge_method', 'act', 'акт'),
    ('charge_method', 'tariff', 'тариф населения'),
    ('charge_method', 'odn', 'объём дома'),
    ('charge_method', 'penalty', 'пени'),
    ('charge_method', 'recalc', 'перерасчёт');
INSERT INTO code_column VALUES
    ('price_component', 'component', 'price_component'),
    ('price_hour', 'rate', 'price_rate'),
    ('consumption_act', 'kind', 'act_kind'),
    ('consumption_act', 'method', 'act_method'),
    ('legal_charge', 'component', 'charge_component'),
    ('legal_charge', 'method', 'charge_method'),
    ('legal_charge', 'voltage', 'voltage'),
    ('legal_posting', 'kind', 'posting_kind');
