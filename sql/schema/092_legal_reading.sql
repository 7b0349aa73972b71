-- Integral readings of legal-entity measuring complexes (categories 1–2 are billed from them: the
-- monthly volume by zone). The dial as read, before the transformer ratios; the monthly volume is
-- (reading − previous) × ct_ratio × vt_ratio (sbyt.core.legal_readings). Like the households'
-- `reading`, rejected readings are kept with their reason. Rules: docs/legal.md.

CREATE TABLE legal_reading (
    id          BIGINT NOT NULL,
    meter_id    BIGINT NOT NULL,            -- legal_meter
    zone        TINYINT NOT NULL CHECK (zone BETWEEN 1 AND 3),
    read_on     DATE NOT NULL,
    value       DECIMAL(15, 4) NOT NULL,    -- the dial, kWh before the ratios (electronic meters show decimals)
    source      VARCHAR NOT NULL CHECK (source IN ('manual', 'controller', 'template')),
    status      VARCHAR NOT NULL CHECK (status IN ('accepted', 'rejected')),
    reason      VARCHAR,
    batch_id    BIGINT,                     -- import_batch of a template; NULL for an entry
    entered_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    entered_by  VARCHAR NOT NULL DEFAULT 'system'
);

INSERT INTO code_label VALUES
    ('legal_reading_source', 'manual', 'ручной ввод'),
    ('legal_reading_source', 'controller', 'контролёр'),
    ('legal_reading_source', 'template', 'шаблон XLSX');
INSERT INTO code_column VALUES
    ('legal_reading', 'source', 'legal_reading_source'),
    ('legal_reading', 'status', 'reading_status');
