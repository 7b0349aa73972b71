-- name: payments_registry
-- title: Реестр загрузок платежей
-- description: Загруженные файлы платежей (выписки, реестры агентов, ГИС ЖКХ) и касса по дням:
--   число платежей, сумма, сколько разнесено и сколько ждёт в очереди неопознанных.
-- param period: period = current | Период
-- example: period=2026-11
-- column loaded: text | Загрузка
-- column source: text | Источник
-- column file_name: text | Файл
-- column payments: int total | Платежей
-- column amount_rub: money total | Сумма, руб.
-- column posted_rub: money total | Разнесено, руб.
-- column unidentified: int total | Неопознанных
-- column unidentified_rub: money total | Неопознано, руб.
WITH g AS (
    SELECT
        p.batch_id,
        CASE WHEN p.batch_id IS NULL THEN p.pay_date END AS cash_day,
        any_value(p.source) AS source,
        count(*) AS payments,
        sum(p.amount_kop) AS amount_kop,
        coalesce(sum(p.amount_kop) FILTER (WHERE p.status = 'posted'), 0) AS posted_kop,
        count(*) FILTER (WHERE p.status = 'unidentified') AS unidentified,
        coalesce(sum(p.amount_kop) FILTER (WHERE p.status = 'unidentified'), 0) AS unidentified_kop
    FROM payment AS p
    WHERE p.period = $period
    GROUP BY p.batch_id, CASE WHEN p.batch_id IS NULL THEN p.pay_date END
)
SELECT
    CASE WHEN g.batch_id IS NULL THEN strftime(g.cash_day, '%d.%m.%Y')
         ELSE 'партия ' || g.batch_id::VARCHAR || ', ' || strftime(b.created_at, '%d.%m.%Y %H:%M') END AS loaded,
    CASE g.source WHEN 'bank' THEN 'выписка 1С' WHEN 'xlsx' THEN 'выписка Excel' WHEN 'registry' THEN 'реестр агента'
        WHEN 'gis' THEN 'ГИС ЖКХ' WHEN 'cash' THEN 'касса' WHEN 'transfer' THEN 'перенос' ELSE g.source END AS source,
    coalesce(b.file_name, '') AS file_name,
    g.payments AS payments,
    CAST(g.amount_kop * 0.01 AS DECIMAL(18, 2)) AS amount_rub,
    CAST(g.posted_kop * 0.01 AS DECIMAL(18, 2)) AS posted_rub,
    g.unidentified AS unidentified,
    CAST(g.unidentified_kop * 0.01 AS DECIMAL(18, 2)) AS unidentified_rub
FROM g
LEFT JOIN import_batch AS b ON b.id = g.batch_id
ORDER BY g.batch_id NULLS LAST, g.cash_day
