-- The bailiffs' (ФССП) exchange (docs/collection.md «Обмен с ФССП», sbyt.io.fssp).
--
-- A citizen-debtor's identity as the application to open enforcement proceedings needs it
-- (229-ФЗ ст. 13 ч. 1 п. 5 «а»): full name, residence, date and place of birth and at least one
-- identifier — СНИЛС, ИНН, the series and number of the identity document (a passport of the
-- Russian Federation here), of the driving licence or of the vehicle registration certificate.
-- One row per debtor: a household account (its holder) or a sole trader (counterparty). An
-- organisation's ИНН / ОГРН come from its counterparty card, not from here.
CREATE TABLE debtor_identity (
    account_id          BIGINT UNIQUE,          -- a household debtor: the account's holder
    counterparty_id     BIGINT UNIQUE,          -- a sole trader
    full_name           VARCHAR,                -- ФИО in full, when the holder name is abbreviated
    birth_date          DATE,
    birth_place         VARCHAR,
    residence           VARCHAR,                -- место жительства (пребывания), when not the account's address
    snils               VARCHAR,                -- 11 digits, no separators
    inn                 VARCHAR,                -- 12 digits (a citizen)
    passport_series     VARCHAR,                -- 4 digits
    passport_number     VARCHAR,                -- 6 digits
    passport_issued_on  DATE,
    passport_issued_by  VARCHAR,
    driving_licence     VARCHAR,                -- series and number: 10 characters, no spaces
    vehicle_cert        VARCHAR,                -- свидетельство о регистрации ТС: 10 characters
    updated_by          VARCHAR NOT NULL DEFAULT 'system',
    updated_at          TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK ((account_id IS NULL) <> (counterparty_id IS NULL))
);

-- The penalties awarded within debt_writ.amount_kop (principal = amount_kop - penalty_kop). NULL:
-- the split of the case's latest court document when its total equals amount_kop, else unknown
-- (the export then carries the total only).
ALTER TABLE debt_writ ADD COLUMN penalty_kop BIGINT;

-- What a role without 'pd.read' reads (migration 081): the identity is personal data.
CREATE VIEW masked.debtor_identity AS
    SELECT * REPLACE (mask_name(full_name) AS full_name, CAST(NULL AS DATE) AS birth_date,
                      CASE WHEN birth_place IS NULL THEN NULL ELSE '***' END AS birth_place,
                      CASE WHEN residence IS NULL THEN NULL ELSE '***' END AS residence,
                      CASE WHEN snils IS NULL THEN NULL ELSE '***' || right(snils, 2) END AS snils,
                      CASE WHEN inn IS NULL THEN NULL ELSE '***' || right(inn, 2) END AS inn,
                      CASE WHEN passport_series IS NULL THEN NULL ELSE '***' END AS passport_series,
                      CASE WHEN passport_number IS NULL THEN NULL ELSE '***' || right(passport_number, 2) END
                          AS passport_number,
                      CAST(NULL AS DATE) AS passport_issued_on,
                      CASE WHEN passport_issued_by IS NULL THEN NULL ELSE '***' END AS passport_issued_by,
                      CASE WHEN driving_licence IS NULL THEN NULL ELSE '***' || right(driving_licence, 2) END
                          AS driving_licence,
                      CASE WHEN vehicle_cert IS NULL THEN NULL ELSE '***' || right(vehicle_cert, 2) END
                          AS vehicle_cert)
    FROM main.debtor_identity;
