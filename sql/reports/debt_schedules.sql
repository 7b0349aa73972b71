-- name: debt_schedules
-- title: Журнал учёта графиков погашения
-- description: Графики погашения задолженности (реструктуризация, debt_schedule) на дату: номер,
--   дело и должник, дата заключения, сумма по графику и число платежей, сколько должно быть
--   оплачено к дате (платежи графика со сроком по дату включительно), оплачено после заключения
--   (проводки оплаты должника `posting` / `legal_posting` со дня заключения по дату включительно),
--   отставание от графика, ближайший срок (первый платёж графика, не покрытый оплаченным) и его
--   непокрытая часть, состояние графика.
-- param on_date: date = today | На дату
-- param status: text = '' | Состояние: active, broken, completed или название (пусто — все)
-- example: on_date=2026-12-05
-- column number: text | Номер
-- column case_number: text | Дело ПИР
-- column debtor_no: text | Лицевой счёт / договор
-- column debtor_name: text | Должник
-- column concluded: date | Заключён
-- column total_rub: money total | Сумма по графику, руб.
-- column lines: int | Платежей
-- column due_rub: money total | К оплате на дату, руб.
-- column paid_rub: money total | Оплачено после заключения, руб.
-- column behind_rub: money total | Отставание, руб.
-- column next_due: date | Ближайший срок
-- column next_rub: money | К оплате в ближайший срок, руб.
-- column status: text | Состояние
WITH s AS (
    SELECT s.*, c.number AS case_number, c.debtor_kind, c.account_id, c.contract_id, c.counterparty_id
    FROM debt_schedule AS s JOIN debt_case AS c ON c.id = s.case_id
    WHERE $status = '' OR s.status = $status OR label('debt_schedule_status', s.status) = $status
),
paid AS (
    SELECT s.id, coalesce(-sum(p.amount_kop), 0) AS kop
    FROM s JOIN posting AS p ON p.account_id = s.account_id
    WHERE s.debtor_kind = 'household' AND p.kind = 'payment' AND p.op_date BETWEEN s.concluded AND $on_date
    GROUP BY s.id
    UNION ALL
    SELECT s.id, coalesce(-sum(p.amount_kop), 0)
    FROM s JOIN legal_posting AS p ON p.contract_id = s.contract_id
    WHERE s.debtor_kind = 'legal' AND p.kind = 'payment' AND p.op_date BETWEEN s.concluded AND $on_date
    GROUP BY s.id
),
l AS (
    SELECT schedule_id, line_no, due, amount_kop,
           sum(amount_kop) OVER (PARTITION BY schedule_id ORDER BY line_no) AS cum_kop
    FROM debt_schedule_line
),
g AS (
    SELECT s.id, count(l.line_no) AS lines,
           coalesce(sum(l.amount_kop) FILTER (WHERE l.due <= $on_date), 0) AS due_kop,
           coalesce(p.kop, 0) AS paid_kop,
           min(l.line_no) FILTER (WHERE l.cum_kop > coalesce(p.kop, 0)) AS next_line
    FROM s LEFT JOIN l ON l.schedule_id = s.id LEFT JOIN paid AS p ON p.id = s.id
    GROUP BY s.id, p.kop
),
f AS (
    SELECT counterparty_id, name FROM counterparty_fact
    QUALIFY row_number() OVER (PARTITION BY counterparty_id ORDER BY valid_from DESC) = 1
)
SELECT
    s.number AS number,
    s.case_number AS case_number,
    coalesce(a.number, k.number) AS debtor_no,
    coalesce(a.holder_name, f.name) AS debtor_name,
    s.concluded AS concluded,
    CAST(s.total_kop * 0.01 AS DECIMAL(18, 2)) AS total_rub,
    CAST(g.lines AS INTEGER) AS lines,
    CAST(g.due_kop * 0.01 AS DECIMAL(18, 2)) AS due_rub,
    CAST(g.paid_kop * 0.01 AS DECIMAL(18, 2)) AS paid_rub,
    CAST(greatest(g.due_kop - g.paid_kop, 0) * 0.01 AS DECIMAL(18, 2)) AS behind_rub,
    nl.due AS next_due,
    CAST((nl.cum_kop - g.paid_kop) * 0.01 AS DECIMAL(18, 2)) AS next_rub,
    label('debt_schedule_status', s.status) AS status
FROM s
JOIN g ON g.id = s.id
LEFT JOIN l AS nl ON nl.schedule_id = s.id AND nl.line_no = g.next_line
LEFT JOIN account AS a ON a.id = s.account_id
LEFT JOIN contract AS k ON k.id = s.contract_id
LEFT JOIN f ON f.counterparty_id = s.counterparty_id
ORDER BY s.concluded, s.number
