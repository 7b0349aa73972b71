-- Legal entities (ПП 442): counterparties, contracts and their lifecycle documents, calculation
-- objects, supply points, measuring complexes and their hourly volumes (АСКУЭ 80020).
-- Rules: docs/legal.md. Every change is a dated document and an audit row; facts are effective-dated
-- (valid_from inclusive, valid_to exclusive, NULL = still in force) like the households' facts.

CREATE TABLE counterparty (
    id          BIGINT PRIMARY KEY,
    kind        VARCHAR NOT NULL CHECK (kind IN ('legal', 'sole_trader', 'manager', 'budget')),
    inn         VARCHAR NOT NULL,
    kpp         VARCHAR,                    -- NULL for a sole trader
    ogrn        VARCHAR,                    -- ОГРН (13) or ОГРНИП (15)
    manager_id  INTEGER,                    -- the household side's managing company, for kind 'manager'
    registered  DATE NOT NULL,              -- first day the store knows it
    created_by  VARCHAR
);

CREATE TABLE counterparty_fact (
    counterparty_id  BIGINT NOT NULL,
    valid_from       DATE NOT NULL,
    valid_to         DATE,
    name             VARCHAR NOT NULL,      -- full name, as in ЕГРЮЛ / ЕГРИП
    short_name       VARCHAR,
    legal_address    VARCHAR,
    postal_address   VARCHAR,
    mobile           VARCHAR,               -- +7XXXXXXXXXX: restriction notices (mandatory on a contract)
    email            VARCHAR,
    budget_level     VARCHAR,               -- federal | regional | local | NULL (not a budget organisation)
    financing_group  VARCHAR,               -- the seed's «группа финансирования»
    consumer_group   VARCHAR,               -- the consumer group of statistical reports
    PRIMARY KEY (counterparty_id, valid_from)
);

CREATE TABLE counterparty_bank (
    id               BIGINT PRIMARY KEY,
    counterparty_id  BIGINT NOT NULL,
    bik              VARCHAR NOT NULL,
    bank_name        VARCHAR,
    account          VARCHAR NOT NULL,
    corr_account     VARCHAR,
    valid_from       DATE NOT NULL,
    valid_to         DATE
);

