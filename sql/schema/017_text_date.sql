-- A date written as text: the SQL twin of sbyt.core.periods.parse_date (tests/test_rules.py keeps
-- them equal). ГГГГ-ММ-ДД or ДД.ММ.ГГГГ, possibly followed by a time of day that is dropped;
-- NULL when the text is not a date (or names a day that does not exist, such as 30.02.2026).
CREATE MACRO text_date(v) AS CASE
    WHEN regexp_full_match(v, '\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?\s*')
        THEN CAST(try_strptime(regexp_extract(v, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}'), '%Y-%m-%d') AS DATE)
    WHEN regexp_full_match(v, '\s*[0-9]{1,2}[.][0-9]{1,2}[.][0-9]{4}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?\s*')
        THEN CAST(try_strptime(regexp_extract(v, '[0-9]{1,2}[.][0-9]{1,2}[.][0-9]{4}'), '%d.%m.%Y') AS DATE)
    END;
