-- name: odn_calc
-- title: Расчёт ОДН в МКД
-- description: Результат расчёта электроэнергии на общедомовые нужды за период по каждому МКД:
--   способ (по ОДПУ, по среднему, по нормативу), объём дома по ОДПУ, потребление нежилых
--   помещений, квартир без ПУ и с ПУ, отопление, ОДН до ограничения, предел (норматив СОИ ×
--   площадь МОП), ОДН к распределению, небаланс; кому выставлен ОДН (жителям — при
--   непосредственном управлении или без способа управления, иначе — управляющей организации)
--   и начислено жителям.
-- param period: period = current | Период
-- param district: text = '' | Район (пусто — все)
-- column district: text | Район
-- column building_code: text | Код дома
-- column address: text | Адрес МКД
-- column management: text | Способ управления
-- column manager: text | Управляющая организация
-- column method: text | Способ расчёта
-- column area_total: number | Площадь помещений, м²
-- column area_common: number | Площадь МОП, м²
-- column common_kwh: kwh total | Объём по ОДПУ, кВт·ч
-- column nonres_kwh: kwh total | Нежилые, кВт·ч
-- column unmetered_kwh: kwh total | Квартиры без ПУ, кВт·ч
-- column metered_kwh: kwh total | Квартиры с ПУ, кВт·ч
-- column heating_kwh: kwh total | Отопление/ГВС, кВт·ч
-- column raw_kwh: kwh total | ОДН до ограничения, кВт·ч
-- column cap_kwh: kwh total | Норматив СОИ × S МОП, кВт·ч
-- column odn_kwh: kwh total | ОДН распределено, кВт·ч
-- column imbalance_kwh: kwh total | Небаланс, кВт·ч
-- column billed_to: text | Кому выставлен
-- column billed_rub: money total | Начислено жителям, руб.
WITH billed AS (
    SELECT s.building_id, sum(l.amount_kop) AS amount_kop
    FROM accrual_line AS l
    JOIN account AS a ON a.id = l.account_id
    JOIN odn_share AS s ON s.period = l.period AND s.premise_id = a.premise_id
    WHERE l.period = $period AND l.service = 'odn'
    GROUP BY s.building_id
)
SELECT
    d.name AS district,
    b.code AS building_code,
    concat_ws(', ', se.name, st.name, 'д. ' || b.house_no) AS address,
    CASE r.management WHEN 'uk' THEN 'УК' WHEN 'tszh' THEN 'ТСЖ' WHEN 'zhsk' THEN 'ЖСК'
        WHEN 'direct' THEN 'непосредственное' ELSE 'не выбран' END AS management,
    mg.name AS manager,
    CASE r.source WHEN 'readings' THEN 'по ОДПУ' WHEN 'average' THEN 'по среднему ОДПУ'
        ELSE 'по нормативу' END AS method,
    r.area_total AS area_total,
    r.area_common AS area_common,
    CAST(r.common_wh / 1000 AS DECIMAL(18, 3)) AS common_kwh,
    CAST(r.nonres_wh / 1000 AS DECIMAL(18, 3)) AS nonres_kwh,
    CAST(r.unmetered_wh / 1000 AS DECIMAL(18, 3)) AS unmetered_kwh,
    CAST(r.metered_wh / 1000 AS DECIMAL(18, 3)) AS metered_kwh,
    CAST(r.heating_wh / 1000 AS DECIMAL(18, 3)) AS heating_kwh,
    CAST(r.raw_wh / 1000 AS DECIMAL(18, 3)) AS raw_kwh,
    CAST(r.cap_wh / 1000 AS DECIMAL(18, 3)) AS cap_kwh,
    CAST(r.odn_wh / 1000 AS DECIMAL(18, 3)) AS odn_kwh,
    CAST(greatest(-r.raw_wh, 0) / 1000 AS DECIMAL(18, 3)) AS imbalance_kwh,
    CASE r.billed_to WHEN 'residents' THEN 'жителям' ELSE 'управляющей организации' END AS billed_to,
    CAST(coalesce(bl.amount_kop, 0) * 0.01 AS DECIMAL(18, 2)) AS billed_rub
FROM odn_result AS r
JOIN building AS b ON b.id = r.building_id
LEFT JOIN street AS st ON st.id = b.street_id
LEFT JOIN settlement AS se ON se.id = st.settlement_id
LEFT JOIN district AS d ON d.id = se.district_id
LEFT JOIN manager AS mg ON mg.id = r.manager_id
LEFT JOIN billed AS bl ON bl.building_id = r.building_id
WHERE r.period = $period
  AND ($district = '' OR d.name = $district OR d.code = $district)
ORDER BY d.name, se.name, st.name, b.route_order, b.house_no, b.code
