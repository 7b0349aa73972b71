-- name: legal_advances
-- title: Предоплаты
-- description: Счета-фактуры на аванс (полученную предоплату) по договорам и месяцам: номер и
--   дата (последнее исправление), ставка, сумма предоплаты и НДС в ней, сколько из неё зачтено в
--   счёт отгрузок (строка 5б счетов-фактур, ссылки advance_offset) на сегодня и сколько ещё не
--   зачтено.
-- param period_from: period | Период с
-- param period_to: period = current | Период по
-- param contract: text = '' | Договор (пусто — все)
-- example: period_from=2026-04 period_to=2026-06
-- column period: period | Месяц
-- column contract: text | Договор
-- column counterparty: text | Контрагент
-- column invoice: text | Счёт-фактура
-- column invoice_date: date | Дата
-- column vat_rate: text | Ставка
-- column advance_rub: money total | Предоплата, руб.
-- column vat_rub: money total | НДС, руб.
-- column offset_rub: money total | Зачтено, руб.
-- column left_rub: money total | Не зачтено, руб.
WITH d AS (
    SELECT * FROM legal_doc WHERE kind = 'sf_advance'
    QUALIFY row_number() OVER (PARTITION BY series, year, seq ORDER BY correction_no DESC) = 1
),
-- offsets refer to the advance invoice or to any of its corrections
o AS (
    SELECT a.series, a.year, a.seq, sum(r.amount_kop) AS offset_kop
    FROM legal_doc_ref AS r JOIN legal_doc AS a ON a.id = r.ref_id
    WHERE r.ref_kind = 'advance_offset' AND a.kind = 'sf_advance'
    GROUP BY ALL
),
f AS (
    SELECT counterparty_id, name FROM counterparty_fact
    QUALIFY row_number() OVER (PARTITION BY counterparty_id ORDER BY valid_from DESC) = 1
)
SELECT
    d.period AS period,
    k.number AS contract,
    f.name AS counterparty,
    d.doc_no || CASE WHEN d.correction_no > 0 THEN ' (испр. ' || d.correction_no || ')' ELSE '' END AS invoice,
    d.doc_date AS invoice_date,
    d.vat_rate AS vat_rate,
    CAST(d.total_kop * 0.01 AS DECIMAL(18, 2)) AS advance_rub,
    CAST(d.vat_kop * 0.01 AS DECIMAL(18, 2)) AS vat_rub,
    CAST(coalesce(o.offset_kop, 0) * 0.01 AS DECIMAL(18, 2)) AS offset_rub,
    CAST((d.total_kop - coalesce(o.offset_kop, 0)) * 0.01 AS DECIMAL(18, 2)) AS left_rub
FROM d
JOIN contract AS k ON k.id = d.contract_id
LEFT JOIN o ON o.series = d.series AND o.year = d.year AND o.seq = d.seq
LEFT JOIN f ON f.counterparty_id = d.counterparty_id
WHERE d.period BETWEEN $period_from AND $period_to AND ($contract = '' OR k.number = $contract)
ORDER BY d.period, k.number, d.doc_date, d.seq
