-- name: debt_cases
-- title: Работа с должниками
-- description: Дела претензионно-исковой работы (debt_case): должник (лицевой счёт или договор),
--   этап и с какого дня, исполнитель, долг и пени на начало дела, текущее сальдо должника на дату
--   (все проводки `posting` счёта или `legal_posting` договора по дату включительно), открытые
--   задачи и ближайший их срок, последнее событие. Фильтры: состояние (open — в работе, closed —
--   закрыто; код или название), этап (код или название), исполнитель (логин).
-- param status: text = open | Состояние (пусто — все)
-- param stage: text = '' | Этап (пусто — все)
-- param executor: text = '' | Исполнитель (пусто — все)
-- param on_date: date = today | Сальдо на дату
-- column case_number: text | Дело
-- column debtor_kind: text | Должник
-- column debtor_no: text | Лицевой счёт / договор
-- column debtor_name: text | Наименование
-- column stage: text | Этап
-- column stage_since: date | На этапе с
-- column executor: text | Исполнитель
-- column status: text | Состояние
-- column opened: date | Дело начато
-- column principal_rub: money total | Долг на начало, руб.
-- column penalty_rub: money total | Пени на начало, руб.
-- column balance_rub: money total | Сальдо на дату, руб.
-- column open_tasks: int total | Открытых задач
-- column next_due: date | Ближайший срок задачи
-- column last_event_date: date | Последнее событие
-- column last_event: text | Событие
WITH c AS (
    SELECT c.*
    FROM debt_case AS c
    WHERE ($status = '' OR c.status = $status OR label('debt_case_status', c.status) = $status)
      AND ($stage = '' OR c.stage = $stage OR label('debt_stage', c.stage) = $stage)
      AND ($executor = '' OR c.executor = $executor)
),
hb AS (
    SELECT p.account_id, sum(p.amount_kop) AS balance_kop
    FROM posting AS p
    WHERE p.op_date <= $on_date AND p.account_id IN (SELECT account_id FROM c WHERE debtor_kind = 'household')
    GROUP BY p.account_id
),
lb AS (
    SELECT p.contract_id, sum(p.amount_kop) AS balance_kop
    FROM legal_posting AS p
    WHERE p.op_date <= $on_date AND p.contract_id IN (SELECT contract_id FROM c WHERE debtor_kind = 'legal')
    GROUP BY p.contract_id
),
tk AS (
    SELECT case_id, count(*) AS open_tasks, min(due) AS next_due
    FROM debt_task WHERE status = 'open' GROUP BY case_id
),
ev AS (
    SELECT case_id, event_date, kind
    FROM debt_event
    QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY event_date DESC, id DESC) = 1
),
f AS (
    SELECT counterparty_id, name FROM counterparty_fact
    QUALIFY row_number() OVER (PARTITION BY counterparty_id ORDER BY valid_from DESC) = 1
)
SELECT
    c.number AS case_number,
    CASE c.debtor_kind WHEN 'household' THEN 'население' ELSE 'юридическое лицо' END AS debtor_kind,
    coalesce(a.number, k.number) AS debtor_no,
    coalesce(a.holder_name, f.name) AS debtor_name,
    label('debt_stage', c.stage) AS stage,
    c.stage_since AS stage_since,
    c.executor AS executor,
    label('debt_case_status', c.status) AS status,
    c.opened AS opened,
    CAST(c.principal_kop * 0.01 AS DECIMAL(18, 2)) AS principal_rub,
    CAST(c.penalty_kop * 0.01 AS DECIMAL(18, 2)) AS penalty_rub,
    CAST(coalesce(hb.balance_kop, lb.balance_kop, 0) * 0.01 AS DECIMAL(18, 2)) AS balance_rub,
    CAST(coalesce(tk.open_tasks, 0) AS INTEGER) AS open_tasks,
    tk.next_due AS next_due,
    ev.event_date AS last_event_date,
    label('debt_event', ev.kind) AS last_event
FROM c
LEFT JOIN account AS a ON a.id = c.account_id
LEFT JOIN contract AS k ON k.id = c.contract_id
LEFT JOIN f ON f.counterparty_id = c.counterparty_id
LEFT JOIN hb ON hb.account_id = c.account_id AND c.debtor_kind = 'household'
LEFT JOIN lb ON lb.contract_id = c.contract_id AND c.debtor_kind = 'legal'
LEFT JOIN tk ON tk.case_id = c.id
LEFT JOIN ev ON ev.case_id = c.id
ORDER BY c.number
