-- name: accruals_summary
-- title: Начисления за период по районам, услугам и способам расчёта
-- description: Строки начислений расчётного периода (черновые и проведённые), сгруппированные
--   по району, услуге и способу расчёта: число строк и лицевых счетов, объём, сумма и НДС в ней.
--   Перерасчёты прошлых периодов, учтённые в этом периоде, входят со способом «перерасчёт».
-- param period: period = current | Расчётный период
-- column district: text | Район
-- column service: text | Услуга
-- column method: text | Способ расчёта
-- column lines: int total | Строк
-- column accounts: int total | Лицевых счетов
-- column volume_kwh: kwh total | Объём, кВт·ч
-- column amount_rub: money total | Начислено, руб.
-- column vat_rub: money total | В т. ч. НДС, руб.
WITH lines AS (
    SELECT
        se.district_id,
        l.service,
        l.method,
        count(*) AS lines,
        count(DISTINCT l.account_id) AS accounts,
        sum(l.volume_wh) AS volume_wh,
        sum(l.amount_kop) AS amount_kop,
        sum(l.vat_kop) AS vat_kop
    FROM accrual_line AS l
    LEFT JOIN account AS a ON a.id = l.account_id
    LEFT JOIN premise AS pr ON pr.id = a.premise_id
    LEFT JOIN building AS b ON b.id = pr.building_id
    LEFT JOIN street AS st ON st.id = b.street_id
    LEFT JOIN settlement AS se ON se.id = st.settlement_id
    WHERE l.period = $period
    GROUP BY se.district_id, l.service, l.method
)
SELECT
    coalesce(d.name, '(без района)') AS district,
    CASE g.service
        WHEN 'electricity' THEN 'Электроснабжение'
        WHEN 'odn' THEN 'Электроэнергия на СОИ (ОДН)'
        WHEN 'penalty' THEN 'Пени'
        ELSE g.service
    END AS service,
    CASE g.method
        WHEN 'readings' THEN 'по показаниям'
        WHEN 'average' THEN 'по среднему'
        WHEN 'normative' THEN 'по нормативу'
        WHEN 'odn_meter' THEN 'ОДН по ОДПУ'
        WHEN 'odn_normative' THEN 'ОДН по нормативу'
        WHEN 'recalc' THEN 'перерасчёт'
        WHEN 'manual' THEN 'вручную'
        WHEN 'penalty' THEN 'пени'
        ELSE g.method
    END AS method,
    g.lines AS lines,
    g.accounts AS accounts,
    CAST(g.volume_wh * 0.001 AS DECIMAL(18, 3)) AS volume_kwh,
    CAST(g.amount_kop * 0.01 AS DECIMAL(18, 2)) AS amount_rub,
    CAST(g.vat_kop * 0.01 AS DECIMAL(18, 2)) AS vat_rub
FROM lines AS g
LEFT JOIN district AS d ON d.id = g.district_id
ORDER BY d.name NULLS LAST, g.service, g.method
