-- name: cash_flow
-- title: Сведения о ДДС
-- description: Движение денежных средств по месяцам дня платежа: поступления от населения
--   (разнесённые оплаты лицевых счетов — проводки payment; переносы между счетами не входят),
--   неопознанные платежи (ещё не разнесены), поступления от юридических лиц (оплаты по
--   договорам), возвраты (населению и юридическим лицам) и чистый поток.
-- param period_from: period | Период с
-- param period_to: period = current | Период по
-- example: period_from=2026-04 period_to=2026-06
-- column month: period | Месяц
-- column households_rub: money total | Население, руб.
-- column unidentified_rub: money total | Неопознанные, руб.
-- column legal_rub: money total | Юридические лица, руб.
-- column refunds_rub: money total | Возвраты, руб.
-- column net_rub: money total | Чистый поток, руб.
WITH m AS (
    SELECT year(op_date) * 100 + month(op_date) AS month,
           -sum(amount_kop) FILTER (WHERE kind = 'payment') AS households,
           0 AS unidentified, 0 AS legal,
           sum(amount_kop) FILTER (WHERE kind = 'refund') AS refunds
    FROM posting WHERE kind IN ('payment', 'refund') GROUP BY 1
    UNION ALL
    SELECT year(pay_date) * 100 + month(pay_date), 0, sum(amount_kop), 0, 0
    FROM payment WHERE status = 'unidentified' GROUP BY 1
    UNION ALL
    SELECT year(op_date) * 100 + month(op_date), 0, 0,
           -sum(amount_kop) FILTER (WHERE kind = 'payment'),
           sum(amount_kop) FILTER (WHERE kind = 'refund')
    FROM legal_posting WHERE kind IN ('payment', 'refund') GROUP BY 1
),
t AS (
    SELECT month, sum(coalesce(households, 0)) AS h, sum(coalesce(unidentified, 0)) AS u,
           sum(coalesce(legal, 0)) AS l, sum(coalesce(refunds, 0)) AS r
    FROM m WHERE month BETWEEN $period_from AND $period_to GROUP BY month
)
SELECT
    month AS month,
    CAST(h * 0.01 AS DECIMAL(18, 2)) AS households_rub,
    CAST(u * 0.01 AS DECIMAL(18, 2)) AS unidentified_rub,
    CAST(l * 0.01 AS DECIMAL(18, 2)) AS legal_rub,
    CAST(r * 0.01 AS DECIMAL(18, 2)) AS refunds_rub,
    CAST((h + u + l - r) * 0.01 AS DECIMAL(18, 2)) AS net_rub
FROM t
ORDER BY month
