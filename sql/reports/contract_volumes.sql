-- name: contract_volumes
-- title: Договорные объёмы
-- description: Договорные объёмы года по договорам, объектам расчёта и услугам (как их заявил
--   потребитель: sbyt contract plan): договор, контрагент, номер и дата договора, группа
--   финансирования, объект, услуга, единица и объём каждого месяца; за год — сумма объёмов
--   электроэнергии (мощность за год не складывается). Договор без объектов и объект без
--   заявленных объёмов показываются строкой без услуги.
-- param year: int | Год
-- param contract: text = '' | Номер договора (пусто — все)
-- example: year=2027
-- column contract: text | Договор
-- column counterparty: text | Контрагент
-- column number: text | Номер договора
-- column contract_date: date | Дата договора
-- column financing_group: text | Группа финансирования
-- column object: text | Объект расчёта
-- column service: text | Услуга
-- column unit: text | Ед.
-- column m01: kwh | Январь
-- column m02: kwh | Февраль
-- column m03: kwh | Март
-- column m04: kwh | Апрель
-- column m05: kwh | Май
-- column m06: kwh | Июнь
-- column m07: kwh | Июль
-- column m08: kwh | Август
-- column m09: kwh | Сентябрь
-- column m10: kwh | Октябрь
-- column m11: kwh | Ноябрь
-- column m12: kwh | Декабрь
-- column year_total: kwh | За год
WITH v AS (
    SELECT object_id, service,
           max(volume) FILTER (WHERE period % 100 = 1) AS m01, max(volume) FILTER (WHERE period % 100 = 2) AS m02,
           max(volume) FILTER (WHERE period % 100 = 3) AS m03, max(volume) FILTER (WHERE period % 100 = 4) AS m04,
           max(volume) FILTER (WHERE period % 100 = 5) AS m05, max(volume) FILTER (WHERE period % 100 = 6) AS m06,
           max(volume) FILTER (WHERE period % 100 = 7) AS m07, max(volume) FILTER (WHERE period % 100 = 8) AS m08,
           max(volume) FILTER (WHERE period % 100 = 9) AS m09, max(volume) FILTER (WHERE period % 100 = 10) AS m10,
           max(volume) FILTER (WHERE period % 100 = 11) AS m11, max(volume) FILTER (WHERE period % 100 = 12) AS m12,
           CASE WHEN service = 'energy' THEN sum(volume) END AS year_total
    FROM contract_volume
    WHERE period BETWEEN $year * 100 + 1 AND $year * 100 + 12
    GROUP BY object_id, service
),
-- the counterparty's name and financing group in force at the end of the year (else its first facts)
f AS (
    SELECT counterparty_id, name, financing_group
    FROM counterparty_fact
    QUALIFY row_number() OVER (
        PARTITION BY counterparty_id
        ORDER BY CASE WHEN valid_from <= make_date(CAST($year AS INTEGER), 12, 31) THEN valid_from END DESC NULLS LAST,
                 valid_from) = 1
)
SELECT
    'Договор № ' || k.number || coalesce(' от ' || strftime(k.signed_on, '%d.%m.%Y'), '') AS contract,
    f.name AS counterparty,
    k.number AS number,
    k.signed_on AS contract_date,
    f.financing_group AS financing_group,
    o.name AS object,
    label('volume_service', v.service) AS service,
    CASE v.service WHEN 'energy' THEN 'кВт·ч' WHEN 'capacity' THEN 'кВт' END AS unit,
    v.m01 AS m01, v.m02 AS m02, v.m03 AS m03, v.m04 AS m04, v.m05 AS m05, v.m06 AS m06,
    v.m07 AS m07, v.m08 AS m08, v.m09 AS m09, v.m10 AS m10, v.m11 AS m11, v.m12 AS m12,
    v.year_total AS year_total
FROM contract AS k
LEFT JOIN f ON f.counterparty_id = k.counterparty_id
LEFT JOIN calc_object AS o ON o.contract_id = k.id
LEFT JOIN v ON v.object_id = o.id
WHERE $contract = '' OR k.number = $contract
ORDER BY k.number, o.id, v.service = 'capacity', v.service
