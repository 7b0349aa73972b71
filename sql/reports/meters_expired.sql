-- name: meters_expired
-- title: Приборы с истёкшим сроком поверки
-- description: Приборы учёта в работе на дату, у которых дата последней поверки плюс
--   межповерочный интервал наступила: адрес, лицевой счёт (для ОДПУ — код дома), вид, модель,
--   заводской номер, дата поверки, интервал, срок очередной поверки и сколько дней он истёк.
-- param on_date: date = today | На дату
-- param district: text = '' | Район (пусто — все)
-- column district: text | Район
-- column address: text | Адрес
-- column account_number: text | Лицевой счёт / код МКД
-- column meter_kind: text | Вид
-- column model: text | Модель
-- column serial: text | Заводской номер
-- column verified: date | Поверен
-- column interval_years: int | МПИ, лет
-- column due: date | Срок поверки
-- column overdue_days: int | Просрочено, дней
WITH m AS (
    SELECT m.*, CAST(m.verified + to_years(CAST(m.verification_years AS INTEGER)) AS DATE) AS due,
           mp.kind AS mp_kind, mp.account_id, mp.building_id AS mp_building, mp.premise_id AS mp_premise
    FROM meter AS m
    JOIN metering_point AS mp ON mp.id = m.metering_point_id
    WHERE m.installed <= $on_date AND (m.removed IS NULL OR m.removed > $on_date)
      AND m.verified IS NOT NULL AND m.verification_years IS NOT NULL
      AND m.verified + to_years(CAST(m.verification_years AS INTEGER)) <= $on_date
)
SELECT
    d.name AS district,
    concat_ws(', ', se.name, st.name, 'д. ' || b.house_no,
              CASE WHEN b.kind = 'mkd' AND p.number IS NOT NULL
                   THEN CASE WHEN p.kind = 'nonres' THEN 'пом. ' ELSE 'кв. ' END || p.number END) AS address,
    coalesce(a.number, CASE WHEN m.mp_kind = 'common' THEN b.code END) AS account_number,
    CASE WHEN m.mp_kind = 'common' THEN 'ОДПУ' WHEN m.mp_kind = 'shared' THEN 'коммунальная квартира'
         WHEN p.kind = 'nonres' THEN 'нежилое' ELSE 'ИПУ' END AS meter_kind,
    m.model AS model,
    m.serial AS serial,
    m.verified AS verified,
    CAST(m.verification_years AS INTEGER) AS interval_years,
    m.due AS due,
    CAST(date_diff('day', m.due, $on_date) AS INTEGER) AS overdue_days
FROM m
LEFT JOIN account AS a ON a.id = m.account_id
LEFT JOIN premise AS p ON p.id = coalesce(m.mp_premise, a.premise_id)
LEFT JOIN building AS b ON b.id = coalesce(p.building_id, m.mp_building)
LEFT JOIN street AS st ON st.id = b.street_id
LEFT JOIN settlement AS se ON se.id = st.settlement_id
LEFT JOIN district AS d ON d.id = se.district_id
WHERE $district = '' OR d.name = $district OR d.code = $district
ORDER BY d.name, se.name, st.name, b.route_order, b.house_no, p.id, m.serial
