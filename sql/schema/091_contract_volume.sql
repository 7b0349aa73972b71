-- Contract volumes (договорные объёмы, ПП 442; research legal.md §A.5, §E.2) and the production
-- calendar that SQL reports count deadlines on. Rules: docs/legal.md.

-- The declared monthly volume of a calculation object of a contract, by service: energy in kWh,
-- capacity in kW. A declaration is a contract document of kind 'volumes' (its changes name the
-- months, the new and the previous values) and an audit row; a month declared again is replaced,
-- `doc_id` names the document that declared the value in force.
CREATE TABLE contract_volume (
    contract_id  BIGINT NOT NULL,
    object_id    BIGINT NOT NULL,
    service      VARCHAR NOT NULL CHECK (service IN ('energy', 'capacity')),
    period       INTEGER NOT NULL,          -- YYYYMM
    volume       DECIMAL(18, 3) NOT NULL CHECK (volume >= 0),
    doc_id       BIGINT NOT NULL,
    PRIMARY KEY (object_id, service, period)
);

-- The production calendar of Russia, day by day, as sbyt.core.workdays (the `holidays` package)
-- has it: filled and refreshed by sbyt.core.reference.install_reference (`sbyt init`) for the
-- years it names. `n` is the number of working days from the calendar's first day up to and
-- including the day, so the k-th working day after a day d is the working day whose n is n(d) + k.
CREATE TABLE production_calendar (
    day      DATE NOT NULL,             -- unique; no index: 22 000 rows written at once
    working  BOOLEAN NOT NULL,
    n        INTEGER NOT NULL
);

-- The SQL twin of sbyt.core.workdays.add_working_days(day, n): NULL outside the calendar.
CREATE MACRO working_day_after(p_day, p_n) AS (
    SELECT c.day FROM production_calendar AS c
    WHERE c.working AND c.n = (SELECT s.n FROM production_calendar AS s WHERE s.day = p_day) + p_n);

-- The SQL twin of sbyt.core.reference.rule(store, code, on): the numeric value of a dated rule in
-- force on a day (the latest valid_from <= on, valid_to NULL or after on), NULL if none is.
CREATE MACRO dated_rule_value(p_code, p_on) AS (
    SELECT r.value FROM dated_rule AS r
    WHERE r.code = p_code AND r.valid_from <= p_on AND (r.valid_to IS NULL OR r.valid_to > p_on)
    ORDER BY r.valid_from DESC LIMIT 1);

INSERT INTO code_label VALUES
    ('contract_doc', 'volumes', 'договорные объёмы'),
    ('volume_service', 'energy', 'Электроэнергия'),
    ('volume_service', 'capacity', 'Мощность');
INSERT INTO code_column VALUES
    ('contract_volume', 'service', 'volume_service');
