-- name: odn_detail
-- title: Детализация ОДН по МКД
-- description: Расчёт потребления электроэнергии на общедомовые нужды (форма Ф-83) по одному
--   МКД за период: площади дома; общедомовые приборы учёта по зонам с расчётным коэффициентом,
--   показаниями на начало и конец периода и объёмом; итог — объём МКД, объём помещений и объём
--   ОДН; затем распределение ОДН по нежилым и жилым помещениям: площадь, доля площади
--   (коэффициент), индивидуальное потребление и ОДН по зонам (Т1 — день или сутки, Т2 — ночь).
-- param period: period = current | Период
-- param building: text | Дом (код МКД)
-- column section: text | Раздел
-- column item: text | Помещение / прибор учёта
-- column account_number: text | Лицевой счёт / заводской номер
-- column holder: text | ФИО / зона
-- column area: number | Площадь, м²
-- column coef: number | Коэффициент
-- column start_value: int | Показание на начало
-- column end_value: int | Показание на конец
-- column volume_kwh: kwh | Объём потребления, кВт·ч
-- column odn_t1_kwh: kwh | ОДН день (Т1), кВт·ч
-- column odn_t2_kwh: kwh | ОДН ночь (Т2), кВт·ч
-- column odn_t3_kwh: kwh | ОДН Т3, кВт·ч
-- column odn_kwh: kwh | ОДН всего, кВт·ч
WITH b AS (
    SELECT b.id, b.code, concat_ws(', ', se.name, st.name, 'д. ' || b.house_no) AS address
    FROM building AS b
    LEFT JOIN street AS st ON st.id = b.street_id
    LEFT JOIN settlement AS se ON se.id = st.settlement_id
    WHERE b.code = $building
),
r AS (SELECT r.* FROM odn_result AS r JOIN b ON b.id = r.building_id WHERE r.period = $period),
f AS (
    SELECT f.* FROM building_fact AS f JOIN b ON b.id = f.building_id
    WHERE f.valid_from <= last_day(make_date(CAST($period // 100 AS INTEGER), CAST($period % 100 AS INTEGER), 1))
      AND (f.valid_to IS NULL
           OR f.valid_to > last_day(make_date(CAST($period // 100 AS INTEGER), CAST($period % 100 AS INTEGER), 1)))
),
lines AS (
    -- 1. the building
    SELECT 1 AS ord1, 0 AS ord2, 0 AS ord3, 'МКД' AS section, b.address AS item, b.code AS account_number,
           CASE r.source WHEN 'readings' THEN 'по ОДПУ' WHEN 'average' THEN 'по среднему ОДПУ'
                WHEN 'normative' THEN 'по нормативу' END AS holder,
           f.area_residential + f.area_nonresidential AS area, NULL::DECIMAL(18, 6) AS coef,
           NULL::BIGINT AS start_value, NULL::BIGINT AS end_value,
           NULL::DECIMAL(18, 3) AS volume_kwh, NULL::DECIMAL(18, 3) AS odn_t1_kwh,
           NULL::DECIMAL(18, 3) AS odn_t2_kwh, NULL::DECIMAL(18, 3) AS odn_t3_kwh,
           NULL::DECIMAL(18, 3) AS odn_kwh
    FROM b LEFT JOIN r ON true LEFT JOIN f ON true
    UNION ALL
    SELECT 1, 1, 0, 'МКД', 'в т. ч. жилые помещения', NULL, NULL, f.area_residential, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL FROM f
    UNION ALL
    SELECT 1, 2, 0, 'МКД', 'нежилые помещения', NULL, NULL, f.area_nonresidential, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL FROM f
    UNION ALL
    SELECT 1, 3, 0, 'МКД', 'места общего пользования', NULL, NULL, f.area_common, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL FROM f
    UNION ALL
    -- 2. common meters by zone
    SELECT 2, v.meter_id, v.zone, 'ОДПУ', coalesce(m.model, '') ||
               CASE WHEN v.service = 'heating' THEN ' (отопление/ГВС)' ELSE '' END,
           m.serial,
           CASE WHEN m.zones = 1 THEN 'сутки' WHEN v.zone = 1 THEN 'день' WHEN v.zone = 2 AND m.zones = 2
                THEN 'ночь' WHEN v.zone = 2 THEN 'полупик' ELSE 'ночь' END,
           NULL, v.ratio, v.prev_value, v.cur_value, CAST(v.volume_wh / 1000 AS DECIMAL(18, 3)),
           NULL, NULL, NULL, NULL
    FROM odn_meter_volume AS v JOIN b ON b.id = v.building_id
    LEFT JOIN meter AS m ON m.id = v.meter_id
    WHERE v.period = $period
    UNION ALL
    -- 3. totals: building volume, premises volume, ОДН volume
    SELECT 3, 0, 0, 'Итого', 'Объём потребления МКД', NULL, NULL, NULL, NULL, NULL, NULL,
           CAST(r.common_wh / 1000 AS DECIMAL(18, 3)), NULL, NULL, NULL, NULL FROM r
    UNION ALL
    SELECT 3, 1, 0, 'Итого', 'Объём потребления в жилых и нежилых помещениях', NULL, NULL, NULL, NULL,
           NULL, NULL,
           CAST((r.nonres_wh + r.unmetered_wh + r.metered_wh) / 1000 AS DECIMAL(18, 3)), NULL, NULL, NULL,
           NULL FROM r
    UNION ALL
    SELECT 3, 2, 0, 'Итого', 'Отопление/ГВС', NULL, NULL, NULL, NULL, NULL, NULL,
           CAST(r.heating_wh / 1000 AS DECIMAL(18, 3)), NULL, NULL, NULL, NULL FROM r WHERE r.heating_wh <> 0
    UNION ALL
    SELECT 3, 3, 0, 'Итого', 'Объём ОДН (до ограничения)', NULL, NULL, NULL, NULL, NULL, NULL,
           CAST(r.raw_wh / 1000 AS DECIMAL(18, 3)), NULL, NULL, NULL, NULL FROM r
    UNION ALL
    SELECT 3, 4, 0, 'Итого', 'Объём ОДН к распределению', NULL, NULL, r.area_total, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, CAST(r.odn_wh / 1000 AS DECIMAL(18, 3)) FROM r
    UNION ALL
    -- 4, 5. distribution over non-residential, then residential premises
    SELECT CASE WHEN s.kind = 'nonres' THEN 4 ELSE 5 END, 0, s.premise_id,
           CASE WHEN s.kind = 'nonres' THEN 'Нежилые помещения' ELSE 'Жилые помещения' END,
           CASE s.kind WHEN 'nonres' THEN 'Помещение ' WHEN 'room' THEN 'Комната ' ELSE 'Квартира ' END
               || p.number,
           a.number, a.holder_name, s.area,
           CAST(CASE WHEN r.area_total > 0 THEN s.area / r.area_total END AS DECIMAL(18, 6)),
           NULL, NULL, CAST(s.individual_wh / 1000 AS DECIMAL(18, 3)),
           CAST(s.zone1_wh / 1000 AS DECIMAL(18, 3)), CAST(s.zone2_wh / 1000 AS DECIMAL(18, 3)),
           CAST(s.zone3_wh / 1000 AS DECIMAL(18, 3)), CAST(s.odn_wh / 1000 AS DECIMAL(18, 3))
    FROM odn_share AS s JOIN r ON r.building_id = s.building_id AND r.period = s.period
    JOIN premise AS p ON p.id = s.premise_id
    LEFT JOIN account AS a ON a.id = coalesce(s.account_id, (
        SELECT min(x.id) FROM account AS x WHERE x.premise_id = s.premise_id))
)
SELECT section, item, account_number, holder, area, coef, start_value, end_value, volume_kwh,
       odn_t1_kwh, odn_t2_kwh, odn_t3_kwh, odn_kwh
FROM lines
ORDER BY ord1, ord2, ord3
