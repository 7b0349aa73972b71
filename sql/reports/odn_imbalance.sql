-- name: odn_imbalance
-- title: Ведомость распределения небаланса ОДН
-- description: МКД, где общедомовой прибор учёта показал меньше суммы потребления помещений
--   (отрицательный ОДН): начисление ОДН жителям за месяц нулевое, небаланс распределяется по
--   помещениям пропорционально площади (справочно, к начислению не предъявляется). По дому:
--   объём ОДПУ, объём помещений, небаланс; по помещению: площадь, доля, индивидуальное
--   потребление и доля небаланса, кВт·ч. Для домов с управляющей организацией — перенос
--   небаланса на следующие месяцы.
-- param period: period = current | Период
-- param building: text = '' | Дом (код МКД; пусто — все)
-- column district: text | Район
-- column address: text | Адрес МКД
-- column common_kwh: kwh | Объём по ОДПУ, кВт·ч
-- column premises_kwh: kwh | Объём помещений, кВт·ч
-- column building_imbalance_kwh: kwh | Небаланс дома, кВт·ч
-- column carry_out_kwh: kwh | Перенос УО на след. месяц, кВт·ч
-- column premise: text | Помещение
-- column account_number: text | Лицевой счёт
-- column holder: text | ФИО
-- column area: number total | Площадь, м²
-- column share: number | Доля площади
-- column individual_kwh: kwh total | Индивидуальное потребление, кВт·ч
-- column imbalance_kwh: kwh total | Доля небаланса, кВт·ч
SELECT
    d.name AS district,
    concat_ws(', ', se.name, st.name, 'д. ' || b.house_no) AS address,
    CAST(i.common_wh / 1000 AS DECIMAL(18, 3)) AS common_kwh,
    CAST(i.premises_wh / 1000 AS DECIMAL(18, 3)) AS premises_kwh,
    CAST(i.imbalance_wh / 1000 AS DECIMAL(18, 3)) AS building_imbalance_kwh,
    CAST(-mv.carry_out_wh / 1000 AS DECIMAL(18, 3)) AS carry_out_kwh,
    CASE s.kind WHEN 'nonres' THEN 'Помещение ' WHEN 'room' THEN 'Комната ' ELSE 'Квартира ' END
        || p.number AS premise,
    a.number AS account_number,
    a.holder_name AS holder,
    s.area AS area,
    CAST(CASE WHEN r.area_total > 0 THEN s.area / r.area_total END AS DECIMAL(18, 6)) AS share,
    CAST(s.individual_wh / 1000 AS DECIMAL(18, 3)) AS individual_kwh,
    CAST(CASE WHEN r.area_total > 0 THEN i.imbalance_wh * s.area / r.area_total / 1000 END
         AS DECIMAL(18, 3)) AS imbalance_kwh
FROM odn_imbalance AS i
JOIN odn_result AS r ON r.period = i.period AND r.building_id = i.building_id
JOIN odn_share AS s ON s.period = i.period AND s.building_id = i.building_id
JOIN building AS b ON b.id = i.building_id
JOIN premise AS p ON p.id = s.premise_id
LEFT JOIN account AS a ON a.id = s.account_id
LEFT JOIN odn_manager_volume AS mv ON mv.period = i.period AND mv.building_id = i.building_id
LEFT JOIN street AS st ON st.id = b.street_id
LEFT JOIN settlement AS se ON se.id = st.settlement_id
LEFT JOIN district AS d ON d.id = se.district_id
WHERE i.period = $period
  AND ($building = '' OR b.code = $building)
ORDER BY d.name, se.name, st.name, b.route_order, b.house_no, b.code, s.premise_id
