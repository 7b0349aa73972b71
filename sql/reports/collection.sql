-- name: collection
-- title: Собираемость платежей по районам и месяцам
-- description: Для каждого района и периода проводки: начислено (начисления, перерасчёты, пени),
--   оплачено и процент собираемости = оплачено / начислено × 100. Из проводок `posting`
--   (по периоду проводки); зачёт аванса не меняет оплату.
-- param period_from: period = current | Период с
-- param period_to: period = current | Период по
-- column district: text | Район
-- column period: period | Период
-- column accounts: int | Лицевых счетов с оплатой
-- column accrued_rub: money total | Начислено, руб.
-- column paid_rub: money total | Оплачено, руб.
-- column collection_pct: percent | Собираемость, %
WITH per_account AS (
    SELECT
        account_id,
        period,
        coalesce(sum(amount_kop) FILTER (WHERE kind IN ('accrual', 'recalc', 'penalty')), 0) AS accrued_kop,
        coalesce(-sum(amount_kop) FILTER (WHERE kind = 'payment'), 0) AS paid_kop
    FROM posting
    WHERE period BETWEEN $period_from AND $period_to
    GROUP BY account_id, period
),
by_district AS (
    SELECT
        se.district_id,
        t.period,
        count(*) FILTER (WHERE t.paid_kop <> 0) AS accounts,
        sum(t.accrued_kop) AS accrued_kop,
        sum(t.paid_kop) AS paid_kop
    FROM per_account AS t
    JOIN account AS a ON a.id = t.account_id
    LEFT JOIN premise AS pr ON pr.id = a.premise_id
    LEFT JOIN building AS b ON b.id = pr.building_id
    LEFT JOIN street AS st ON st.id = b.street_id
    LEFT JOIN settlement AS se ON se.id = st.settlement_id
    GROUP BY se.district_id, t.period
)
SELECT
    coalesce(d.name, '(без района)') AS district,
    g.period AS period,
    g.accounts AS accounts,
    CAST(g.accrued_kop * 0.01 AS DECIMAL(18, 2)) AS accrued_rub,
    CAST(g.paid_kop * 0.01 AS DECIMAL(18, 2)) AS paid_rub,
    CASE WHEN g.accrued_kop > 0 THEN CAST(g.paid_kop * 100.0 / g.accrued_kop AS DECIMAL(9, 2)) END AS collection_pct
FROM by_district AS g
LEFT JOIN district AS d ON d.id = g.district_id
WHERE g.accrued_kop <> 0 OR g.paid_kop <> 0
ORDER BY d.name NULLS LAST, g.period
