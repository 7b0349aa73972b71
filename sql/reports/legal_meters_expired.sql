-- name: legal_meters_expired
-- title: Истечение сроков поверки ИК
-- description: Измерительные комплексы юридических лиц в работе на дату (прибор установлен и не
--   снят, точка поставки не закрыта, договор не расторгнут к этой дате), у которых дата последней
--   поверки плюс межповерочный интервал наступила: контрагент, договор, объект, точка поставки,
--   прибор учёта, дата поверки, интервал, срок очередной поверки и сколько дней он истёк.
--   Комплексы без даты поверки или интервала сюда не входят.
-- param on_date: date = today | На дату
-- param contract: text = '' | Номер договора (пусто — все)
-- example: on_date=2026-11-30
-- column counterparty: text | Контрагент
-- column inn: text | ИНН
-- column number: text | Договор
-- column object: text | Объект расчёта
-- column point: text | Точка поставки
-- column serial: text | Заводской номер
-- column model: text | Тип прибора
-- column accuracy: text | Класс точности
-- column installed: date | Установлен
-- column verified: date | Поверен
-- column interval_years: int | МПИ, лет
-- column due: date | Срок поверки
-- column overdue_days: int | Просрочено, дней
WITH m AS (
    SELECT m.*, CAST(m.verified + to_years(CAST(m.verify_years AS INTEGER)) AS DATE) AS due
    FROM legal_meter AS m
    WHERE m.installed <= $on_date AND (m.removed IS NULL OR m.removed > $on_date)
      AND m.verified IS NOT NULL AND m.verify_years IS NOT NULL
      AND m.verified + to_years(CAST(m.verify_years AS INTEGER)) <= $on_date
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
    f.name AS counterparty,
    c.inn AS inn,
    k.number AS number,
    o.name AS object,
    p.code AS point,
    m.serial AS serial,
    m.model AS model,
    m.accuracy AS accuracy,
    m.installed AS installed,
    m.verified AS verified,
    CAST(m.verify_years AS INTEGER) AS interval_years,
    m.due AS due,
    CAST(date_diff('day', m.due, $on_date) AS INTEGER) AS overdue_days
FROM m
JOIN legal_point AS p ON p.id = m.point_id
JOIN calc_object AS o ON o.id = p.object_id
JOIN contract AS k ON k.id = o.contract_id
JOIN counterparty AS c ON c.id = k.counterparty_id
LEFT JOIN f ON f.counterparty_id = k.counterparty_id
WHERE (p.closed IS NULL OR p.closed > $on_date)
  AND k.state <> 'refused' AND (k.terminated_from IS NULL OR k.terminated_from > $on_date)
  AND ($contract = '' OR k.number = $contract)
ORDER BY m.due, k.number, p.code, m.serial
