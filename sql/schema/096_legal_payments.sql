-- Legal-entity payment schedule, payments and penalties (docs/legal.md «График платежей и пени
-- юридических лиц»): no new tables — payments are legal_posting rows of kind 'payment', penalty day
-- ranges are legal_penalty_detail (migration 094). The words of the instalment codes
-- (legal_penalty_detail.instalment, `sbyt contract schedule`) and of the debt kinds of
-- `sbyt contract balance`.
INSERT INTO code_label VALUES
    ('instalment', 'p82_10', 'первый промежуточный платёж'),
    ('instalment', 'p82_25', 'второй промежуточный платёж'),
    ('instalment', 'retailer_1', 'промежуточный платёж'),
    ('instalment', 'final', 'окончательный расчёт'),
    ('instalment', 'p81', 'оплата за месяц'),
    ('instalment', 'opening', 'входящее сальдо'),
    ('instalment', 'recalc', 'перерасчёт'),
    ('instalment', 'refund', 'возврат'),
    ('instalment', 'transfer', 'перенос'),
    ('legal_debt', 'energy', 'электроэнергия'),
    ('legal_debt', 'penalty', 'пени'),
    ('legal_debt', 'advance', 'аванс (не распределено)');
INSERT INTO code_column VALUES
    ('legal_penalty_detail', 'instalment', 'instalment');
