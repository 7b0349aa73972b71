-- name: mkd_direct_contracts
-- title: Количество МКД по прямым договорам
-- description: По районам на дату: всего МКД, МКД с прямыми договорами (собственники платят
--   гарантирующему поставщику напрямую, ЖК РФ ст. 157.2), из них с управляющей организацией,
--   МКД с непосредственным управлением или без выбранного способа управления (ОДН
--   выставляется жителям), лицевых счетов в МКД с прямыми договорами.
-- param on_date: date = today | На дату
-- column district: text | Район
-- column mkd_total: int total | Всего МКД
-- column mkd_direct_contract: int total | МКД с прямыми договорами
-- column mkd_direct_contract_managed: int total | из них с УО (УК, ТСЖ, ЖСК)
-- column mkd_direct_management: int total | Непосредственное управление / не выбран
-- column accounts_direct_contract: int total | Лицевых счетов в МКД с прямыми договорами
WITH b AS (
    SELECT b.id, se.district_id, f.management,
           EXISTS (SELECT 1 FROM building_direct_contract AS c
                   WHERE c.building_id = b.id AND c.valid_from <= $on_date
                     AND (c.valid_to IS NULL OR c.valid_to > $on_date)) AS direct_contract
    FROM building AS b
    JOIN street AS st ON st.id = b.street_id
    JOIN settlement AS se ON se.id = st.settlement_id
    LEFT JOIN building_fact AS f ON f.building_id = b.id AND f.valid_from <= $on_date
                                 AND (f.valid_to IS NULL OR f.valid_to > $on_date)
    WHERE b.kind = 'mkd' AND (b.opened IS NULL OR b.opened <= $on_date)
      AND (b.closed IS NULL OR b.closed > $on_date)
),
acc AS (
    SELECT p.building_id, count(*) AS n FROM account AS a JOIN premise AS p ON p.id = a.premise_id
    WHERE a.opened <= $on_date AND (a.closed IS NULL OR a.closed > $on_date)
    GROUP BY p.building_id
)
SELECT
    d.name AS district,
    count(*) AS mkd_total,
    count(*) FILTER (WHERE b.direct_contract) AS mkd_direct_contract,
    count(*) FILTER (WHERE b.direct_contract AND b.management IN ('uk', 'tszh', 'zhsk'))
        AS mkd_direct_contract_managed,
    count(*) FILTER (WHERE b.management IN ('direct', 'none')) AS mkd_direct_management,
    coalesce(sum(acc.n) FILTER (WHERE b.direct_contract), 0) AS accounts_direct_contract
FROM b
JOIN district AS d ON d.id = b.district_id
LEFT JOIN acc ON acc.building_id = b.id
GROUP BY d.name
ORDER BY d.name