CREATE TABLE contract (
    id               BIGINT PRIMARY KEY,
    number           VARCHAR NOT NULL UNIQUE,
    counterparty_id  BIGINT NOT NULL,
    kind             VARCHAR NOT NULL CHECK (kind IN ('supply', 'sale', 'manager')),
    payment_scheme   VARCHAR NOT NULL CHECK (payment_scheme IN ('p82', 'p81', 'retailer')),
    state            VARCHAR NOT NULL,      -- application | draft | approved | disagreement | signed | terminated | refused
    applied_on       DATE NOT NULL,         -- the application registered
    complete_on      DATE,                  -- the day the last required document arrived
    signed_on        DATE,
    starts           DATE,                  -- supply from (the contract's start date)
    ends             DATE,                  -- the term; NULL = indefinite
    terminated_from  DATE,
    edo              BOOLEAN NOT NULL DEFAULT false
);

-- The lifecycle as dated documents: application, received documents, notice of missing documents,
-- draft, approval, protocol of disagreements and its answer, signing, amendments, termination.
CREATE SEQUENCE contract_doc_seq START 1;
CREATE TABLE contract_doc (
    id           BIGINT PRIMARY KEY,
    contract_id  BIGINT NOT NULL,
    kind         VARCHAR NOT NULL,
    doc_date     DATE NOT NULL,
    doc_no       VARCHAR,
    effective    DATE,                      -- an amendment's or a termination's date of effect
    changes      VARCHAR,                   -- JSON: what an amendment changes
    note         VARCHAR,
    created_by   VARCHAR,
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The applicant's documents (ПП 442 п. 34; ПП 124 п. 6 for managing companies) and when each arrived.
CREATE TABLE contract_requirement (
    contract_kind  VARCHAR NOT NULL,
    item           VARCHAR NOT NULL,
    required       BOOLEAN NOT NULL,
    ord            INTEGER NOT NULL,
    PRIMARY KEY (contract_kind, item)
);
CREATE TABLE contract_item (
    contract_id  BIGINT NOT NULL,
    item         VARCHAR NOT NULL,
    received     DATE NOT NULL,
    PRIMARY KEY (contract_id, item)
);

INSERT INTO contract_requirement
SELECT k.kind, i.item, i.required, i.ord
FROM (VALUES ('supply'), ('sale')) k(kind),
     (VALUES ('application', true, 1), ('register_extract', true, 2), ('authority', true, 3),
             ('title', true, 4), ('grid_act', true, 5), ('meter_act', true, 6), ('reserve_act', false, 7),
             ('capacity_doc', true, 8), ('scheme', false, 9)) i(item, required, ord)
UNION ALL
SELECT 'manager', item, required, ord
FROM (VALUES ('application', true, 1), ('register_extract', true, 2), ('authority', true, 3),
             ('management_contract', true, 4), ('licence', true, 5), ('areas', true, 6),
             ('odpu_docs', true, 7)) i(item, required, ord);

-- Calculation objects (объект расчёта) of a contract; a transit object is fed through its head's network.
CREATE TABLE calc_object (
    id              BIGINT PRIMARY KEY,
    contract_id     BIGINT NOT NULL,
    code            VARCHAR NOT NULL UNIQUE,
    name            VARCHAR NOT NULL,
    address         VARCHAR,
    building_id     BIGINT,                 -- a non-residential premise of this apartment building
    premise_no      VARCHAR,
    opened          DATE NOT NULL,
    closed          DATE
);

CREATE TABLE legal_point (
    id              BIGINT PRIMARY KEY,
    object_id       BIGINT NOT NULL,
    code            VARCHAR NOT NULL UNIQUE,
    name            VARCHAR,
    grid_company    VARCHAR,
    boundary        VARCHAR,                -- the balance boundary as the act describes it
    head_point_id   BIGINT,                 -- transit: the head consumer's point whose network feeds this one
    opened          DATE NOT NULL,
    closed          DATE
);

-- What an amendment changes from a date: voltage level, maximum capacity, price category.
CREATE TABLE legal_point_fact (
    point_id  BIGINT NOT NULL,
    valid_from       DATE NOT NULL,
    valid_to         DATE,
    voltage          VARCHAR NOT NULL CHECK (voltage IN ('VN', 'SN1', 'SN2', 'NN')),
    max_kw           DECIMAL(12, 3) NOT NULL,
    price_category   INTEGER NOT NULL CHECK (price_category BETWEEN 1 AND 6),
    reliability      INTEGER CHECK (reliability BETWEEN 1 AND 3),
    doc_id           BIGINT,                -- the contract document (signing or amendment)
    PRIMARY KEY (point_id, valid_from)
);

-- A measuring complex: the meter with its current and voltage transformers.
CREATE TABLE legal_meter (
    id               BIGINT PRIMARY KEY,
    point_id  BIGINT NOT NULL,
    serial           VARCHAR NOT NULL,
    model            VARCHAR,
    accuracy         VARCHAR,
    digits           INTEGER NOT NULL DEFAULT 6,
    ct_ratio         INTEGER NOT NULL DEFAULT 1,      -- 150/5 -> 30
    vt_ratio         INTEGER NOT NULL DEFAULT 1,      -- 10000/100 -> 100
    installed        DATE NOT NULL,
    removed          DATE,
    verified         DATE,
    verify_years     INTEGER,
    loss_pct         DECIMAL(6, 3) NOT NULL DEFAULT 0, -- losses from the meter to the boundary
    askue_code       VARCHAR,                          -- measuringpoint @code in 80020
    askue_channel    VARCHAR,                          -- measuringchannel @code of active energy received
    UNIQUE (askue_code, askue_channel)
);

-- Hourly volumes of a measuring complex (АСКУЭ 80020, the hourly template), as measured (before the
-- ratios: the 80020 values already include them); rejected data kept with its reason.
CREATE TABLE meter_hour (
    meter_id   BIGINT NOT NULL,
    day        DATE NOT NULL,
    hour       TINYINT NOT NULL,            -- 1..24, hour 1 = 00:00-01:00 (the ATS notation)
    value_wh   BIGINT NOT NULL,
    status     VARCHAR NOT NULL,            -- measured | substituted | rejected
    flag       VARCHAR,                     -- the file's status code of the hour, as it came
    reason     VARCHAR,
    batch_id   BIGINT NOT NULL
);

INSERT INTO permission VALUES
    ('contracts.edit',    'контрагенты и договоры: ввод и изменение'),
    ('contracts.approve', 'согласование проектов договоров');
INSERT INTO role_permission
SELECT 'admin', unnest(['contracts.edit', 'contracts.approve'])
UNION ALL SELECT 'head', unnest(['contracts.edit', 'contracts.approve'])
UNION ALL SELECT 'operator', 'contracts.edit'
UNION ALL SELECT 'lawyer', unnest(['contracts.edit', 'contracts.approve']);

-- The deadlines of the contract procedure are dated rules (data/dated_rules.csv: contract.deadline.*).

INSERT INTO code_label VALUES
    ('counterparty_kind', 'legal', 'юридическое лицо'),
    ('counterparty_kind', 'sole_trader', 'индивидуальный предприниматель'),
    ('counterparty_kind', 'manager', 'УК / ТСЖ / ЖСК'),
    ('counterparty_kind', 'budget', 'бюджетная организация'),
    ('contract_kind', 'supply', 'энергоснабжения'),
    ('contract_kind', 'sale', 'купли-продажи'),
    ('contract_kind', 'manager', 'с исполнителем коммунальных услуг'),
    ('payment_scheme', 'p82', 'п. 82: 30 % до 10-го, 40 % до 25-го, остаток до 18-го'),
    ('payment_scheme', 'p81', 'до 15-го следующего месяца'),
    ('payment_scheme', 'retailer', '50 % до 1-го'),
    ('contract_state', 'application', 'заявка'),
    ('contract_state', 'draft', 'проект'),
    ('contract_state', 'approved', 'согласован'),
    ('contract_state', 'disagreement', 'протокол разногласий'),
    ('contract_state', 'signed', 'подписан'),
    ('contract_state', 'terminated', 'расторгнут'),
    ('contract_state', 'refused', 'отказ'),
    ('contract_doc', 'application', 'заявка'),
    ('contract_doc', 'documents', 'получены документы'),
    ('contract_doc', 'missing_notice', 'уведомление о недостающих документах'),
    ('contract_doc', 'draft', 'проект договора'),
    ('contract_doc', 'approval', 'согласование'),
    ('contract_doc', 'disagreement', 'протокол разногласий'),
    ('contract_doc', 'disagreement_answer', 'ответ на протокол разногласий'),
    ('contract_doc', 'signed', 'подписание'),
    ('contract_doc', 'amendment', 'дополнительное соглашение'),
    ('contract_doc', 'termination', 'расторжение'),
    ('contract_item', 'application', 'заявление'),
    ('contract_item', 'register_extract', 'выписка из ЕГРЮЛ/ЕГРИП'),
    ('contract_item', 'authority', 'полномочия подписанта'),
    ('contract_item', 'title', 'право на энергопринимающие устройства'),
    ('contract_item', 'grid_act', 'акт о техприсоединении и АРБП'),
    ('contract_item', 'meter_act', 'акт допуска прибора учёта'),
    ('contract_item', 'reserve_act', 'акт аварийной и технологической брони'),
    ('contract_item', 'capacity_doc', 'документ о максимальной мощности'),
    ('contract_item', 'scheme', 'однолинейная схема'),
    ('contract_item', 'management_contract', 'договор управления или протокол собрания'),
    ('contract_item', 'licence', 'лицензия'),
    ('contract_item', 'areas', 'площади помещений и число проживающих'),
    ('contract_item', 'odpu_docs', 'документы на ОДПУ'),
    ('voltage', 'VN', 'ВН'),
    ('voltage', 'SN1', 'СН1'),
    ('voltage', 'SN2', 'СН2'),
    ('voltage', 'NN', 'НН'),
    ('hour_status', 'measured', 'измерено'),
    ('hour_status', 'substituted', 'замещающая информация'),
    ('hour_status', 'rejected', 'отклонено');
INSERT INTO code_column VALUES
    ('counterparty', 'kind', 'counterparty_kind'),
    ('contract', 'kind', 'contract_kind'),
    ('contract', 'payment_scheme', 'payment_scheme'),
    ('contract', 'state', 'contract_state'),
    ('contract_doc', 'kind', 'contract_doc'),
    ('contract_item', 'item', 'contract_item'),
    ('legal_point_fact', 'voltage', 'voltage'),
    ('meter_hour', 'status', 'hour_status');
