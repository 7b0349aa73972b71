-- The counterparty card lists the payments of its INN: household-side payment rows and, since bank
-- statements route legal payers to their contracts (migration 098), the contracts' payments too,
-- shown with this status.
INSERT INTO code_label VALUES ('payment_status', 'contract', 'по договору');
