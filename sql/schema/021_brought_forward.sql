-- The one definition of "brought forward" (the opening balance of a month or of a range of months
-- starting at p_from): a posting counts in it when it was posted in an earlier period, or when it is
-- a balance brought from the old system (kind 'opening', loaded by `sbyt load` into the first open
-- month). The ЕПД (section 3: «Задолженность на начало периода»), `sbyt balance` and the ОСВ
-- (the table macro turnover) all sum their opening column with it; everything else of the period
-- is its turnover.
CREATE MACRO brought_forward(p_period, p_kind, p_from) AS p_period < p_from OR p_kind = 'opening';

CREATE OR REPLACE MACRO turnover(p_from, p_to, p_service) AS TABLE
    SELECT
        account_id,
        coalesce(sum(amount_kop) FILTER (WHERE brought_forward(period, kind, p_from)), 0) AS opening_kop,
        coalesce(sum(amount_kop) FILTER (WHERE period >= p_from AND kind = 'accrual'), 0) AS accrued_kop,
        coalesce(sum(amount_kop) FILTER (WHERE period >= p_from AND kind = 'recalc'), 0) AS recalc_kop,
        coalesce(sum(amount_kop) FILTER (WHERE period >= p_from AND kind = 'penalty'), 0) AS penalty_kop,
        coalesce(-sum(amount_kop) FILTER (WHERE period >= p_from AND kind = 'payment'), 0) AS paid_kop,
        coalesce(sum(amount_kop) FILTER (WHERE period >= p_from
                                           AND kind IN ('refund', 'transfer', 'writeoff')), 0) AS other_kop,
        sum(amount_kop) AS closing_kop
    FROM posting
    WHERE period <= p_to
      AND (p_service = '' OR service = p_service)
    GROUP BY account_id;
