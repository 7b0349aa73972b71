-- name: contract_register
-- title: Реестр договоров
-- description: Все договоры юридических лиц: контрагент (наименование на дату), ИНН, вид,
--   состояние, даты заявки, полного комплекта документов, подписания, начала поставки, окончания
--   и расторжения, следующий шаг процедуры и его срок, просрочка в днях на дату. Сроки — те же,
--   что в «Задачах по договорам» (sbyt contract tasks): датированные правила
--   contract.deadline.* и производственный календарь (таблица production_calendar, её заполняет
--   sbyt init из того же календаря, по которому считает sbyt contract tasks).
-- param on_date: date = today | На дату
-- param state: text = '' | Состояние (пусто — все)
-- example: on_date=2026-11-30
-- column number: text | Договор
-- column counterparty: text | Контрагент
-- column inn: text | ИНН
-- column kind: text | Вид
-- column state: text | Состояние
-- column applied_on: date | Заявка
-- column complete_on: date | Комплект документов
-- column signed_on: date | Подписан
-- column starts: date | Поставка с
-- column ends: date | Действует по
-- column terminated_from: date | Расторгнут с
-- column next_step: text | Следующий шаг
-- column due: date | Срок
-- column overdue_days: int | Просрочено, дней
WITH d AS (
    SELECT contract_id,
           max(doc_date) FILTER (WHERE kind = 'missing_notice') AS noticed,
           max(doc_date) FILTER (WHERE kind = 'disagreement') AS disagreed
    FROM contract_doc GROUP BY contract_id
),
-- the step the procedure waits for and its deadline, as sbyt.core.contracts.tasks has them
s AS (
    SELECT k.*,
        CASE
            WHEN k.state = 'application' AND k.complete_on IS NULL AND d.noticed IS NULL
                THEN 'направить уведомление о недостающих документах'
            WHEN k.state = 'application' AND k.complete_on IS NOT NULL THEN 'направить проект договора'
            WHEN k.state = 'application' THEN 'получить недостающие документы'
            WHEN k.state = 'draft' THEN 'согласовать проект договора'
            WHEN k.state = 'disagreement' THEN 'ответить на протокол разногласий'
            WHEN k.state = 'approved' THEN 'подписать договор'
        END AS next_step,
        CASE
            WHEN k.state = 'application' AND k.complete_on IS NULL AND d.noticed IS NULL
                THEN working_day_after(k.applied_on, CAST(trunc(dated_rule_value(
                    'contract.deadline.missing_docs.working_days', k.applied_on)) AS INTEGER))
            WHEN k.state = 'application' AND k.complete_on IS NOT NULL
                THEN k.complete_on + CAST(trunc(dated_rule_value('contract.deadline.draft.days', k.complete_on))
                                          AS INTEGER)
            WHEN k.state = 'disagreement'
                THEN working_day_after(d.disagreed, CAST(trunc(dated_rule_value(
                    'contract.deadline.disagreement.working_days', d.disagreed)) AS INTEGER))
        END AS due
    FROM contract AS k
    LEFT JOIN d ON d.contract_id = k.id
    WHERE $state = '' OR k.state = $state OR label('contract_state', k.state) = $state
),
-- the counterparty's name on the date (else its first one)
f AS (
    SELECT counterparty_id, name
    FROM counterparty_fact
    QUALIFY row_number() OVER (
        PARTITION BY counterparty_id
        ORDER BY CASE WHEN valid_from <= $on_date THEN valid_from END DESC NULLS LAST, valid_from) = 1
)
SELECT
    s.number AS number,
    f.name AS counterparty,
    c.inn AS inn,
    label('contract_kind', s.kind) AS kind,
    label('contract_state', s.state) AS state,
    s.applied_on AS applied_on,
    s.complete_on AS complete_on,
    s.signed_on AS signed_on,
    s.starts AS starts,
    s.ends AS ends,
    s.terminated_from AS terminated_from,
    s.next_step AS next_step,
    s.due AS due,
    CASE WHEN s.due IS NOT NULL THEN CAST(greatest(0, date_diff('day', s.due, $on_date)) AS INTEGER) END
        AS overdue_days
FROM s
JOIN counterparty AS c ON c.id = s.counterparty_id
LEFT JOIN f ON f.counterparty_id = s.counterparty_id
ORDER BY s.number
