-- The state duty scale (госпошлина, НК 333.19 for general courts, НК 333.21 for arbitration courts)
-- as dated bands (docs/collection.md «Госпошлина и исковая давность»). Shipped in
-- sbyt/data/state_duty.csv and installed by `sbyt init` (sbyt.core.reference.install_reference);
-- a new scale is a new set of rows with its own valid_from, the old one closed by valid_to.
--
-- A claim of C roubles falls in the band of its scale with the greatest from_rub below C (the
-- first band for the smallest claims): duty = base_rub + rate_percent % × (C − from_rub), then
-- raised to min_rub and capped at max_rub where given. sbyt.core.debt_law.state_duty computes it.
CREATE TABLE state_duty_band (
    court         VARCHAR NOT NULL CHECK (court IN ('general', 'arbitration')),
    valid_from    DATE NOT NULL,              -- applications filed on or after this day
    valid_to      DATE,                       -- and before this day (NULL: in force)
    from_rub      BIGINT NOT NULL CHECK (from_rub >= 0),
    base_rub      DECIMAL(18, 2) NOT NULL,
    rate_percent  DECIMAL(9, 4) NOT NULL,
    min_rub       DECIMAL(18, 2),
    max_rub       DECIMAL(18, 2),
    note          VARCHAR,                    -- the source, and [не проверено] where it is
    PRIMARY KEY (court, valid_from, from_rub)
);
