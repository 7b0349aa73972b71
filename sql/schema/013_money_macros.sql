-- The money rules in SQL: twins of sbyt.core.money (tests/test_rules.py binds the Python, Numba and
-- SQL spellings together on random inputs). Integer kopecks in, integer kopecks out.
--   round_div(n, d)        n / d rounded half-up (away from zero on .5), d > 0
--   line_amount(wh, p)     kopecks of wh Wh at p RUB/kWh × 10⁴, rounded once
--   vat_part(kop, r)       the VAT inside kop (VAT included) at r percent × 100
CREATE MACRO round_div(n, d) AS
    CASE WHEN n >= 0 THEN (2 * CAST(n AS BIGINT) + d) // (2 * CAST(d AS BIGINT))
         ELSE -((-2 * CAST(n AS BIGINT) + d) // (2 * CAST(d AS BIGINT))) END;

CREATE MACRO line_amount(volume_wh, price_e4) AS round_div(CAST(volume_wh AS BIGINT) * price_e4, 100000);

CREATE MACRO vat_part(amount_kop, rate_e2) AS round_div(CAST(amount_kop AS BIGINT) * rate_e2, 10000 + rate_e2);
