-- Legal-entity documents (docs/legal_docs.md): invoices for payment, VAT invoices (shipment, advance,
-- corrective, correction), acceptance and recalculation acts, УПД; the VAT books; the delivery log.
--
-- A document is immutable once issued: nothing updates or deletes a legal_doc or legal_doc_line row.
-- A change is a new document: a corrective VAT invoice (kind 'ksf', a value change after a
-- recalculation) or a correction (the same kind, number and date as the original with
-- correction_no 1, 2, … and its own correction_date: an error in the original).
--
-- Numbering: each series (legal_doc.series) counts 1, 2, … within a calendar year without gaps;
-- `sbyt.core.legal_docs.SERIES` maps the kinds to their series (every VAT invoice, a УПД of status
-- 1 included, shares the series 'sf'; a УПД of status 2 shares the acts' series).

CREATE TABLE legal_doc_run (
    id           BIGINT PRIMARY KEY,
    period       INTEGER NOT NULL,          -- the month the run issued documents for
    kinds        VARCHAR NOT NULL,          -- the kinds asked for, comma-separated
    issued       INTEGER NOT NULL,          -- documents issued by the run
    created_by   VARCHAR NOT NULL DEFAULT 'system',
    created_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE legal_doc (
    id               BIGINT PRIMARY KEY,
    kind             VARCHAR NOT NULL,      -- bill_advance | bill_actual | bill_remainder | bill_penalty | sf |
                                            -- sf_advance | ksf | act | act_recalc | upd
    series           VARCHAR NOT NULL,      -- bill | sf | act
    year             SMALLINT NOT NULL,     -- the year of doc_date: the numbering restarts each year
    seq              INTEGER NOT NULL,      -- 1, 2, … within (series, year)
    doc_no           VARCHAR NOT NULL,      -- the number as printed
    doc_date         DATE NOT NULL,
    correction_no    SMALLINT NOT NULL DEFAULT 0,   -- 0: the original; 1, 2, …: its corrections (line 1а)
    correction_date  DATE,
    period           INTEGER NOT NULL,      -- the month the document was issued in (its run's period)
    for_period       INTEGER NOT NULL,      -- the month it concerns (shipment, advance, recalculated month)
    contract_id      BIGINT NOT NULL,
    counterparty_id  BIGINT NOT NULL,
    base_doc_id      BIGINT,                -- ksf / correction: the document it changes; act_recalc: the act
    instalment       VARCHAR,               -- bill_advance: the schedule's instalment (p82_10, p82_25, …)
    upd_status       TINYINT,               -- upd: 1 (VAT invoice + transfer document) | 2 (transfer document)
    form             VARCHAR,               -- VAT invoices: the form edition (`docs.sf_form` on the shipment date)
    due_date         DATE,                  -- invoices for payment: pay by
    amount_kop       BIGINT NOT NULL,       -- without VAT (ksf: after − before, signed)
    vat_kop          BIGINT NOT NULL,
    total_kop        BIGINT NOT NULL,       -- with VAT
    vat_rate         VARCHAR,               -- '22%', '20%', '22/122', '20/120', 'без НДС'
    basis            VARCHAR,               -- bills: how the amount was found (Russian text); ksf: the reason
    seller           VARCHAR NOT NULL,      -- JSON: the supplier's requisites on doc_date (table supplier)
    buyer            VARCHAR NOT NULL,      -- JSON: the buyer's name, ИНН, КПП, address, bank on doc_date
    email            VARCHAR,               -- where `sbyt docs send` mails it (the contract's e-mail)
    run_id           BIGINT,
    created_by       VARCHAR NOT NULL DEFAULT 'system',
    created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (series, year, seq, correction_no)
);

-- The document's lines (columns of the VAT invoice form). A ksf line carries the values before
-- (the base document's line, latest correction included) and after; amount/vat/total are after − before.
CREATE TABLE legal_doc_line (
    doc_id           BIGINT NOT NULL,
    line_no          SMALLINT NOT NULL,
    name             VARCHAR NOT NULL,      -- «Электрическая энергия (ЦК 3, СН-2)», «Мощность», …
    component        VARCHAR,               -- legal_charge.component the line sums (NULL for bills)
    zone             TINYINT NOT NULL DEFAULT 0,
    okei             VARCHAR,               -- 245 kWh, 214 kW, 215 MW (bills: NULL)
    unit             VARCHAR,
    quantity         DECIMAL(24, 6),
    price            DECIMAL(18, 6),        -- without VAT per unit
    amount_kop       BIGINT NOT NULL,
    vat_rate         VARCHAR,
    vat_kop          BIGINT NOT NULL,
    total_kop        BIGINT NOT NULL,
    quantity_before  DECIMAL(24, 6),
    price_before     DECIMAL(18, 6),
    amount_before_kop BIGINT,
    vat_before_kop   BIGINT,
    total_before_kop BIGINT,
    PRIMARY KEY (doc_id, line_no)
);

-- What a document refers to: the payment documents of an advance VAT invoice (line 5), the advance
-- VAT invoices a shipment offsets (line 5б, column 11а / 7а of the books), the charges a line sums.
CREATE TABLE legal_doc_ref (
    doc_id       BIGINT NOT NULL,
    ref_kind     VARCHAR NOT NULL,          -- payment | advance_offset | shipment (the act of a VAT invoice: line 5а)
    ref_id       BIGINT,                    -- legal_posting id | legal_doc id | legal_charge id
    ref_no       VARCHAR,
    ref_date     DATE,
    amount_kop   BIGINT NOT NULL            -- with VAT
);

-- The sales and purchase books: one row per registration (a corrective invoice with increases and
-- decreases registers twice). An entry is never changed; an annulment is a new row with
-- annul = true in the additional sheet of the original's quarter.
CREATE TABLE vat_book (
    id               BIGINT PRIMARY KEY,
    book             VARCHAR NOT NULL CHECK (book IN ('sales', 'purchase')),
    quarter          INTEGER NOT NULL,      -- YYYYQ: 20262 = II quarter 2026
    entry_date       DATE NOT NULL,
    op_code          VARCHAR NOT NULL,      -- 01, 02, 18, 22, 26, …
    doc_id           BIGINT,                -- NULL: a summary entry (code 26, households)
    counterparty_id  BIGINT,
    extra_sheet      BOOLEAN NOT NULL DEFAULT false,
    annul            BOOLEAN NOT NULL DEFAULT false,
    for_quarter      INTEGER,               -- extra sheet: the quarter it corrects
    total_kop        BIGINT NOT NULL,       -- with VAT
    base_kop         BIGINT NOT NULL,       -- without VAT
    vat_kop          BIGINT NOT NULL,
    vat_rate         VARCHAR NOT NULL,
    payment_docs     VARCHAR,               -- column 11 (sales) / 7 (purchase): the payment documents
    offset_docs      VARCHAR,               -- column 11а (sales) / 7а (purchase): from 1 April 2026
    note             VARCHAR,
    created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Delivery of documents by e-mail and ЭДО export: a rerun sends only what has no 'sent' row.
CREATE TABLE legal_doc_delivery (
    doc_id       BIGINT NOT NULL,
    channel      VARCHAR NOT NULL,          -- email | edo
    address      VARCHAR,
    status       VARCHAR NOT NULL,          -- sent | failed (no address: failed with the reason)
    error        VARCHAR,
    file_name    VARCHAR,
    sent_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

INSERT INTO code_label VALUES
    ('doc_kind', 'bill_advance', 'Счёт на оплату (промежуточный платёж)'),
    ('doc_kind', 'bill_actual', 'Счёт на оплату (фактическое потребление)'),
    ('doc_kind', 'bill_remainder', 'Счёт на оплату (окончательный расчёт)'),
    ('doc_kind', 'bill_penalty', 'Счёт на оплату пени'),
    ('doc_kind', 'sf', 'Счёт-фактура'),
    ('doc_kind', 'sf_advance', 'Счёт-фактура на аванс'),
    ('doc_kind', 'ksf', 'Корректировочный счёт-фактура'),
    ('doc_kind', 'act', 'Акт приёма-передачи электрической энергии (мощности)'),
    ('doc_kind', 'act_recalc', 'Акт перерасчёта'),
    ('doc_kind', 'upd', 'Универсальный передаточный документ'),
    ('vat_book', 'sales', 'Книга продаж'),
    ('vat_book', 'purchase', 'Книга покупок');
INSERT INTO code_column VALUES
    ('legal_doc', 'kind', 'doc_kind'),
    ('vat_book', 'book', 'vat_book'),
    ('legal_doc_delivery', 'status', 'delivery_status');

-- Operation codes of the VAT books (коды видов операций), a dated reference table (ФНС order
-- ММВ-7-3/136@ as amended, wording in force from 01.07.2016): the codes a supplier uses.
CREATE TABLE vat_op_code (
    code        VARCHAR NOT NULL,
    valid_from  DATE NOT NULL,
    valid_to    DATE,
    text        VARCHAR NOT NULL
);
INSERT INTO vat_op_code VALUES
    ('01', DATE '2016-07-01', NULL, 'Отгрузка (передача) товаров (работ, услуг); составление единого корректировочного счёта-фактуры'),
    ('02', DATE '2016-07-01', NULL, 'Получение (перечисление) оплаты, частичной оплаты в счёт предстоящих поставок'),
    ('06', DATE '2016-07-01', NULL, 'Операции налогового агента (ст. 161 НК РФ)'),
    ('18', DATE '2016-07-01', NULL, 'Корректировочный счёт-фактура в связи с изменением стоимости в сторону уменьшения'),
    ('21', DATE '2016-07-01', NULL, 'Восстановление суммы НДС (п. 8 ст. 145, п. 3 ст. 170, ст. 171.1 НК РФ)'),
    ('22', DATE '2016-07-01', NULL, 'Возврат авансовых платежей; операции, перечисленные в п. 6 ст. 172 НК РФ (вычет НДС с аванса при отгрузке)'),
    ('26', DATE '2016-07-01', NULL, 'Сводные документы по реализации лицам, не являющимся плательщиками НДС, в том числе авансы от них');

INSERT INTO permission VALUES
    ('docs.issue', 'документы юридических лиц: выписка, исправление, рассылка и выгрузка в ЭДО');
INSERT INTO role_permission
SELECT 'admin', 'docs.issue'
UNION ALL SELECT 'head', 'docs.issue'
UNION ALL SELECT 'accountant', 'docs.issue';
