-- name: meters_count
-- title: Информация о количестве ПУ
-- description: Количество лицевых счетов и приборов учёта на дату по населённым пунктам:
--   лицевые счета в МКД и в жилых домах, из них с прибором учёта (собственным или общим
--   квартирным в коммунальной квартире), индивидуальные ПУ по числу зон, общедомовые ПУ и МКД
--   без ОДПУ.
-- param on_date: date = today | На дату
-- column district: text | Район
-- column settlement: text | Населённый пункт
-- column accounts_mkd: int total | ЛС в МКД
-- column accounts_mkd_metered: int total | из них с ПУ
-- column accounts_house: int total | ЛС в жилых домах
-- column accounts_house_metered: int total | из них с ПУ
-- column meters_individual: int total | ИПУ
-- column meters_z1: int total | ИПУ однотарифные
-- column meters_z2: int total | ИПУ двухзонные
-- column meters_z3: int total | ИПУ трёхзонные
-- column meters_common: int total | ОДПУ
-- column mkd_without_common: int total | МКД без ОДПУ
WITH live_meter AS (
    SELECT id, metering_point_id, zones FROM meter
    WHERE installed <= $on_date AND (removed IS NULL OR removed > $on_date)
),
point_metered AS (SELECT DISTINCT metering_point_id AS id FROM live_meter),
metered_acc AS (
    -- an account's own meter, or the shared meter of its communal flat (the parent point)
    SELECT mp.account_id FROM metering_point AS mp JOIN point_metered AS pm ON pm.id = mp.id
    WHERE mp.account_id IS NOT NULL
    UNION
    SELECT mp.account_id FROM metering_point AS mp JOIN point_metered AS pm ON pm.id = mp.parent_id
    WHERE mp.account_id IS NOT NULL
),
acc AS (
    SELECT a.id, p.building_id, b.kind AS bkind, st.settlement_id, ma.account_id IS NOT NULL AS metered
    FROM account AS a
    JOIN premise AS p ON p.id = a.premise_id
    JOIN building AS b ON b.id = p.building_id
    JOIN street AS st ON st.id = b.street_id
    LEFT JOIN metered_acc AS ma ON ma.account_id = a.id
    WHERE a.opened <= $on_date AND (a.closed IS NULL OR a.closed > $on_date)
),
acc_s AS (
    SELECT settlement_id,
           count(*) FILTER (WHERE bkind = 'mkd') AS accounts_mkd,
           count(*) FILTER (WHERE bkind = 'mkd' AND metered) AS accounts_mkd_metered,
           count(*) FILTER (WHERE bkind = 'house') AS accounts_house,
           count(*) FILTER (WHERE bkind = 'house' AND metered) AS accounts_house_metered
    FROM acc GROUP BY settlement_id
),
met AS (
    SELECT coalesce(b1.street_id, b2.street_id, b3.street_id) AS street_id, mp.kind, m.zones
    FROM live_meter AS m
    JOIN metering_point AS mp ON mp.id = m.metering_point_id
    LEFT JOIN account AS a ON a.id = mp.account_id
    LEFT JOIN premise AS p1 ON p1.id = a.premise_id
    LEFT JOIN building AS b1 ON b1.id = p1.building_id
    LEFT JOIN premise AS p2 ON p2.id = mp.premise_id
    LEFT JOIN building AS b2 ON b2.id = p2.building_id
    LEFT JOIN building AS b3 ON b3.id = mp.building_id
),
met_s AS (
    SELECT st.settlement_id,
           count(*) FILTER (WHERE met.kind <> 'common') AS meters_individual,
           count(*) FILTER (WHERE met.kind <> 'common' AND met.zones = 1) AS meters_z1,
           count(*) FILTER (WHERE met.kind <> 'common' AND met.zones = 2) AS meters_z2,
           count(*) FILTER (WHERE met.kind <> 'common' AND met.zones = 3) AS meters_z3,
           count(*) FILTER (WHERE met.kind = 'common') AS meters_common
    FROM met JOIN street AS st ON st.id = met.street_id
    GROUP BY st.settlement_id
),
common_b AS (
    SELECT DISTINCT mp.building_id FROM metering_point AS mp JOIN point_metered AS pm ON pm.id = mp.id
    WHERE mp.kind = 'common'
),
mkd_s AS (
    SELECT st.settlement_id, count(*) FILTER (WHERE cb.building_id IS NULL) AS mkd_without_common
    FROM building AS b JOIN street AS st ON st.id = b.street_id
    LEFT JOIN common_b AS cb ON cb.building_id = b.id
    WHERE b.kind = 'mkd' AND (b.opened IS NULL OR b.opened <= $on_date) AND (b.closed IS NULL OR b.closed > $on_date)
    GROUP BY st.settlement_id
)
SELECT
    d.name AS district,
    se.name AS settlement,
    coalesce(a.accounts_mkd, 0) AS accounts_mkd,
    coalesce(a.accounts_mkd_metered, 0) AS accounts_mkd_metered,
    coalesce(a.accounts_house, 0) AS accounts_house,
    coalesce(a.accounts_house_metered, 0) AS accounts_house_metered,
    coalesce(m.meters_individual, 0) AS meters_individual,
    coalesce(m.meters_z1, 0) AS meters_z1,
    coalesce(m.meters_z2, 0) AS meters_z2,
    coalesce(m.meters_z3, 0) AS meters_z3,
    coalesce(m.meters_common, 0) AS meters_common,
    coalesce(k.mkd_without_common, 0) AS mkd_without_common
FROM settlement AS se
JOIN district AS d ON d.id = se.district_id
LEFT JOIN acc_s AS a ON a.settlement_id = se.id
LEFT JOIN met_s AS m ON m.settlement_id = se.id
LEFT JOIN mkd_s AS k ON k.settlement_id = se.id
ORDER BY d.name, se.name
