-- name: meters_coverage
-- title: Оснащённость приборами учёта
-- description: Доля лицевых счетов (помещений) с прибором учёта на дату: по районам (строки
--   «Итого по району») и по домам района; у МКД — наличие ОДПУ. Прибор коммунальной квартиры
--   считается прибором каждой её комнаты.
-- param on_date: date = today | На дату
-- param district: text = '' | Район (пусто — все)
-- column district: text | Район
-- column address: text | Дом
-- column building_kind: text | Тип
-- column accounts: int | Лицевых счетов
-- column metered: int | С прибором учёта
-- column unmetered: int | Без прибора учёта
-- column metered_pct: percent | Оснащённость, %
-- column common_meter: text | ОДПУ
WITH point_metered AS (
    SELECT DISTINCT metering_point_id AS id FROM meter
    WHERE installed <= $on_date AND (removed IS NULL OR removed > $on_date)
),
metered_acc AS (
    -- an account's own meter, or the shared meter of its communal flat (the parent point)
    SELECT mp.account_id FROM metering_point AS mp JOIN point_metered AS pm ON pm.id = mp.id
    WHERE mp.account_id IS NOT NULL
    UNION
    SELECT mp.account_id FROM metering_point AS mp JOIN point_metered AS pm ON pm.id = mp.parent_id
    WHERE mp.account_id IS NOT NULL
),
common_b AS (
    SELECT DISTINCT mp.building_id FROM metering_point AS mp JOIN point_metered AS pm ON pm.id = mp.id
    WHERE mp.kind = 'common'
),
acc AS (
    SELECT d.name AS district, b.id AS building_id, b.kind AS bkind, b.route_order, b.house_no, b.code,
           se.name AS settlement, st.name AS street,
           concat_ws(', ', se.name, st.name, 'д. ' || b.house_no) AS address,
           ma.account_id IS NOT NULL AS metered
    FROM account AS a
    JOIN premise AS p ON p.id = a.premise_id
    JOIN building AS b ON b.id = p.building_id
    JOIN street AS st ON st.id = b.street_id
    JOIN settlement AS se ON se.id = st.settlement_id
    JOIN district AS d ON d.id = se.district_id
    LEFT JOIN metered_acc AS ma ON ma.account_id = a.id
    WHERE a.opened <= $on_date AND (a.closed IS NULL OR a.closed > $on_date)
      AND ($district = '' OR d.name = $district OR d.code = $district)
),
g AS (
    SELECT district, building_id, grouping(building_id) AS lvl, any_value(bkind) AS bkind,
           any_value(address) AS address, any_value(settlement) AS settlement, any_value(street) AS street,
           any_value(route_order) AS route_order, any_value(house_no) AS house_no, any_value(code) AS code,
           count(*) AS accounts, count(*) FILTER (WHERE metered) AS metered
    FROM acc
    GROUP BY GROUPING SETS ((district), (district, building_id))
)
SELECT
    g.district AS district,
    CASE WHEN g.lvl = 1 THEN 'Итого по району' ELSE g.address END AS address,
    CASE WHEN g.lvl = 1 THEN NULL WHEN g.bkind = 'mkd' THEN 'МКД' ELSE 'жилой дом' END AS building_kind,
    g.accounts AS accounts,
    g.metered AS metered,
    g.accounts - g.metered AS unmetered,
    CAST(100.0 * g.metered / g.accounts AS DECIMAL(6, 1)) AS metered_pct,
    CASE WHEN g.lvl = 1 OR g.bkind <> 'mkd' THEN NULL WHEN c.building_id IS NOT NULL THEN 'есть' ELSE 'нет' END
        AS common_meter
FROM g
LEFT JOIN common_b AS c ON c.building_id = g.building_id
ORDER BY g.district, g.lvl DESC, g.settlement, g.street, g.route_order, g.house_no, g.code
