-- name: court_work
-- title: Отчёт по судебной работе
-- description: Документы в суд по делам ПИР (debt_doc видов «заявление о выдаче судебного
--   приказа» и «исковое заявление»): номер, дата, состояние согласования, сумма требования (долг и
--   пени), госпошлина; рядом — исполнительные документы дела (debt_writ: судебный приказ или
--   исполнительный лист) с судом, номером дела, датой акта, присуждённой суммой, датой направления
--   в ФССП, номером исполнительного производства, его состоянием и взысканной суммой.
--   Исполнительный документ относится к последнему документу в суд, поданному не позже даты
--   акта; без такого документа он выводится отдельной строкой. В отчёт входят строки, у которых
--   дата документа в суд или дата акта попадает в период. Суммы документа в суд показываются один
--   раз (в первой строке, если по нему несколько исполнительных документов).
-- param date_from: date | Дата с
-- param date_to: date = today | Дата по
-- example: date_from=2026-01-01 date_to=2026-12-31
-- column case_number: text | Дело ПИР
-- column debtor_no: text | Лицевой счёт / договор
-- column debtor_name: text | Должник
-- column doc_kind: text | Документ в суд
-- column doc_no: text | Номер
-- column doc_date: date | Дата
-- column doc_status: text | Согласование
-- column claim_rub: money total | Требование, руб.
-- column duty_rub: money total | Госпошлина, руб.
-- column writ_kind: text | Исполнительный документ
-- column writ_no: text | Серия, номер
-- column court: text | Суд
-- column court_case_no: text | Номер дела
-- column act_date: date | Дата акта
-- column awarded_rub: money total | Присуждено, руб.
-- column sent_fssp: date | Направлен в ФССП
-- column proceedings_no: text | Исполнительное производство
-- column fssp_status: text | Состояние ИП
-- column recovered_rub: money total | Взыскано, руб.
WITH d AS (
    SELECT * FROM debt_doc WHERE kind IN ('court_order_application', 'lawsuit')
),
-- each executive document goes to the latest court document of its case filed on or before the act
wd AS (
    SELECT w.id AS writ_id,
           (SELECT d.id FROM d WHERE d.case_id = w.case_id AND d.doc_date <= w.act_date
            ORDER BY d.doc_date DESC, d.id DESC LIMIT 1) AS doc_id
    FROM debt_writ AS w
),
rows AS (
    SELECT d.case_id, d.id AS doc_id, wd.writ_id
    FROM d LEFT JOIN wd ON wd.doc_id = d.id
    UNION ALL
    SELECT w.case_id, NULL, w.id
    FROM debt_writ AS w JOIN wd ON wd.writ_id = w.id WHERE wd.doc_id IS NULL
),
x AS (
    SELECT rows.*, row_number() OVER (PARTITION BY rows.doc_id ORDER BY w.act_date, w.id) AS n,
           d.kind, d.doc_no, d.doc_date, d.status AS doc_status, d.principal_kop + d.penalty_kop AS claim_kop,
           d.duty_kop, w.doc_kind AS writ_kind, w.doc_no AS writ_no, w.court, w.court_case_no, w.act_date,
           w.amount_kop, w.sent_fssp, w.proceedings_no, w.fssp_status, w.recovered_kop
    FROM rows
    LEFT JOIN d ON d.id = rows.doc_id
    LEFT JOIN debt_writ AS w ON w.id = rows.writ_id
    WHERE d.doc_date BETWEEN $date_from AND $date_to OR w.act_date BETWEEN $date_from AND $date_to
),
f AS (
    SELECT counterparty_id, name FROM counterparty_fact
    QUALIFY row_number() OVER (PARTITION BY counterparty_id ORDER BY valid_from DESC) = 1
)
SELECT
    c.number AS case_number,
    coalesce(a.number, k.number) AS debtor_no,
    coalesce(a.holder_name, f.name) AS debtor_name,
    label('debt_doc', x.kind) AS doc_kind,
    x.doc_no AS doc_no,
    x.doc_date AS doc_date,
    label('debt_doc_status', x.doc_status) AS doc_status,
    CASE WHEN x.doc_id IS NOT NULL AND x.n = 1 THEN CAST(x.claim_kop * 0.01 AS DECIMAL(18, 2)) END AS claim_rub,
    CASE WHEN x.doc_id IS NOT NULL AND x.n = 1 THEN CAST(x.duty_kop * 0.01 AS DECIMAL(18, 2)) END AS duty_rub,
    CASE x.writ_kind WHEN 'court_order' THEN 'судебный приказ' WHEN 'writ' THEN 'исполнительный лист' END
        AS writ_kind,
    x.writ_no AS writ_no,
    x.court AS court,
    x.court_case_no AS court_case_no,
    x.act_date AS act_date,
    CAST(x.amount_kop * 0.01 AS DECIMAL(18, 2)) AS awarded_rub,
    x.sent_fssp AS sent_fssp,
    x.proceedings_no AS proceedings_no,
    label('fssp_status', x.fssp_status) AS fssp_status,
    CAST(x.recovered_kop * 0.01 AS DECIMAL(18, 2)) AS recovered_rub
FROM x
JOIN debt_case AS c ON c.id = x.case_id
LEFT JOIN account AS a ON a.id = c.account_id
LEFT JOIN contract AS k ON k.id = c.contract_id
LEFT JOIN f ON f.counterparty_id = c.counterparty_id
ORDER BY coalesce(x.doc_date, x.act_date), c.number, x.doc_id, x.act_date, x.writ_id
