-- The turnover of each account over the periods [p_from, p_to] for one service ('' = all services):
-- the one definition of the turnover-balance sheet's (ОСВ) columns. Used by the ОСВ reports in
-- sql/reports/ and callable from ad-hoc SQL: SELECT * FROM turnover(202601, 202610, '').
--   opening  postings of earlier periods, plus balances brought from the old system (kind 'opening')
--   accrued, recalc, penalty, paid (payments, positive), other (refunds, transfers, write-offs)
--   closing  everything posted up to p_to
CREATE MACRO turnover(p_from, p_to, p_service) AS TABLE
    SELECT
        account_id,
        coalesce(sum(amount_kop) FILTER (WHERE period < p_from OR kind = 'opening'), 0) AS opening_kop,
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
