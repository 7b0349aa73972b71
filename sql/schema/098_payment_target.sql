-- Distribution of legal-entity payments by the documents their purposes name, and the signed
-- reconciliation acts (docs/legal.md «Разнесение оплат юридических лиц», «Акт сверки»).
--
-- A payment (legal_posting kind 'payment') whose purpose names a document of its contract — an
-- invoice for payment «С-123», a VAT invoice «с/ф № 45» — pays that document's month first
-- (`sbyt.core.legal_schedule.match`); one row per named document, in the order the purpose names
-- them, written when the payment is posted (`sbyt.core.legal_payments`). A posting without rows
-- here names nothing and pays the earliest debt.
CREATE TABLE legal_payment_target (
    posting_id   BIGINT NOT NULL,          -- legal_posting.id of the payment
    seq          SMALLINT NOT NULL,        -- 1, 2, … in the order of the purpose
    doc_id       BIGINT NOT NULL,          -- legal_doc.id named
    for_period   INTEGER NOT NULL,         -- the month it pays first (legal_doc.for_period)
    debt         VARCHAR NOT NULL CHECK (debt IN ('energy', 'penalty')),   -- an invoice for penalties pays them
    PRIMARY KEY (posting_id, seq)
);

-- A reconciliation act signed by the consumer (ГК РФ ст. 203: signed by an authorised person it
-- acknowledges the debt and interrupts limitation): who signed, whether they were authorised, and
-- the balance on the act's last day the act states. Append-only (`sbyt contract recon-signed`).
CREATE TABLE recon_act_signed (
    id           BIGINT PRIMARY KEY,
    contract_id  BIGINT NOT NULL,
    date_from    DATE,                     -- the act's first day (NULL: not stated)
    date_to      DATE NOT NULL,            -- the act's last day: the balance acknowledged on it
    signed_on    DATE NOT NULL,
    signer       VARCHAR NOT NULL,         -- «ФИО, должность» of the consumer's signer
    authorised   BOOLEAN NOT NULL,         -- the signer's authority confirmed (charter, power of attorney)
    balance_kop  BIGINT NOT NULL,          -- the contract's balance on date_to: + the consumer owes, − advance
    created_by   VARCHAR NOT NULL DEFAULT 'system',
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);
