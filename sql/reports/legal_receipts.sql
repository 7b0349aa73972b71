-- name: legal_receipts
-- title: Справка о поступлениях
-- description: Оплаты юридических лиц (журнал договоров, проводки оплаты) по дням и договорам:
--   число платёжных документов, сумма (с НДС) и НДС в ней по ставке на день оплаты (правило
--   vat.rate: сумма × ставка / (100 + ставка), до копейки, половина — вверх).
-- param period_from: period | Период с
-- param period_to: period = current | Период по
-- param contract: text = '' | Договор (пусто — все)
-- example: period_from=2026-04 period_to=2026-06
-- column pay_date: date | Дата
-- column contract: text | Договор
-- column counterparty: text | Контрагент
-- column payments: int total | Платежей
-- column amount_rub: money total | Сумма с НДС, руб.
-- column vat_rate: number | Ставка НДС, %
-- column vat_rub: money total | В т. ч. НДС, руб.
WITH p AS (
    SELECT op_date, contract_id, counterparty_id, count(*) AS payments, -sum(amount_kop) AS amount_kop
    FROM legal_posting
    WHERE kind = 'payment' AND year(op_date) * 100 + month(op_date) BETWEEN $period_from AND $period_to
    GROUP BY ALL
),
r AS (SELECT p.*, CAST(dated_rule_value('vat.rate', p.op_date) AS DECIMAL(9, 4)) AS rate FROM p),
f AS (
    SELECT counterparty_id, name FROM counterparty_fact
    QUALIFY row_number() OVER (PARTITION BY counterparty_id ORDER BY valid_from DESC) = 1
)
SELECT
    r.op_date AS pay_date,
    k.number AS contract,
    f.name AS counterparty,
    r.payments AS payments,
    CAST(r.amount_kop * 0.01 AS DECIMAL(18, 2)) AS amount_rub,
    CAST(r.rate AS DECIMAL(9, 2)) AS vat_rate,
    CAST(round(r.amount_kop * r.rate / (100 + r.rate)) * 0.01 AS DECIMAL(18, 2)) AS vat_rub
FROM r
LEFT JOIN contract AS k ON k.id = r.contract_id
LEFT JOIN f ON f.counterparty_id = r.counterparty_id
WHERE $contract = '' OR k.number = $contract
ORDER BY r.op_date, k.number
