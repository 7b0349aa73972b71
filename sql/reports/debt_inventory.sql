-- name: debt_inventory
-- title: Инвентаризационная ведомость по задолженности
-- description: Задолженность на дату по должникам и месяцам, к которым она относится, с исковой
--   давностью каждого ежемесячного платежа. Долг месяца и его срок оплаты — как в «Реестре
--   дебиторов» (население — `posting` и due_date(месяц, 'household'); юридические лица —
--   `legal_posting` и окончательный срок схемы оплаты договора), проводки по дату включительно,
--   должники с положительным долгом, месяцы с долгом или пенями. Окончание давности = срок
--   оплаты + N лет (правило debt.limitation_years на срок оплаты; ГК 196, ПП ВС № 43 п. 24 —
--   как sbyt.core.debt_law.limitation без приостановлений и перерывов). Состояние: «срок истёк»
--   (окончание раньше даты), «срок истекает (менее N мес.)» (окончание раньше даты + N месяцев),
--   иначе «в пределах срока».
-- param on_date: date = today | На дату
-- param debtor_kind: text = '' | Должники: household — население, legal — юридические лица (пусто — все)
-- param warn_months: int = 6 | Предупреждать об истечении давности за, мес.
-- example: on_date=2026-12-05
-- column debtor_kind: text | Должник
-- column debtor_no: text | Лицевой счёт / договор
-- column debtor_name: text | Наименование
-- column case_number: text | Дело ПИР
-- column for_period: period | Месяц
-- column debt_rub: money total | Долг, руб.
-- column penalty_rub: money total | Пени, руб.
-- column due: date | Срок оплаты
-- column limitation_end: date | Давность истекает
-- column limitation_status: text | Состояние давности
WITH hx AS (
    SELECT account_id AS debtor_id, for_period,
           coalesce(sum(amount_kop) FILTER (WHERE service <> 'penalty'), 0) AS debt_kop,
           coalesce(sum(amount_kop) FILTER (WHERE service = 'penalty'), 0) AS penalty_kop
    FROM posting
    WHERE op_date <= $on_date AND $debtor_kind IN ('', 'household')
    GROUP BY account_id, for_period
),
hd AS (SELECT for_period, due_date(for_period, 'household') AS due FROM (SELECT DISTINCT for_period FROM hx)),
lx AS (
    SELECT contract_id AS debtor_id, for_period,
           coalesce(sum(amount_kop) FILTER (WHERE kind <> 'penalty'), 0) AS debt_kop,
           coalesce(sum(amount_kop) FILTER (WHERE kind = 'penalty'), 0) AS penalty_kop
    FROM legal_posting
    WHERE contract_id IS NOT NULL AND op_date <= $on_date AND $debtor_kind IN ('', 'legal')
    GROUP BY contract_id, for_period
),
-- the final due date of a contract month under each payment scheme (core.legal_schedule.month_terms)
ld0 AS (
    SELECT m.for_period, s.scheme,
           CAST(first_of_next_month(m.for_period) + to_days(greatest(1, least(
               CAST(dated_rule_value('legal.schedule.' || s.scheme || '.final_day',
                                     make_date(m.for_period // 100, m.for_period % 100, 1)) AS INTEGER),
               day(last_day(first_of_next_month(m.for_period))))) - 1) AS DATE) AS due0,
           dated_rule_value('legal.schedule.workday_shift', make_date(m.for_period // 100, m.for_period % 100, 1))
               <> 0 AS shift
    FROM (SELECT DISTINCT for_period FROM lx) AS m
    CROSS JOIN (SELECT unnest(['p82', 'p81', 'retailer']) AS scheme) AS s
),
ld AS (
    SELECT for_period, scheme,
           CASE WHEN shift THEN coalesce((SELECT min(c.day) FROM production_calendar AS c
                                          WHERE c.working AND c.day >= ld0.due0), due0)
                ELSE due0 END AS due
    FROM ld0
),
m AS (
    SELECT 'household' AS kind, hx.debtor_id, hx.for_period, hx.debt_kop, hx.penalty_kop, hd.due
    FROM hx LEFT JOIN hd USING (for_period)
    UNION ALL
    SELECT 'legal', lx.debtor_id, lx.for_period, lx.debt_kop, lx.penalty_kop, ld.due
    FROM lx JOIN contract AS k ON k.id = lx.debtor_id
    LEFT JOIN ld ON ld.for_period = lx.for_period AND ld.scheme = k.payment_scheme
),
-- debtors: a positive balance without penalties
dr AS (SELECT kind, debtor_id FROM m GROUP BY kind, debtor_id HAVING sum(debt_kop) > 0),
-- the plain limitation end of each due date (the rule in force on it; core.debt_law.limitation_on)
le AS (
    SELECT due, CAST(due + to_years(CAST(dated_rule_value('debt.limitation_years', due) AS INTEGER)) AS DATE)
               AS limitation_end
    FROM (SELECT DISTINCT due FROM m WHERE due IS NOT NULL)
),
r AS (
    SELECT m.*, le.limitation_end
    FROM m JOIN dr USING (kind, debtor_id) LEFT JOIN le USING (due)
    WHERE m.debt_kop > 0 OR m.penalty_kop <> 0
),
f AS (
    SELECT counterparty_id, name FROM counterparty_fact
    QUALIFY row_number() OVER (
        PARTITION BY counterparty_id
        ORDER BY CASE WHEN valid_from <= $on_date THEN valid_from END DESC NULLS LAST, valid_from) = 1
),
oc AS (
    SELECT debtor_kind, coalesce(account_id, contract_id) AS debtor_id, min(number) AS number
    FROM debt_case WHERE status = 'open' GROUP BY ALL
)
SELECT
    CASE r.kind WHEN 'household' THEN 'население' ELSE 'юридическое лицо' END AS debtor_kind,
    coalesce(a.number, k.number) AS debtor_no,
    coalesce(a.holder_name, f.name) AS debtor_name,
    oc.number AS case_number,
    r.for_period AS for_period,
    CAST(greatest(r.debt_kop, 0) * 0.01 AS DECIMAL(18, 2)) AS debt_rub,
    CAST(r.penalty_kop * 0.01 AS DECIMAL(18, 2)) AS penalty_rub,
    r.due AS due,
    r.limitation_end AS limitation_end,
    CASE WHEN r.limitation_end IS NULL THEN NULL
         WHEN r.limitation_end < $on_date THEN 'срок истёк'
         WHEN r.limitation_end < $on_date + to_months(CAST($warn_months AS INTEGER))
             THEN 'срок истекает (менее ' || $warn_months || ' мес.)'
         ELSE 'в пределах срока' END AS limitation_status
FROM r
LEFT JOIN account AS a ON a.id = r.debtor_id AND r.kind = 'household'
LEFT JOIN contract AS k ON k.id = r.debtor_id AND r.kind = 'legal'
LEFT JOIN f ON f.counterparty_id = k.counterparty_id
LEFT JOIN oc ON oc.debtor_kind = r.kind AND oc.debtor_id = r.debtor_id
ORDER BY r.kind, debtor_no, r.for_period
