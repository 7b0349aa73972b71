-- include: example1_base.sql
-- DOMAIN §12 example 1 as store rows. Month 2026-11 open; building 1 under direct management.
-- the flats' individual volumes of the month, as the volumes step writes them
INSERT INTO accrual_line (id, period, for_period, account_id, metering_point_id, service, zone, method,
                          seg_from, seg_to, volume_wh, price, amount_kop, status) VALUES
    (1, 202611, 202611, 1, 1, 'electricity', 1, 'readings', DATE '2026-11-01', DATE '2026-12-01',
     {flat1_kwh} * 1000, 1.936, round({flat1_kwh} * 193.6), 'draft'),
    (2, 202611, 202611, 2, 2, 'electricity', 1, 'readings', DATE '2026-11-01', DATE '2026-12-01',
     {flat2_kwh} * 1000, 1.936, round({flat2_kwh} * 193.6), 'draft'),
    (3, 202611, 202611, 3, 3, 'electricity', 1, 'normative', DATE '2026-11-01', DATE '2026-12-01',
     4000000, 1.936, 774400, 'draft');
