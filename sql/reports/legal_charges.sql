-- name: legal_charges
-- title: Отчёт по начислениям юридических лиц
-- description: Начисления по договорам юридических лиц (строки legal_charge) за месяцы расчёта:
--   договор, контрагент, месяц, составляющая; объём, стоимость без НДС, НДС и с НДС. Перерасчёты
--   прошлых месяцев входят в месяц, в котором посчитаны. Строки по тарифу населения (НДС в тарифе)
--   показаны без НДС и с НДС так же, как остальные. Черновики открытого месяца — по параметру.
-- param period_from: period | Период с
-- param period_to: period = current | Период по
-- param contract: text = '' | Договор (пусто — все)
-- param drafts: bool = нет | Включая черновики открытого месяца
-- example: period_from=2026-04 period_to=2026-06
-- column period: period | Месяц
-- column contract: text | Договор
-- column counterparty: text | Контрагент
-- column component: text | Составляющая
-- column volume_kwh: kwh total | Объём, кВт·ч
-- column amount_rub: money total | Без НДС, руб.
-- column vat_rub: money total | НДС, руб.
-- column total_rub: money total | С НДС, руб.
WITH c AS (
    SELECT period, contract_id, counterparty_id, component,
           sum(volume_wh) AS volume_wh,
           sum(amount_kop - CASE WHEN vat_included THEN vat_kop ELSE 0 END) AS net_kop,
           sum(vat_kop) AS vat_kop,
           sum(amount_kop + CASE WHEN vat_included THEN 0 ELSE vat_kop END) AS total_kop
    FROM legal_charge
    WHERE period BETWEEN $period_from AND $period_to AND (status = 'posted' OR $drafts)
    GROUP BY ALL
),
f AS (
    SELECT counterparty_id, name FROM counterparty_fact
    QUALIFY row_number() OVER (PARTITION BY counterparty_id ORDER BY valid_from DESC) = 1
)
SELECT
    c.period AS period,
    coalesce(k.number, '(без договора)') AS contract,
    f.name AS counterparty,
    label('charge_component', c.component) AS component,
    CAST(c.volume_wh * 0.001 AS DECIMAL(18, 3)) AS volume_kwh,
    CAST(c.net_kop * 0.01 AS DECIMAL(18, 2)) AS amount_rub,
    CAST(c.vat_kop * 0.01 AS DECIMAL(18, 2)) AS vat_rub,
    CAST(c.total_kop * 0.01 AS DECIMAL(18, 2)) AS total_rub
FROM c
LEFT JOIN contract AS k ON k.id = c.contract_id
LEFT JOIN f ON f.counterparty_id = c.counterparty_id
WHERE $contract = '' OR k.number = $contract
ORDER BY c.period, contract, component
