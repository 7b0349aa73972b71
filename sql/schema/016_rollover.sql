-- The volume between two readings through a rollover of the dial: the SQL twin of
-- sbyt.core.rollover.rollover_volume (tests/test_rules.py keeps them equal). A lower reading is a
-- rollover only from the top tenth of the dial to its bottom tenth; otherwise -1 (not a volume).
--   nullif(rollover_volume(prev_value, cur_value, digits), -1) * ratio   -- kWh, NULL when none
CREATE MACRO rollover_volume(prev, cur, digits) AS
    CASE WHEN cur >= prev THEN CAST(cur AS BIGINT) - prev
         WHEN 10 * CAST(prev AS BIGINT) >= 9 * CAST(pow(10, digits) AS BIGINT)
              AND 10 * CAST(cur AS BIGINT) < CAST(pow(10, digits) AS BIGINT)
              THEN CAST(cur AS BIGINT) + CAST(pow(10, digits) AS BIGINT) - prev
         ELSE -1 END;
