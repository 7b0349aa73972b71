-- The due date of a month's bill: the SQL twin of sbyt.core.due.due_date (tests/test_rules.py keeps
-- them equal). Day N (dated rule 'due_day.<kind>' in force on the first day of the month after
-- for_period) of that month, clamped to its last day; NULL when no rule is in force.
--   SELECT due_date(202610, 'household')  -- 2026-11-15
CREATE MACRO first_of_next_month(for_period) AS
    CAST(make_date(CAST(for_period AS INTEGER) // 100, CAST(for_period AS INTEGER) % 100, 1) + INTERVAL 1 MONTH AS DATE);

CREATE MACRO due_date(for_period, kind) AS (
    SELECT CAST(first_of_next_month(for_period)
                + to_days(greatest(1, least(CAST(r.value AS INTEGER),
                                            day(last_day(first_of_next_month(for_period))))) - 1) AS DATE)
    FROM dated_rule AS r
    WHERE r.code = 'due_day.' || kind
      AND r.valid_from <= first_of_next_month(for_period)
      AND (r.valid_to IS NULL OR r.valid_to > first_of_next_month(for_period))
    ORDER BY r.valid_from DESC
    LIMIT 1);
