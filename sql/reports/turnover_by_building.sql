-- name: turnover_by_building
-- title: Оборотно-сальдовая ведомость по домам
-- description: Оборотно-сальдовая ведомость, свёрнутая по домам: число лицевых счетов с оборотами
--   или сальдо, сальдо на начало, начислено, перерасчёты, пени, оплачено, прочее, сальдо на конец.
--   Правила сумм — как в turnover_by_account.
-- param period_from: period = current | Период с
-- param period_to: period = current | Период по
-- param service: text = '' | Услуга
-- column district: text | Район
-- column building_code: text | Код дома
-- column address: text | Адрес
-- column accounts: int total | Лицевых счетов
-- column opening_rub: money total | Сальдо на начало
-- column accrued_rub: money total | Начислено
-- column recalc_rub: money total | Перерасчёт
-- column penalty_rub: money total | Пени
-- column paid_rub: money total | Оплачено
-- column other_rub: money total | Прочее
-- column closing_rub: money total | Сальдо на конец
WITH turnover AS (
    SELECT * FROM turnover($period_from, $period_to, $service)
),
by_building AS (
    SELECT
        pr.building_id,
        count(*) AS accounts,
        sum(t.opening_kop) AS opening_kop,
        sum(t.accrued_kop) AS accrued_kop,
        sum(t.recalc_kop) AS recalc_kop,
        sum(t.penalty_kop) AS penalty_kop,
        sum(t.paid_kop) AS paid_kop,
        sum(t.other_kop) AS other_kop,
        sum(t.closing_kop) AS closing_kop
    FROM turnover AS t
    JOIN account AS a ON a.id = t.account_id
    LEFT JOIN premise AS pr ON pr.id = a.premise_id
    WHERE t.opening_kop <> 0 OR t.accrued_kop <> 0 OR t.recalc_kop <> 0 OR t.penalty_kop <> 0
       OR t.paid_kop <> 0 OR t.other_kop <> 0 OR t.closing_kop <> 0
    GROUP BY pr.building_id
)
SELECT
    d.name AS district,
    b.code AS building_code,
    concat_ws(', ', se.name, st.name, 'д. ' || b.house_no) AS address,
    g.accounts AS accounts,
    CAST(g.opening_kop * 0.01 AS DECIMAL(18, 2)) AS opening_rub,
    CAST(g.accrued_kop * 0.01 AS DECIMAL(18, 2)) AS accrued_rub,
    CAST(g.recalc_kop * 0.01 AS DECIMAL(18, 2)) AS recalc_rub,
    CAST(g.penalty_kop * 0.01 AS DECIMAL(18, 2)) AS penalty_rub,
    CAST(g.paid_kop * 0.01 AS DECIMAL(18, 2)) AS paid_rub,
    CAST(g.other_kop * 0.01 AS DECIMAL(18, 2)) AS other_rub,
    CAST(g.closing_kop * 0.01 AS DECIMAL(18, 2)) AS closing_rub
FROM by_building AS g
LEFT JOIN building AS b ON b.id = g.building_id
LEFT JOIN street AS st ON st.id = b.street_id
LEFT JOIN settlement AS se ON se.id = st.settlement_id
LEFT JOIN district AS d ON d.id = se.district_id
ORDER BY d.name, se.name, st.name, b.route_order, b.house_no, b.code
