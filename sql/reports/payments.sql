-- name: payments
-- title: Платежи за период
-- description: Все платежи, поступившие за период: дата, источник, лицевой счёт, плательщик,
--   сумма, состояние (разнесён, неопознан, сводное перечисление агента, возвращён) и файл загрузки.
-- param period: period = current | Период
-- param source: text = '' | Источник (bank, xlsx, registry, gis, cash, transfer; пусто — все)
-- param status: text = '' | Состояние (posted, unidentified, aggregate; пусто — все)
-- example: period=2026-11
-- column pay_date: date | Дата
-- column payment_id: int | Платёж
-- column source: text | Источник
-- column account: text | Лицевой счёт
-- column payer: text | Плательщик
-- column amount_rub: money total | Сумма, руб.
-- column status: text | Состояние
-- column purpose: text | Назначение
-- column file_name: text | Файл
SELECT
    p.pay_date AS pay_date,
    p.id AS payment_id,
    CASE p.source WHEN 'bank' THEN 'выписка 1С' WHEN 'xlsx' THEN 'выписка Excel' WHEN 'registry' THEN 'реестр агента'
        WHEN 'gis' THEN 'ГИС ЖКХ' WHEN 'cash' THEN 'касса' WHEN 'transfer' THEN 'перенос' ELSE p.source END AS source,
    coalesce(a.number, '') AS account,
    coalesce(p.payer_name, '') AS payer,
    CAST(p.amount_kop * 0.01 AS DECIMAL(18, 2)) AS amount_rub,
    CASE p.status WHEN 'posted' THEN 'разнесён' WHEN 'unidentified' THEN 'неопознан'
        WHEN 'aggregate' THEN 'сводное перечисление' WHEN 'refunded' THEN 'возвращён' ELSE p.status END AS status,
    coalesce(p.purpose, '') AS purpose,
    coalesce(b.file_name, '') AS file_name
FROM payment AS p
LEFT JOIN account AS a ON a.id = p.account_id
LEFT JOIN import_batch AS b ON b.id = p.batch_id
WHERE p.period = $period
  AND ($source = '' OR p.source = $source)
  AND ($status = '' OR p.status = $status)
ORDER BY p.pay_date, p.id
