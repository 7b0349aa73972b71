-- name: vat_sales_summary
-- title: Свод книги продаж
-- description: Итоги книги продаж (vat_book) по кварталам, кодам видов операций и ставкам: число
--   записей, стоимость с НДС, без НДС и НДС. Записи дополнительных листов — отдельными строками в
--   квартале, который они исправляют; аннулирование — с минусом. Книга по форме: sbyt vat-book.
-- param year: int | Год
-- param quarter: int = 0 | Квартал (1–4; 0 — все)
-- example: year=2026 quarter=2
-- column quarter: text | Квартал
-- column sheet: text | Лист
-- column op_code: text | Код операции
-- column vat_rate: text | Ставка
-- column entries: int total | Записей
-- column total_rub: money total | С НДС, руб.
-- column base_rub: money total | Без НДС, руб.
-- column vat_rub: money total | НДС, руб.
WITH v AS (
    SELECT CASE WHEN extra_sheet THEN coalesce(for_quarter, quarter) ELSE quarter END AS q, extra_sheet, op_code,
           vat_rate, CASE WHEN annul THEN -1 ELSE 1 END AS sign, total_kop, base_kop, vat_kop
    FROM vat_book WHERE book = 'sales'
)
SELECT
    CAST(q // 10 AS VARCHAR) || '-' || CAST(q % 10 AS VARCHAR) AS quarter,
    CASE WHEN extra_sheet THEN 'доп. лист' ELSE 'основная' END AS sheet,
    op_code AS op_code,
    vat_rate AS vat_rate,
    count(*) AS entries,
    CAST(sum(sign * abs(total_kop)) * 0.01 AS DECIMAL(18, 2)) AS total_rub,
    CAST(sum(sign * abs(base_kop)) * 0.01 AS DECIMAL(18, 2)) AS base_rub,
    CAST(sum(sign * abs(vat_kop)) * 0.01 AS DECIMAL(18, 2)) AS vat_rub
FROM v
WHERE q // 10 = $year AND ($quarter = 0 OR q % 10 = $quarter)
GROUP BY q, extra_sheet, op_code, vat_rate
ORDER BY q, extra_sheet, op_code, vat_rate
