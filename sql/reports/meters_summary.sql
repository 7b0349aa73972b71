-- name: meters_summary
-- title: Сводный отчёт по приборам учёта
-- description: Приборы учёта в работе на дату по районам и видам (индивидуальные в квартирах и
--   домах, нежилые помещения, общедомовые): всего, исправных, неисправных, утраченных, с
--   истёкшим сроком поверки, по числу зон, с измерительными трансформаторами (коэффициент > 1),
--   с действующими пломбами.
-- param on_date: date = today | На дату
-- column district: text | Район
-- column meter_kind: text | Вид приборов учёта
-- column meters: int total | Всего в работе
-- column working: int total | Исправны
-- column broken: int total | Неисправны
-- column lost: int total | Утрачены
-- column expired: int total | Истёк срок поверки
-- column zones1: int total | Однотарифные
-- column zones2: int total | Двухзонные
-- column zones3: int total | Трёхзонные
-- column with_ct: int total | С трансформаторами
-- column sealed: int total | Опломбированы
WITH m AS (
    SELECT m.id, m.zones, m.ratio, m.state, m.state_since, m.verified, m.verification_years,
           CASE WHEN mp.kind = 'common' THEN 'Общедомовые (ОДПУ)'
                WHEN p.kind = 'nonres' THEN 'Нежилые помещения'
                WHEN b.kind = 'house' THEN 'Индивидуальные: жилые дома'
                ELSE 'Индивидуальные: МКД' END AS meter_kind,
           coalesce(b.street_id, bc.street_id) AS street_id
    FROM meter AS m
    JOIN metering_point AS mp ON mp.id = m.metering_point_id
    LEFT JOIN account AS a ON a.id = mp.account_id
    LEFT JOIN premise AS p ON p.id = coalesce(mp.premise_id, a.premise_id)
    LEFT JOIN building AS b ON b.id = p.building_id
    LEFT JOIN building AS bc ON bc.id = mp.building_id
    WHERE m.installed <= $on_date AND (m.removed IS NULL OR m.removed > $on_date)
),
sealed AS (
    SELECT DISTINCT meter_id FROM seal
    WHERE installed <= $on_date AND (removed IS NULL OR removed > $on_date)
)
SELECT
    d.name AS district,
    m.meter_kind AS meter_kind,
    count(*) AS meters,
    count(*) FILTER (WHERE m.state = 'working' OR m.state_since > $on_date) AS working,
    count(*) FILTER (WHERE m.state = 'broken' AND (m.state_since IS NULL OR m.state_since <= $on_date)) AS broken,
    count(*) FILTER (WHERE m.state = 'lost' AND (m.state_since IS NULL OR m.state_since <= $on_date)) AS lost,
    count(*) FILTER (WHERE m.verified IS NOT NULL AND m.verification_years IS NOT NULL
                     AND m.verified + to_years(CAST(m.verification_years AS INTEGER)) <= $on_date) AS expired,
    count(*) FILTER (WHERE m.zones = 1) AS zones1,
    count(*) FILTER (WHERE m.zones = 2) AS zones2,
    count(*) FILTER (WHERE m.zones = 3) AS zones3,
    count(*) FILTER (WHERE m.ratio > 1) AS with_ct,
    count(s.meter_id) AS sealed
FROM m
LEFT JOIN sealed AS s ON s.meter_id = m.id
LEFT JOIN street AS st ON st.id = m.street_id
LEFT JOIN settlement AS se ON se.id = st.settlement_id
LEFT JOIN district AS d ON d.id = se.district_id
GROUP BY d.name, m.meter_kind
ORDER BY d.name, m.meter_kind
