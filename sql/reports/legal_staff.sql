-- name: legal_staff
-- title: Отчёт по работе сотрудников юридического отдела
-- description: По каждому сотруднику (логин и ФИО из app_user), у которого есть дела ПИР, задачи
--   или действия: дел в работе у него как исполнителя (сейчас), задач выполнено им за период (по
--   дню выполнения), открытых задач на нём (сейчас) и из них просроченных на конец периода (срок
--   раньше даты «по»), событий дел, записанных им за период (по дате события), документов ПИР,
--   подготовленных им (по дате документа) и согласованных им (по дню согласования) за период;
--   взыскано по его делам за период (суммы событий «взыскано» — поступления от ФССП) и оплачено
--   должниками его дел за период (проводки оплаты `posting` / `legal_posting` со дня начала дела).
-- param date_from: date | Дата с
-- param date_to: date = today | Дата по
-- example: date_from=2026-01-01 date_to=2026-12-31
-- column login: text | Логин
-- column full_name: text | Сотрудник
-- column role: text | Роль
-- column open_cases: int total | Дел в работе
-- column tasks_done: int total | Задач выполнено
-- column tasks_open: int total | Открытых задач
-- column tasks_overdue: int total | Из них просрочено
-- column events: int total | Событий записано
-- column docs_prepared: int total | Документов подготовлено
-- column docs_approved: int total | Документов согласовано
-- column recovered_rub: money total | Взыскано (ФССП), руб.
-- column paid_rub: money total | Оплачено должниками, руб.
WITH cs AS (
    SELECT executor AS login, count(*) AS n FROM debt_case
    WHERE status = 'open' AND executor IS NOT NULL GROUP BY 1
),
td AS (
    SELECT done_by AS login, count(*) AS n FROM debt_task
    WHERE status = 'done' AND CAST(done_at AS DATE) BETWEEN $date_from AND $date_to GROUP BY 1
),
topen AS (
    SELECT assignee AS login, count(*) AS n, count(*) FILTER (WHERE due < $date_to) AS overdue
    FROM debt_task WHERE status = 'open' AND assignee IS NOT NULL GROUP BY 1
),
ev AS (
    SELECT created_by AS login, count(*) AS n FROM debt_event
    WHERE event_date BETWEEN $date_from AND $date_to GROUP BY 1
),
dp AS (
    SELECT created_by AS login, count(*) AS n FROM debt_doc
    WHERE doc_date BETWEEN $date_from AND $date_to GROUP BY 1
),
da AS (
    SELECT approved_by AS login, count(*) AS n FROM debt_doc
    WHERE status = 'approved' AND CAST(approved_at AS DATE) BETWEEN $date_from AND $date_to GROUP BY 1
),
rec AS (
    SELECT c.executor AS login, sum(e.amount_kop) AS kop
    FROM debt_event AS e JOIN debt_case AS c ON c.id = e.case_id
    WHERE e.kind = 'recovered' AND e.event_date BETWEEN $date_from AND $date_to AND c.executor IS NOT NULL
    GROUP BY 1
),
paid AS (
    SELECT login, sum(kop) AS kop FROM (
        SELECT c.executor AS login, -p.amount_kop AS kop
        FROM debt_case AS c JOIN posting AS p ON p.account_id = c.account_id
        WHERE c.debtor_kind = 'household' AND p.kind = 'payment' AND p.op_date >= c.opened
          AND p.op_date BETWEEN $date_from AND $date_to AND (c.closed IS NULL OR p.op_date <= c.closed)
        UNION ALL
        SELECT c.executor, -p.amount_kop
        FROM debt_case AS c JOIN legal_posting AS p ON p.contract_id = c.contract_id
        WHERE c.debtor_kind = 'legal' AND p.kind = 'payment' AND p.op_date >= c.opened
          AND p.op_date BETWEEN $date_from AND $date_to AND (c.closed IS NULL OR p.op_date <= c.closed)
    ) AS q
    WHERE login IS NOT NULL
    GROUP BY 1
),
who AS (
    SELECT login FROM cs UNION SELECT login FROM td UNION SELECT login FROM topen UNION SELECT login FROM ev
    UNION SELECT login FROM dp UNION SELECT login FROM da UNION SELECT login FROM rec UNION SELECT login FROM paid
)
SELECT
    w.login AS login,
    u.full_name AS full_name,
    coalesce(r.name, u.role) AS role,
    CAST(coalesce(cs.n, 0) AS INTEGER) AS open_cases,
    CAST(coalesce(td.n, 0) AS INTEGER) AS tasks_done,
    CAST(coalesce(topen.n, 0) AS INTEGER) AS tasks_open,
    CAST(coalesce(topen.overdue, 0) AS INTEGER) AS tasks_overdue,
    CAST(coalesce(ev.n, 0) AS INTEGER) AS events,
    CAST(coalesce(dp.n, 0) AS INTEGER) AS docs_prepared,
    CAST(coalesce(da.n, 0) AS INTEGER) AS docs_approved,
    CAST(coalesce(rec.kop, 0) * 0.01 AS DECIMAL(18, 2)) AS recovered_rub,
    CAST(coalesce(paid.kop, 0) * 0.01 AS DECIMAL(18, 2)) AS paid_rub
FROM who AS w
LEFT JOIN app_user AS u ON u.login = w.login
LEFT JOIN role AS r ON r.code = u.role
LEFT JOIN cs ON cs.login = w.login
LEFT JOIN td ON td.login = w.login
LEFT JOIN topen ON topen.login = w.login
LEFT JOIN ev ON ev.login = w.login
LEFT JOIN dp ON dp.login = w.login
LEFT JOIN da ON da.login = w.login
LEFT JOIN rec ON rec.login = w.login
LEFT JOIN paid ON paid.login = w.login
WHERE w.login IS NOT NULL
ORDER BY w.login
