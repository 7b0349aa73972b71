-- Delivery of payment documents (ЕПД) by e-mail: one row per attempt. A document counts as
-- delivered once a row with status 'sent' exists for (period, account_id); `sbyt epd send`
-- never sends it again, and retries only the failed ones. See docs/epd.md.
CREATE TABLE epd_delivery (
    id           BIGINT PRIMARY KEY,
    period       INTEGER NOT NULL,           -- the month of the ЕПД
    account_id   BIGINT NOT NULL,
    email        VARCHAR NOT NULL,
    status       VARCHAR NOT NULL CHECK (status IN ('sent', 'failed')),
    error        VARCHAR,                    -- why it failed (SMTP reply, refused recipient, ...)
    attempted_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    attempted_by VARCHAR NOT NULL
);
CREATE SEQUENCE epd_delivery_seq START 1;
