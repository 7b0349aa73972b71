-- name: turnover_by_account
-- title: Оборотно-сальдовая ведомость по лицевым счетам
-- description: Для каждого лицевого счёта: сальдо на начало периода, начислено, перерасчёты,
--   пени, оплачено, прочие операции (возвраты, переносы, списания) и сальдо на конец.
--   Положительное сальдо — долг потребителя, отрицательное — переплата (аванс).
--   Сальдо на начало = все проводки до периода «с» плюс входящие остатки (opening);
--   сальдо на конец = начало + начислено + перерасчёт + пени − оплачено + прочее.
--   Строки, где все суммы нулевые, не выводятся.
-- param period_from: period = current | Период с
-- param period_to: period = current | Период по
-- param service: text = '' | Услуга
-- column account_number: text | Лицевой счёт
-- column holder_name: text | Потребитель
-- column address: text | Адрес
-- column opening_rub: money total | Сальдо на начало
-- column accrued_rub: money total | Начислено
-- column recalc_rub: money total | Перерасчёт
-- column penalty_rub: money total | Пени
-- column paid_rub: money total | Оплачено
-- column other_rub: money total | Прочее
-- column closing_rub: money total | Сальдо на конец
WITH turnover AS (
    SELECT * FROM turnover($period_from, $period_to, $service)
)
SELECT
    a.number AS account_number,
    a.holder_name AS holder_name,
    concat_ws(', ', st.name, 'д. ' || b.house_no, CASE WHEN b.kind = 'mkd' THEN 'кв. ' || pr.number END) AS address,
    CAST(t.opening_kop * 0.01 AS DECIMAL(18, 2)) AS opening_rub,
    CAST(t.accrued_kop * 0.01 AS DECIMAL(18, 2)) AS accrued_rub,
    CAST(t.recalc_kop * 0.01 AS DECIMAL(18, 2)) AS recalc_rub,
    CAST(t.penalty_kop * 0.01 AS DECIMAL(18, 2)) AS penalty_rub,
    CAST(t.paid_kop * 0.01 AS DECIMAL(18, 2)) AS paid_rub,
    CAST(t.other_kop * 0.01 AS DECIMAL(18, 2)) AS other_rub,
    CAST(t.closing_kop * 0.01 AS DECIMAL(18, 2)) AS closing_rub
FROM turnover AS t
JOIN account AS a ON a.id = t.account_id
LEFT JOIN premise AS pr ON pr.id = a.premise_id
LEFT JOIN building AS b ON b.id = pr.building_id
LEFT JOIN street AS st ON st.id = b.street_id
WHERE t.opening_kop <> 0 OR t.accrued_kop <> 0 OR t.recalc_kop <> 0 OR t.penalty_kop <> 0
   OR t.paid_kop <> 0 OR t.other_kop <> 0 OR t.closing_kop <> 0
ORDER BY a.number
