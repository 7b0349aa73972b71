-- name: debtors
-- title: Список должников
-- description: Лицевые счета населения с просроченной задолженностью на дату — по тем же правилам,
--   что отбор должников «Работы с должниками» (sbyt.core.debtors.find_debtors): проводки `posting`
--   по дату включительно суммируются по месяцу, к которому относятся (без пеней — долг, пени
--   отдельно); месяц не оплачен, если его долг положителен и срок оплаты (макрос due_date(месяц,
--   'household'), правило due_day.household) прошёл; дней просрочки — от срока самого старого
--   неоплаченного месяца. В список входит счёт с положительным долгом, не меньше заданного числа
--   неоплаченных месяцев и суммы; рядом — открытое дело ПИР и его этап.
-- param on_date: date = today | На дату
-- param min_months: int = 1 | Неоплаченных месяцев не менее
-- param min_debt_kop: money = 0,01 | Долг не менее, руб.
-- param district: text = '' | Район (пусто — все)
-- example: on_date=2026-12-05 min_months=2
-- column account_number: text | Лицевой счёт
-- column holder_name: text | Абонент
-- column address: text | Адрес
-- column oldest_period: period | Самый старый неоплаченный месяц
-- column unpaid_periods: int | Неоплаченных месяцев
-- column debt_rub: money total | Долг, руб.
-- column penalty_rub: money total | Пени, руб.
-- column days_overdue: int | Дней просрочки
-- column case_number: text | Дело ПИР
-- column case_stage: text | Этап
WITH x AS (
    SELECT account_id, for_period,
           coalesce(sum(amount_kop) FILTER (WHERE service <> 'penalty'), 0) AS debt_kop,
           coalesce(sum(amount_kop) FILTER (WHERE service = 'penalty'), 0) AS penalty_kop
    FROM posting
    WHERE op_date <= $on_date
      AND account_id IN (SELECT account_id FROM posting WHERE op_date <= $on_date GROUP BY account_id
                         HAVING sum(amount_kop) FILTER (WHERE service <> 'penalty') > 0)
    GROUP BY account_id, for_period
),
d AS (SELECT for_period, due_date(for_period, 'household') AS due FROM (SELECT DISTINCT for_period FROM x)),
per AS (
    SELECT x.*, d.due, date_diff('day', d.due, $on_date) AS days_overdue,
           (x.debt_kop > 0 AND d.due < $on_date) AS unpaid
    FROM x LEFT JOIN d USING (for_period)
),
t AS (
    SELECT account_id, sum(debt_kop) AS debt_kop, sum(penalty_kop) AS penalty_kop,
           count(*) FILTER (WHERE unpaid) AS unpaid_periods, min(for_period) FILTER (WHERE unpaid) AS oldest,
           coalesce(max(days_overdue) FILTER (WHERE unpaid), 0) AS days_overdue
    FROM per GROUP BY account_id
)
SELECT
    a.number AS account_number,
    a.holder_name AS holder_name,
    se.name || ', ' || st.name || ', д. ' || b.house_no || ', кв. ' || p.number AS address,
    t.oldest AS oldest_period,
    CAST(t.unpaid_periods AS INTEGER) AS unpaid_periods,
    CAST(t.debt_kop * 0.01 AS DECIMAL(18, 2)) AS debt_rub,
    CAST(t.penalty_kop * 0.01 AS DECIMAL(18, 2)) AS penalty_rub,
    CAST(t.days_overdue AS INTEGER) AS days_overdue,
    c.number AS case_number,
    label('debt_stage', c.stage) AS case_stage
FROM t
JOIN account AS a ON a.id = t.account_id
JOIN premise AS p ON p.id = a.premise_id
JOIN building AS b ON b.id = p.building_id
JOIN street AS st ON st.id = b.street_id
JOIN settlement AS se ON se.id = st.settlement_id
LEFT JOIN district AS di ON di.id = se.district_id
LEFT JOIN debt_case AS c ON c.account_id = t.account_id AND c.status = 'open' AND c.debtor_kind = 'household'
WHERE t.debt_kop > 0 AND t.unpaid_periods >= $min_months AND t.debt_kop >= $min_debt_kop
  AND ($district = '' OR di.name = $district OR di.code = $district)
ORDER BY t.debt_kop DESC, a.number
