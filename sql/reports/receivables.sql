-- name: receivables
-- title: Реестр дебиторов
-- description: Дебиторская задолженность на дату: население — по лицевым счетам (проводки
--   `posting`), юридические лица — по договорам (проводки `legal_posting`), все проводки по дату
--   включительно. Долг каждого месяца (без пеней) относится к сроку по его сроку оплаты: население —
--   due_date(месяц, 'household'); юридические лица — окончательный срок схемы оплаты договора
--   (правило legal.schedule.<схема>.final_day следующего месяца, в нерабочий день — следующий
--   рабочий по производственному календарю, если legal.schedule.workday_shift ≠ 0; как
--   sbyt.core.legal_schedule). Сроки: до 1 мес. (и срок ещё не наступил), 1–3 мес., 3–6 мес.,
--   6–12 мес., 1–3 года, свыше 3 лет просрочки. Переплаты отдельных месяцев — в колонке «Авансы,
--   переплаты» (долг = сумма сроков + авансы). В реестре — должники с положительным долгом.
-- param on_date: date = today | На дату
-- param debtor_kind: text = '' | Должники: household — население, legal — юридические лица (пусто — все)
-- example: on_date=2026-12-05
-- column debtor_kind: text | Должник
-- column debtor_no: text | Лицевой счёт / договор
-- column debtor_name: text | Наименование
-- column debt_rub: money total | Долг, руб.
-- column age_1m_rub: money total | до 1 мес., руб.
-- column age_3m_rub: money total | 1–3 мес., руб.
-- column age_6m_rub: money total | 3–6 мес., руб.
-- column age_12m_rub: money total | 6–12 мес., руб.
-- column age_3y_rub: money total | 1–3 года, руб.
-- column age_over_rub: money total | свыше 3 лет, руб.
-- column advance_rub: money total | Авансы, переплаты, руб.
-- column penalty_rub: money total | Пени, руб.
-- column total_rub: money total | Всего с пенями, руб.
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
    SELECT 'household' AS kind, hx.debtor_id, hx.debt_kop, hx.penalty_kop, hd.due
    FROM hx LEFT JOIN hd USING (for_period)
    UNION ALL
    SELECT 'legal', lx.debtor_id, lx.debt_kop, lx.penalty_kop, ld.due
    FROM lx JOIN contract AS k ON k.id = lx.debtor_id
    LEFT JOIN ld ON ld.for_period = lx.for_period AND ld.scheme = k.payment_scheme
),
b AS (
    SELECT m.*,
           CASE WHEN m.debt_kop <= 0 THEN 'advance'
                WHEN m.due > $on_date - INTERVAL 1 MONTH OR m.due IS NULL THEN '1m'
                WHEN m.due > $on_date - INTERVAL 3 MONTH THEN '3m'
                WHEN m.due > $on_date - INTERVAL 6 MONTH THEN '6m'
                WHEN m.due > $on_date - INTERVAL 12 MONTH THEN '12m'
                WHEN m.due > $on_date - INTERVAL 36 MONTH THEN '3y'
                ELSE 'over' END AS bucket
    FROM m
),
t AS (
    SELECT kind, debtor_id,
           sum(debt_kop) AS debt_kop,
           coalesce(sum(debt_kop) FILTER (WHERE bucket = '1m'), 0) AS a1,
           coalesce(sum(debt_kop) FILTER (WHERE bucket = '3m'), 0) AS a3,
           coalesce(sum(debt_kop) FILTER (WHERE bucket = '6m'), 0) AS a6,
           coalesce(sum(debt_kop) FILTER (WHERE bucket = '12m'), 0) AS a12,
           coalesce(sum(debt_kop) FILTER (WHERE bucket = '3y'), 0) AS a36,
           coalesce(sum(debt_kop) FILTER (WHERE bucket = 'over'), 0) AS aover,
           coalesce(sum(debt_kop) FILTER (WHERE bucket = 'advance'), 0) AS adv,
           sum(penalty_kop) AS penalty_kop
    FROM b GROUP BY kind, debtor_id
    HAVING sum(debt_kop) > 0
),
f AS (
    SELECT counterparty_id, name FROM counterparty_fact
    QUALIFY row_number() OVER (
        PARTITION BY counterparty_id
        ORDER BY CASE WHEN valid_from <= $on_date THEN valid_from END DESC NULLS LAST, valid_from) = 1
)
SELECT
    CASE t.kind WHEN 'household' THEN 'население' ELSE 'юридическое лицо' END AS debtor_kind,
    coalesce(a.number, k.number) AS debtor_no,
    coalesce(a.holder_name, f.name) AS debtor_name,
    CAST(t.debt_kop * 0.01 AS DECIMAL(18, 2)) AS debt_rub,
    CAST(t.a1 * 0.01 AS DECIMAL(18, 2)) AS age_1m_rub,
    CAST(t.a3 * 0.01 AS DECIMAL(18, 2)) AS age_3m_rub,
    CAST(t.a6 * 0.01 AS DECIMAL(18, 2)) AS age_6m_rub,
    CAST(t.a12 * 0.01 AS DECIMAL(18, 2)) AS age_12m_rub,
    CAST(t.a36 * 0.01 AS DECIMAL(18, 2)) AS age_3y_rub,
    CAST(t.aover * 0.01 AS DECIMAL(18, 2)) AS age_over_rub,
    CAST(t.adv * 0.01 AS DECIMAL(18, 2)) AS advance_rub,
    CAST(t.penalty_kop * 0.01 AS DECIMAL(18, 2)) AS penalty_rub,
    CAST((t.debt_kop + t.penalty_kop) * 0.01 AS DECIMAL(18, 2)) AS total_rub
FROM t
LEFT JOIN account AS a ON a.id = t.debtor_id AND t.kind = 'household'
LEFT JOIN contract AS k ON k.id = t.debtor_id AND t.kind = 'legal'
LEFT JOIN f ON f.counterparty_id = k.counterparty_id
ORDER BY t.kind, t.debt_kop DESC, debtor_no
