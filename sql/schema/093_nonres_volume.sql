-- Non-residential premises of apartment buildings billed on a legal-entity contract (a calculation
-- object with building_id + premise_no): their monthly volumes enter the building's ОДН balance
-- (calc/odn_gather.py reads `nonres_volume` when it exists) in place of a household-side metering
-- point of the same premise. Rules: docs/legal.md, docs/odn.md.
--
-- The month of a measuring complex: its hourly volumes (АСКУЭ 80020 or the hourly template;
-- rejected hours are not consumption), else its integral readings — the accepted readings ending in
-- the month, each less the previous one of the zone (a rollover past the meter's digits counted
-- once), × ct_ratio × vt_ratio, in Wh rounded half-up once per complex and month.

CREATE VIEW legal_reading_step AS
SELECT r.meter_id, r.zone, r.prev_date, r.prev_value, r.read_on, r.value,
       CAST(year(r.read_on) * 100 + month(r.read_on) AS INTEGER) AS period,
       CASE WHEN r.value >= r.prev_value THEN r.value - r.prev_value
            WHEN 10 * r.prev_value >= 9 * pow(10, m.digits) AND 10 * r.value < pow(10, m.digits)
                THEN r.value + CAST(pow(10, m.digits) AS BIGINT) - r.prev_value END AS diff
FROM (SELECT meter_id, zone, read_on, value,
             lag(value) OVER w AS prev_value, lag(read_on) OVER w AS prev_date
      FROM legal_reading WHERE status = 'accepted'
      WINDOW w AS (PARTITION BY meter_id, zone ORDER BY read_on, id)) r
JOIN legal_meter m ON m.id = r.meter_id
WHERE r.prev_value IS NOT NULL;

CREATE VIEW legal_meter_month AS
WITH hourly AS (
    SELECT meter_id, CAST(year(day) * 100 + month(day) AS INTEGER) AS period, sum(value_wh) AS wh
    FROM meter_hour WHERE status <> 'rejected' GROUP BY ALL),
integral AS (
    SELECT s.meter_id, s.period,
           CAST(round(sum(s.diff) * m.ct_ratio * m.vt_ratio * 1000) AS BIGINT) AS wh
    FROM legal_reading_step s JOIN legal_meter m ON m.id = s.meter_id
    GROUP BY s.meter_id, s.period, m.ct_ratio, m.vt_ratio
    HAVING bool_and(s.diff IS NOT NULL))
SELECT meter_id, period, CAST(wh AS BIGINT) AS volume_wh, 'hourly' AS source FROM hourly
UNION ALL
SELECT i.meter_id, i.period, i.wh, 'integral' FROM integral i
WHERE NOT EXISTS (SELECT 1 FROM hourly h WHERE h.meter_id = i.meter_id AND h.period = i.period);

CREATE VIEW nonres_volume AS
SELECT v.period, pr.id AS premise_id, CAST(sum(v.volume_wh) AS BIGINT) AS volume_wh
FROM legal_meter_month v
JOIN legal_meter m ON m.id = v.meter_id
JOIN legal_point p ON p.id = m.point_id
JOIN calc_object o ON o.id = p.object_id
JOIN premise pr ON pr.building_id = o.building_id AND pr.number = o.premise_no AND pr.kind = 'nonres'
GROUP BY v.period, pr.id;
