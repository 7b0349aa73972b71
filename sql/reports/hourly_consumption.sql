-- name: hourly_consumption
-- title: Почасовое потребление
-- description: Почасовые объёмы точки поставки юридического лица (или одного её прибора учёта)
--   за период по данным АСКУЭ (макет 80020, sbyt readings import): строка на день, 24 часа
--   (час 1 = 00:00–01:00) и сумма за сутки, кВт·ч; в итоговой строке — суммы по часам. Объём точки —
--   сумма её приборов (как измерено, без вычета транзитных точек: к оплате — sbyt contract volumes).
--   Отклонённые часы (больше максимальной мощности) не потребление: в час и сутки не входят, их
--   число и объём — в своих колонках; замещённые часы (нет данных в файле) входят и считаются;
--   в «Отметках» — номера замещённых и отклонённых часов. Пустая ячейка — за час нет принятых данных.
-- param point: text | Точка поставки (код)
-- param meter: text = '' | Заводской номер прибора (пусто — все приборы точки)
-- param date_from: date | С даты
-- param date_to: date | По дату
-- example: point=TP1 date_from=2026-11-01 date_to=2026-11-30
-- column day: date | Дата
-- column h01: kwh total | 1
-- column h02: kwh total | 2
-- column h03: kwh total | 3
-- column h04: kwh total | 4
-- column h05: kwh total | 5
-- column h06: kwh total | 6
-- column h07: kwh total | 7
-- column h08: kwh total | 8
-- column h09: kwh total | 9
-- column h10: kwh total | 10
-- column h11: kwh total | 11
-- column h12: kwh total | 12
-- column h13: kwh total | 13
-- column h14: kwh total | 14
-- column h15: kwh total | 15
-- column h16: kwh total | 16
-- column h17: kwh total | 17
-- column h18: kwh total | 18
-- column h19: kwh total | 19
-- column h20: kwh total | 20
-- column h21: kwh total | 21
-- column h22: kwh total | 22
-- column h23: kwh total | 23
-- column h24: kwh total | 24
-- column total_kwh: kwh total | За сутки, кВт·ч
-- column substituted: int total | Замещено часов
-- column rejected: int total | Отклонено часов
-- column rejected_kwh: kwh total | Отклонено, кВт·ч
-- column marks: text | Отметки
WITH h AS (
    SELECT h.day, h.hour, h.value_wh, h.status
    FROM meter_hour AS h
    JOIN legal_meter AS m ON m.id = h.meter_id
    JOIN legal_point AS p ON p.id = m.point_id
    WHERE p.code = $point AND ($meter = '' OR m.serial = $meter) AND h.day BETWEEN $date_from AND $date_to
),
d AS (
    SELECT day,
           sum(value_wh) FILTER (WHERE hour = 1 AND status <> 'rejected') AS h01,
           sum(value_wh) FILTER (WHERE hour = 2 AND status <> 'rejected') AS h02,
           sum(value_wh) FILTER (WHERE hour = 3 AND status <> 'rejected') AS h03,
           sum(value_wh) FILTER (WHERE hour = 4 AND status <> 'rejected') AS h04,
           sum(value_wh) FILTER (WHERE hour = 5 AND status <> 'rejected') AS h05,
           sum(value_wh) FILTER (WHERE hour = 6 AND status <> 'rejected') AS h06,
           sum(value_wh) FILTER (WHERE hour = 7 AND status <> 'rejected') AS h07,
           sum(value_wh) FILTER (WHERE hour = 8 AND status <> 'rejected') AS h08,
           sum(value_wh) FILTER (WHERE hour = 9 AND status <> 'rejected') AS h09,
           sum(value_wh) FILTER (WHERE hour = 10 AND status <> 'rejected') AS h10,
           sum(value_wh) FILTER (WHERE hour = 11 AND status <> 'rejected') AS h11,
           sum(value_wh) FILTER (WHERE hour = 12 AND status <> 'rejected') AS h12,
           sum(value_wh) FILTER (WHERE hour = 13 AND status <> 'rejected') AS h13,
           sum(value_wh) FILTER (WHERE hour = 14 AND status <> 'rejected') AS h14,
           sum(value_wh) FILTER (WHERE hour = 15 AND status <> 'rejected') AS h15,
           sum(value_wh) FILTER (WHERE hour = 16 AND status <> 'rejected') AS h16,
           sum(value_wh) FILTER (WHERE hour = 17 AND status <> 'rejected') AS h17,
           sum(value_wh) FILTER (WHERE hour = 18 AND status <> 'rejected') AS h18,
           sum(value_wh) FILTER (WHERE hour = 19 AND status <> 'rejected') AS h19,
           sum(value_wh) FILTER (WHERE hour = 20 AND status <> 'rejected') AS h20,
           sum(value_wh) FILTER (WHERE hour = 21 AND status <> 'rejected') AS h21,
           sum(value_wh) FILTER (WHERE hour = 22 AND status <> 'rejected') AS h22,
           sum(value_wh) FILTER (WHERE hour = 23 AND status <> 'rejected') AS h23,
           sum(value_wh) FILTER (WHERE hour = 24 AND status <> 'rejected') AS h24,
           sum(value_wh) FILTER (WHERE status <> 'rejected') AS total_wh,
           count(*) FILTER (WHERE status = 'substituted') AS substituted,
           count(*) FILTER (WHERE status = 'rejected') AS rejected,
           coalesce(sum(value_wh) FILTER (WHERE status = 'rejected'), 0) AS rejected_wh,
           array_to_string(list_sort(list_distinct(list(hour) FILTER (WHERE status = 'substituted'))), ', ')
               AS substituted_hours,
           array_to_string(list_sort(list_distinct(list(hour) FILTER (WHERE status = 'rejected'))), ', ')
               AS rejected_hours
    FROM h
    GROUP BY day
)
SELECT
    d.day AS day,
    CAST(d.h01 * 0.001 AS DECIMAL(18, 3)) AS h01,
    CAST(d.h02 * 0.001 AS DECIMAL(18, 3)) AS h02,
    CAST(d.h03 * 0.001 AS DECIMAL(18, 3)) AS h03,
    CAST(d.h04 * 0.001 AS DECIMAL(18, 3)) AS h04,
    CAST(d.h05 * 0.001 AS DECIMAL(18, 3)) AS h05,
    CAST(d.h06 * 0.001 AS DECIMAL(18, 3)) AS h06,
    CAST(d.h07 * 0.001 AS DECIMAL(18, 3)) AS h07,
    CAST(d.h08 * 0.001 AS DECIMAL(18, 3)) AS h08,
    CAST(d.h09 * 0.001 AS DECIMAL(18, 3)) AS h09,
    CAST(d.h10 * 0.001 AS DECIMAL(18, 3)) AS h10,
    CAST(d.h11 * 0.001 AS DECIMAL(18, 3)) AS h11,
    CAST(d.h12 * 0.001 AS DECIMAL(18, 3)) AS h12,
    CAST(d.h13 * 0.001 AS DECIMAL(18, 3)) AS h13,
    CAST(d.h14 * 0.001 AS DECIMAL(18, 3)) AS h14,
    CAST(d.h15 * 0.001 AS DECIMAL(18, 3)) AS h15,
    CAST(d.h16 * 0.001 AS DECIMAL(18, 3)) AS h16,
    CAST(d.h17 * 0.001 AS DECIMAL(18, 3)) AS h17,
    CAST(d.h18 * 0.001 AS DECIMAL(18, 3)) AS h18,
    CAST(d.h19 * 0.001 AS DECIMAL(18, 3)) AS h19,
    CAST(d.h20 * 0.001 AS DECIMAL(18, 3)) AS h20,
    CAST(d.h21 * 0.001 AS DECIMAL(18, 3)) AS h21,
    CAST(d.h22 * 0.001 AS DECIMAL(18, 3)) AS h22,
    CAST(d.h23 * 0.001 AS DECIMAL(18, 3)) AS h23,
    CAST(d.h24 * 0.001 AS DECIMAL(18, 3)) AS h24,
    CAST(d.total_wh * 0.001 AS DECIMAL(18, 3)) AS total_kwh,
    CAST(d.substituted AS INTEGER) AS substituted,
    CAST(d.rejected AS INTEGER) AS rejected,
    CAST(d.rejected_wh * 0.001 AS DECIMAL(18, 3)) AS rejected_kwh,
    concat_ws('; ', CASE WHEN d.substituted_hours <> '' THEN 'замещены: ' || d.substituted_hours END,
              CASE WHEN d.rejected_hours <> '' THEN 'отклонены: ' || d.rejected_hours END) AS marks
FROM d
ORDER BY d.day
