-- name: recon_act
-- title: Акт сверки
-- description: Акт сверки взаимных расчётов по договору юридического лица за период (как
--   sbyt contract recon): сальдо на начало, начисления с документами отгрузки (УПД, акт,
--   счёт-фактура; без документа — начисление за месяц), перерасчёты, пени, оплаты с номером
--   платёжного поручения, обороты и сальдо на конец. Дебет — долг потребителя растёт, кредит — оплаты.
-- param contract: text | Номер договора
-- param date_from: date | Начало периода
-- param date_to: date | Конец периода
-- example: contract=Д-1 date_from=2026-01-01 date_to=2026-03-31
-- column line_no: int | №
-- column op_date: date | Дата
-- column document: text | Документ
-- column debit_rub: money | Дебет, руб.
-- column credit_rub: money | Кредит, руб.
WITH c AS (SELECT id FROM contract WHERE number = $contract),
l AS (
    SELECT l.*, (SELECT string_agg(CASE d.kind WHEN 'upd' THEN 'УПД' WHEN 'act' THEN 'акт' WHEN 'sf' THEN 'с/ф'
                                               WHEN 'ksf' THEN 'корр. с/ф' ELSE 'акт перерасчёта' END
                                   || ' № ' || d.doc_no || ' от ' || strftime(d.doc_date, '%d.%m.%Y'), ', '
                                   ORDER BY d.doc_date, d.id)
                 FROM legal_doc d
                 WHERE d.contract_id = l.contract_id AND d.correction_no = 0 AND d.for_period = l.for_period
                   AND ((l.kind = 'accrual' AND d.kind IN ('upd', 'act', 'sf'))
                     OR (l.kind = 'recalc' AND d.kind IN ('ksf', 'act_recalc') AND d.period = l.period))) AS docs
    FROM legal_posting l WHERE l.contract_id IN (SELECT id FROM c)),
opening AS (SELECT coalesce(sum(amount_kop), 0) AS kop FROM l WHERE op_date < $date_from),
body AS (
    SELECT op_date, id, amount_kop,
           CASE kind
               WHEN 'accrual' THEN 'Реализация за ' || lpad(CAST(for_period % 100 AS VARCHAR), 2, '0') || '.'
                    || CAST(for_period // 100 AS VARCHAR) || ': ' || coalesce(docs, 'начисление за месяц')
               WHEN 'recalc' THEN 'Перерасчёт за ' || lpad(CAST(for_period % 100 AS VARCHAR), 2, '0') || '.'
                    || CAST(for_period // 100 AS VARCHAR) || coalesce(': ' || docs, '')
               WHEN 'penalty' THEN 'Пени за ' || lpad(CAST(for_period % 100 AS VARCHAR), 2, '0') || '.'
                    || CAST(for_period // 100 AS VARCHAR)
               WHEN 'payment' THEN 'Оплата' || coalesce(' (п/п № ' || json_extract_string(note, '$.doc_no')
                    || coalesce(' от ' || strftime(CAST(json_extract_string(note, '$.doc_date') AS DATE), '%d.%m.%Y'), '')
                    || ')', '')
               WHEN 'opening' THEN 'Входящее сальдо' WHEN 'refund' THEN 'Возврат' WHEN 'transfer' THEN 'Перенос'
               ELSE 'Списание' END AS document
    FROM l WHERE op_date BETWEEN $date_from AND $date_to),
lines AS (
    SELECT 0 AS part, NULL::DATE AS op_date, 0::BIGINT AS id, 'Сальдо на ' || strftime($date_from::DATE, '%d.%m.%Y') AS document,
           (SELECT kop FROM opening) AS kop
    UNION ALL SELECT 1, op_date, id, document, amount_kop FROM body
    UNION ALL SELECT 2, NULL, 0, 'Сальдо на ' || strftime($date_to::DATE, '%d.%m.%Y'),
           (SELECT kop FROM opening) + coalesce((SELECT sum(amount_kop) FROM body), 0))
SELECT CAST(row_number() OVER (ORDER BY part, op_date, CASE WHEN kop > 0 THEN 0 ELSE 1 END, id) AS INTEGER) AS line_no,
       op_date, document,
       CASE WHEN kop > 0 THEN CAST(kop * 0.01 AS DECIMAL(18, 2)) END AS debit_rub,
       CASE WHEN kop < 0 THEN CAST(-kop * 0.01 AS DECIMAL(18, 2)) END AS credit_rub
FROM lines
ORDER BY line_no
