-- Payments: every money receipt from a cash desk, a bank statement, a payment agent's registry,
-- a bank xlsx statement or ГИС ЖКХ. A matched payment is distributed into ledger postings
-- (kind 'payment', negative amounts, ref_id = payment.id); an unidentified one waits for an
-- operator with account_id NULL and no postings. See docs/payments.md.
CREATE TABLE payment (
    id              BIGINT NOT NULL,
    batch_id        BIGINT,                  -- import_batch.id (NULL for a cash-desk entry)
    source          VARCHAR NOT NULL CHECK (source IN ('cash', 'bank', 'xlsx', 'registry', 'gis',
                                                       'portal', 'demo', 'transfer')),
    pay_date        DATE NOT NULL,           -- the payment day (op_date of its postings)
    period          INTEGER NOT NULL,        -- the month it is posted in (YYYYMM)
    amount_kop      BIGINT NOT NULL CHECK (amount_kop > 0),
    account_id      BIGINT,                  -- NULL while unidentified
    status          VARCHAR NOT NULL CHECK (status IN ('posted', 'unidentified', 'aggregate', 'refunded')),
    matched_by      VARCHAR,                 -- account, pattern, contract, inn, els, manual
    -- the payer's designation (optional): the month and/or service the payment is for
    for_period      INTEGER,
    for_service     VARCHAR,
    -- what the source said, kept for the operator and for matching
    raw_account     VARCHAR,
    payer_name      VARCHAR,
    payer_inn       VARCHAR,
    payer_account   VARCHAR,
    doc_no          VARCHAR,
    doc_date        DATE,
    purpose         VARCHAR,
    row_no          INTEGER,                 -- line / row of the source file
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by      VARCHAR NOT NULL DEFAULT 'system'
);
CREATE SEQUENCE payment_seq START 1;

-- Identifiers that lead a payment to an account when the payer did not give its number:
-- contract numbers, payer INNs, ГИС ЖКХ single account numbers (ЕЛС). `sbyt pay match` learns
-- the payer's INN when an operator matches a payment by hand.
CREATE TABLE payment_alias (
    kind        VARCHAR NOT NULL CHECK (kind IN ('contract', 'inn', 'els')),
    value       VARCHAR NOT NULL,
    account_id  BIGINT NOT NULL,
    note        VARCHAR,
    PRIMARY KEY (kind, value, account_id)
);

-- Regular expressions tried on the purpose text; group 1 is the identifier of `kind`.
CREATE TABLE payment_pattern (
    id        INTEGER PRIMARY KEY,
    kind      VARCHAR NOT NULL CHECK (kind IN ('account', 'contract', 'inn', 'els')),
    pattern   VARCHAR NOT NULL,
    priority  INTEGER NOT NULL DEFAULT 100,
    note      VARCHAR
);
INSERT INTO payment_pattern VALUES
    (1, 'account', '(?i)(?:л\s*/\s*с(?:ч(?:ет|ёт)?)?|лиц(?:\.|евой|евого)?\s*сч(?:\.|ет|ёт|ета|ёта)?)\s*[№N#:.]?\s*(\d{10})(?:\D|$)', 10,
        '«л/с 1234567890», «лицевой счет № 1234567890»'),
    (2, 'account', '(?i)\bЛС\s*[№N#:.]?\s*(\d{10})(?:\D|$)', 20, '«ЛС1234567890»'),
    (3, 'contract', '(?i)договор[а-я]*\s*(?:№|N|No\.?)?\s*([0-9A-Za-zА-Яа-я/_-]*\d[0-9A-Za-zА-Яа-я/_-]*)', 50,
        '«по договору № 12/345-Э»');

-- An aggregated transfer of a payment agent: the statement line and the registry that details it
-- must agree (agent INN, order number, amount).
CREATE TABLE payment_transfer (
    agent_inn        VARCHAR NOT NULL,
    doc_no           VARCHAR NOT NULL,
    doc_date         DATE,
    amount_kop       BIGINT NOT NULL,
    statement_payment_id BIGINT,             -- the bank statement line, once imported
    registry_batch_id    BIGINT,             -- the registry, once imported
    PRIMARY KEY (agent_inn, doc_no)
);

-- Penalty details: the day ranges behind every penalty accrual line (what `sbyt explain` prints).
CREATE TABLE penalty_detail (
    period        INTEGER NOT NULL,          -- the month calculated
    account_id    BIGINT NOT NULL,
    debt_period   INTEGER NOT NULL,          -- the month whose debt is late
    due_date      DATE NOT NULL,
    date_from     DATE NOT NULL,             -- inclusive
    date_to       DATE NOT NULL,             -- inclusive
    days          INTEGER NOT NULL,
    delay_from    INTEGER NOT NULL,          -- day of delay at date_from (1 = the day after the due date)
    debt_kop      BIGINT NOT NULL,
    rate          DECIMAL(7, 3) NOT NULL,    -- % applied (key rate, capped)
    den           INTEGER NOT NULL,          -- fraction 1/den
    amount_milli  BIGINT NOT NULL            -- exact share of the line in 1/1000 kopeck (before rounding)
);
