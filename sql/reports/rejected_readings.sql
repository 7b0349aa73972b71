-- name: rejected_readings
-- title: Отклонённые показания
-- description: Показания, не прошедшие контроль, с датой в периоде с period_from по period_to:
--   лицевой счёт (или дом для общедомового прибора), адрес, прибор, зона, значение, источник
--   и причина отклонения.
-- param period_from: period = current | Период с
-- param period_to: period = current | Период по
-- column read_on: date | Дата показания
-- column account_number: text | Лицевой счёт
-- column address: text | Адрес
-- column meter_serial: text | Заводской номер ПУ
-- column zone: int | Зона
-- column value: int | Показание, кВт·ч
-- column source: text | Источник
-- column reason: text | Причина отклонения
-- column entered_by: text | Кто ввёл
SELECT
    r.read_on AS read_on,
    a.number AS account_number,
    concat_ws(', ', st.name, 'д. ' || b.house_no, CASE WHEN pr.number IS NOT NULL AND b.kind = 'mkd'
                                                       THEN 'кв. ' || pr.number END) AS address,
    m.serial AS meter_serial,
    r.zone AS zone,
    r.value AS value,
    CASE r.source
        WHEN 'operator' THEN 'оператор'
        WHEN 'controller' THEN 'контролёр'
        WHEN 'file' THEN 'файл'
        WHEN 'gis' THEN 'ГИС ЖКХ'
        WHEN 'portal' THEN 'личный кабинет'
        WHEN 'askue' THEN 'АСКУЭ'
        WHEN 'load' THEN 'загрузка'
        ELSE r.source
    END AS source,
    r.reason AS reason,
    r.entered_by AS entered_by
FROM reading AS r
LEFT JOIN meter AS m ON m.id = r.meter_id
LEFT JOIN metering_point AS mp ON mp.id = m.metering_point_id
LEFT JOIN account AS a ON a.id = mp.account_id
LEFT JOIN premise AS pr ON pr.id = coalesce(a.premise_id, mp.premise_id)
LEFT JOIN building AS b ON b.id = coalesce(pr.building_id, mp.building_id)
LEFT JOIN street AS st ON st.id = b.street_id
WHERE r.status = 'rejected'
  AND r.read_on >= make_date(CAST($period_from // 100 AS INTEGER), CAST($period_from % 100 AS INTEGER), 1)
  AND r.read_on < make_date(CAST($period_to // 100 AS INTEGER), CAST($period_to % 100 AS INTEGER), 1) + INTERVAL 1 MONTH
ORDER BY r.read_on, a.number, m.serial, r.zone
