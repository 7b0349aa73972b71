-- Cancelling an act of unmetered or non-contracted consumption (`sbyt act cancel`, docs/legal.md):
-- the act stays with status 'cancelled', why, by whom and when. Allowed while the month the act is
-- billed in (`period`) is open; after its close a recalculation is needed instead.
ALTER TABLE consumption_act ADD COLUMN cancel_reason VARCHAR;
ALTER TABLE consumption_act ADD COLUMN cancelled_by VARCHAR;
ALTER TABLE consumption_act ADD COLUMN cancelled_at TIMESTAMP;

INSERT INTO code_label VALUES
    ('act_status', 'active', 'действует'),
    ('act_status', 'cancelled', 'отменён');
INSERT INTO code_column VALUES
    ('consumption_act', 'status', 'act_status'),
    ('consumption_act', 'voltage', 'voltage');
