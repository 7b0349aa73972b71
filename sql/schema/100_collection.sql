-- Debt collection, «претензионно-исковая работа» (ПИР; docs/collection.md): schemes of stages as
-- data, cases per debtor with the debt months they cover, tasks for executors, dated events,
-- documents with approval, executive documents and bailiffs' answers, repayment schedules,
-- bankruptcy, write-offs of bad debt (ledger postings of kind 'writeoff').
--
-- A case is one debtor's collection: a household account (debtor_kind 'household') or a
-- legal-entity contract ('legal'). Its stage moves along its scheme; each move is an event, each
-- event and document is audited. Nothing here edits the ledger except an approved write-off.

-- Schemes: one per consumer kind; a stage lists the stages it may go to (branches included).
CREATE TABLE debt_scheme (
    code           VARCHAR PRIMARY KEY,
    debtor_kind    VARCHAR NOT NULL CHECK (debtor_kind IN ('household', 'legal')),
    name           VARCHAR NOT NULL,
    first_stage    VARCHAR NOT NULL
);

CREATE TABLE debt_stage (
    scheme         VARCHAR NOT NULL,
    code           VARCHAR NOT NULL,
    seq            SMALLINT NOT NULL,         -- display order
    name           VARCHAR NOT NULL,
    deadline_days  SMALLINT,                  -- the stage's task is due this many days after it starts
    deadline_rule  VARCHAR,                   -- or: a dated rule giving the days (e.g. debt.notice_days.household)
    document       VARCHAR,                   -- the document the stage prepares (debt_doc.kind), if any
    executor_role  VARCHAR NOT NULL,          -- the role that executes it (role.code)
    task           VARCHAR NOT NULL,          -- the task's text for the executor
    next_stages    VARCHAR[] NOT NULL,        -- where the case may go from here
    final          BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (scheme, code)
);

INSERT INTO debt_scheme VALUES
    ('household', 'household', 'Граждане-потребители (ПП 354, раздел XI)', 'notice'),
    ('legal', 'legal', 'Юридические лица (ПП 442, АПК)', 'claim');

INSERT INTO debt_stage VALUES
    ('household', 'notice', 1, 'Уведомление о приостановлении', NULL, 'debt.notice_days.household', 'notice',
     'operator', 'Направить уведомление о предстоящем ограничении и получить подтверждение вручения',
     ['restriction', 'court', 'restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('household', 'restriction', 2, 'Ограничение режима потребления (ОРП)', 10, NULL, 'restriction_order',
     'controller', 'Ввести ограничение (приостановление) по заявке и отметить исполнение',
     ['court', 'restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('household', 'court', 3, 'Судебное взыскание', 30, NULL, 'court_order_application',
     'lawyer', 'Подать заявление о выдаче судебного приказа (исковое заявление) и получить судебный акт',
     ['writ', 'restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('household', 'writ', 4, 'Исполнительный документ', 30, NULL, NULL,
     'lawyer', 'Получить исполнительный документ и направить его в ФССП',
     ['enforcement', 'restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('household', 'enforcement', 5, 'Исполнительное производство', 60, NULL, NULL,
     'lawyer', 'Контролировать исполнительное производство и поступление взысканных сумм',
     ['restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('household', 'restructuring', 6, 'Реструктуризация (график погашения)', 30, NULL, 'schedule',
     'operator', 'Контролировать исполнение графика погашения',
     ['notice', 'restriction', 'court', 'writ', 'enforcement', 'closed'], false),
    ('household', 'bankruptcy', 7, 'Банкротство', 30, NULL, 'bankruptcy_claim',
     'lawyer', 'Включить требование в реестр требований кредиторов',
     ['writeoff', 'closed'], false),
    ('household', 'writeoff', 8, 'Списание безнадёжного долга', 10, NULL, 'writeoff_act',
     'head', 'Утвердить списание безнадёжной задолженности',
     ['closed'], false),
    ('household', 'closed', 9, 'Дело закрыто', NULL, NULL, NULL, 'operator', 'Дело закрыто', [], true),
    ('legal', 'claim', 1, 'Претензия', NULL, 'debt.claim_days', 'claim',
     'lawyer', 'Направить претензию и дождаться срока ответа',
     ['restriction_notice', 'court', 'restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('legal', 'restriction_notice', 2, 'Уведомление об ограничении', NULL, 'debt.notice_days.legal', 'restriction_notice',
     'lawyer', 'Направить уведомление о введении ограничения режима потребления',
     ['restriction', 'court', 'restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('legal', 'restriction', 3, 'Ограничение режима потребления (ОРП)', 10, NULL, 'restriction_order',
     'controller', 'Ввести ограничение через сетевую организацию и отметить исполнение',
     ['court', 'restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('legal', 'court', 4, 'Арбитражный суд', 30, NULL, 'court_order_application',
     'lawyer', 'Подать заявление о выдаче судебного приказа (иск) в арбитражный суд',
     ['writ', 'restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('legal', 'writ', 5, 'Исполнительный документ', 30, NULL, NULL,
     'lawyer', 'Получить исполнительный документ и направить его в ФССП или банк должника',
     ['enforcement', 'restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('legal', 'enforcement', 6, 'Исполнительное производство', 60, NULL, NULL,
     'lawyer', 'Контролировать исполнительное производство и поступление взысканных сумм',
     ['restructuring', 'bankruptcy', 'writeoff', 'closed'], false),
    ('legal', 'restructuring', 7, 'Реструктуризация (график погашения)', 30, NULL, 'schedule',
     'lawyer', 'Контролировать исполнение графика погашения',
     ['claim', 'restriction_notice', 'restriction', 'court', 'writ', 'enforcement', 'closed'], false),
    ('legal', 'bankruptcy', 8, 'Банкротство', 30, NULL, 'bankruptcy_claim',
     'lawyer', 'Включить требование в реестр требований кредиторов',
     ['writeoff', 'closed'], false),
    ('legal', 'writeoff', 9, 'Списание безнадёжного долга', 10, NULL, 'writeoff_act',
     'head', 'Утвердить списание безнадёжной задолженности',
     ['closed'], false),
    ('legal', 'closed', 10, 'Дело закрыто', NULL, NULL, NULL, 'lawyer', 'Дело закрыто', [], true);

-- Who executes a territory's (or a grid company's) cases: the executor a new case gets; the most
-- specific scope wins (building, street, settlement, district, grid company, then 'all').
CREATE TABLE debt_assignment (
    scope          VARCHAR NOT NULL CHECK (scope IN ('all', 'district', 'settlement', 'street', 'building',
                                                     'grid_company')),
    scope_key      VARCHAR NOT NULL,          -- the id (territory) or the grid company's name; '' for 'all'
    debtor_kind    VARCHAR NOT NULL CHECK (debtor_kind IN ('household', 'legal')),
    login          VARCHAR NOT NULL,
    PRIMARY KEY (scope, scope_key, debtor_kind)
);

-- The grid company serving a building (the restriction executor), and the technical possibility of
-- restricting a metering point (a meter inside the flat cannot be restricted from outside).
CREATE TABLE building_grid (
    building_id    BIGINT PRIMARY KEY,
    grid_company   VARCHAR NOT NULL
);
CREATE TABLE restriction_impossible (
    metering_point_id BIGINT PRIMARY KEY,
    reason         VARCHAR NOT NULL,          -- e.g. «прибор учёта в квартире, ввод общий»
    since          DATE NOT NULL
);

-- Saved debtor selections (the filter as JSON) and the rule of automatic start after a close.
CREATE TABLE debt_selection (
    name           VARCHAR PRIMARY KEY,
    debtor_kind    VARCHAR NOT NULL CHECK (debtor_kind IN ('household', 'legal')),
    filter         VARCHAR NOT NULL,          -- JSON of sbyt.core.debtors.DebtorFilter / LegalDebtorFilter
    auto_start     BOOLEAN NOT NULL DEFAULT false,   -- start cases by it after each period close
    created_by     VARCHAR NOT NULL DEFAULT 'system',
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE debt_case (
    id              BIGINT PRIMARY KEY,
    number          VARCHAR NOT NULL UNIQUE,   -- ПИР-2026-000001
    debtor_kind     VARCHAR NOT NULL CHECK (debtor_kind IN ('household', 'legal')),
    account_id      BIGINT,                    -- household
    contract_id     BIGINT,                    -- legal entity
    counterparty_id BIGINT,
    scheme          VARCHAR NOT NULL,
    stage           VARCHAR NOT NULL,
    stage_since     DATE NOT NULL,
    executor        VARCHAR,                   -- login
    status          VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    close_reason    VARCHAR,                   -- paid | written_off | cancelled | bankruptcy
    opened          DATE NOT NULL,
    closed          DATE,
    as_of           DATE NOT NULL,             -- the debt was taken on this day
    principal_kop   BIGINT NOT NULL,           -- at the start
    penalty_kop     BIGINT NOT NULL,
    selection       VARCHAR,                   -- the saved selection that started it (or 'auto')
    created_by      VARCHAR NOT NULL DEFAULT 'system',
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE SEQUENCE debt_case_seq START 1;

-- The debt months a case covers, as of its start: principal, penalty, due date, limitation end.
CREATE TABLE debt_case_period (
    case_id         BIGINT NOT NULL,
    for_period      INTEGER NOT NULL,
    debt_kop        BIGINT NOT NULL,
    penalty_kop     BIGINT NOT NULL,
    due             DATE NOT NULL,
    limitation_end  DATE NOT NULL,             -- the last day of the 3-year term (before suspensions)
    PRIMARY KEY (case_id, for_period)
);

CREATE TABLE debt_task (
    id              BIGINT PRIMARY KEY,
    case_id         BIGINT NOT NULL,
    stage           VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    assignee        VARCHAR,                   -- login (NULL: the stage's role, anyone of it)
    role            VARCHAR NOT NULL,
    due             DATE,
    status          VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'forwarded', 'cancelled')),
    forwarded_by    VARCHAR,                   -- who passed it on (the «Задачи перенаправленные» tab)
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    done_at         TIMESTAMP,
    done_by         VARCHAR
);
CREATE SEQUENCE debt_task_seq START 1;

CREATE TABLE debt_event (
    id              BIGINT PRIMARY KEY,
    case_id         BIGINT NOT NULL,
    kind            VARCHAR NOT NULL,          -- code_label domain debt_event
    event_date      DATE NOT NULL,
    stage           VARCHAR NOT NULL,          -- the case's stage after the event
    amount_kop      BIGINT,
    doc_id          BIGINT,
    channel         VARCHAR,                   -- notice delivery: epd, hand, mail, sms, email, gis, portal, phone
    note            VARCHAR,
    created_by      VARCHAR NOT NULL DEFAULT 'system',
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE SEQUENCE debt_event_seq START 1;

-- Documents of a case (printed forms): numbered per kind and year, amounts fixed at preparation,
-- approved before they are sent (the «Документы к согласованию» tab).
CREATE TABLE debt_doc (
    id              BIGINT PRIMARY KEY,
    case_id         BIGINT NOT NULL,
    kind            VARCHAR NOT NULL,          -- code_label domain debt_doc
    year            SMALLINT NOT NULL,
    seq             INTEGER NOT NULL,
    doc_no          VARCHAR NOT NULL,
    doc_date        DATE NOT NULL,
    as_of           DATE NOT NULL,             -- debt and penalties counted to this day
    principal_kop   BIGINT NOT NULL,
    penalty_kop     BIGINT NOT NULL,
    duty_kop        BIGINT NOT NULL DEFAULT 0, -- the state duty (court documents)
    court           VARCHAR,                   -- general | arbitration (court documents)
    route           VARCHAR,                   -- order | lawsuit
    deadline        DATE,                      -- pay by / restrict on
    status          VARCHAR NOT NULL DEFAULT 'approval' CHECK (status IN ('approval', 'approved', 'rejected')),
    approved_by     VARCHAR,
    approved_at     TIMESTAMP,
    details         VARCHAR NOT NULL,          -- JSON: the debt months and penalty lines as printed
    created_by      VARCHAR NOT NULL DEFAULT 'system',
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (kind, year, seq)
);
CREATE SEQUENCE debt_doc_seq START 1;

-- Executive documents (a court order is one; a writ after a lawsuit) and the bailiffs' answers.
CREATE TABLE debt_writ (
    id              BIGINT PRIMARY KEY,
    case_id         BIGINT NOT NULL,
    doc_kind        VARCHAR NOT NULL CHECK (doc_kind IN ('court_order', 'writ')),
    doc_no          VARCHAR NOT NULL,          -- the executive document's number (серия, номер)
    court           VARCHAR NOT NULL,          -- the court's name
    court_case_no   VARCHAR NOT NULL,
    act_date        DATE NOT NULL,
    in_force        DATE,
    amount_kop      BIGINT NOT NULL,           -- awarded: principal + penalties
    duty_kop        BIGINT NOT NULL DEFAULT 0,
    sent_fssp       DATE,
    fssp_department VARCHAR,
    proceedings_no  VARCHAR,                   -- 23545/20/69025-ИП
    fssp_status     VARCHAR,                   -- code_label domain fssp_status
    fssp_status_date DATE,
    recovered_kop   BIGINT NOT NULL DEFAULT 0,
    UNIQUE (doc_no)
);
CREATE SEQUENCE debt_writ_seq START 1;

-- Imported bailiffs' answers (one file once: by its SHA-256).
CREATE TABLE fssp_answer_batch (
    id              BIGINT PRIMARY KEY,
    file_name       VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL UNIQUE,
    rows            INTEGER NOT NULL,
    created_by      VARCHAR NOT NULL DEFAULT 'system',
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Repayment schedules (реструктуризация): a document with its lines; compliance checked monthly.
CREATE TABLE debt_schedule (
    id              BIGINT PRIMARY KEY,
    case_id         BIGINT NOT NULL,
    number          VARCHAR NOT NULL UNIQUE,
    concluded       DATE NOT NULL,
    total_kop       BIGINT NOT NULL,
    penalty_mode    VARCHAR NOT NULL DEFAULT 'accrue' CHECK (penalty_mode IN ('accrue', 'frozen')),
    status          VARCHAR NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'broken', 'completed')),
    status_date     DATE,
    created_by      VARCHAR NOT NULL DEFAULT 'system',
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE debt_schedule_line (
    schedule_id     BIGINT NOT NULL,
    line_no         SMALLINT NOT NULL,
    due             DATE NOT NULL,
    amount_kop      BIGINT NOT NULL,
    PRIMARY KEY (schedule_id, line_no)
);
CREATE SEQUENCE debt_schedule_seq START 1;

-- Bankruptcy of a debtor: the procedure and its dates; the cut-off splits register and current debt.
CREATE TABLE debt_bankruptcy (
    case_id           BIGINT PRIMARY KEY,
    procedure         VARCHAR NOT NULL CHECK (procedure IN ('observation', 'liquidation', 'realisation',
                                                            'restructuring_debts', 'completed')),
    court_case_no     VARCHAR,
    petition_accepted DATE NOT NULL,          -- the register/current cut-off
    procedure_date    DATE NOT NULL,          -- the procedure's start: penalties on register debt stop
    claim_deadline    DATE,
    claim_filed       DATE,
    claim_kop         BIGINT,
    ruling            VARCHAR,
    updated_by        VARCHAR NOT NULL DEFAULT 'system',
    updated_at        TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Write-off of bad debt: a document per case with its ground and evidence, approved by a head;
-- approval posts 'writeoff' lines to the ledger of the open month (one per debt month), a reversal
-- posts them back.
CREATE TABLE debt_writeoff (
    id              BIGINT PRIMARY KEY,
    case_id         BIGINT NOT NULL,
    ground          VARCHAR NOT NULL,          -- limitation | liquidation | impossibility | bankruptcy
    evidence        VARCHAR NOT NULL,
    amount_kop      BIGINT NOT NULL,
    status          VARCHAR NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'reversed')),
    period          INTEGER,                   -- posted in
    created_by      VARCHAR NOT NULL DEFAULT 'system',
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    approved_by     VARCHAR,
    approved_at     TIMESTAMP
);
CREATE SEQUENCE debt_writeoff_seq START 1;

INSERT INTO permission VALUES
    ('debt.work', 'претензионно-исковая работа: отбор должников, дела, задачи, события, документы'),
    ('debt.restrict', 'отметка ограничения и возобновления подачи по делам ПИР'),
    ('debt.approve', 'согласование документов ПИР и списание безнадёжной задолженности');
INSERT INTO role_permission
SELECT 'admin', unnest(['debt.work', 'debt.restrict', 'debt.approve'])
UNION ALL SELECT 'head', unnest(['debt.work', 'debt.restrict', 'debt.approve'])
UNION ALL SELECT 'lawyer', unnest(['debt.work', 'debt.restrict'])
UNION ALL SELECT 'operator', unnest(['debt.work'])
UNION ALL SELECT 'controller', unnest(['debt.restrict']);

INSERT INTO code_label VALUES
    ('debt_stage', 'notice', 'уведомление'),
    ('debt_stage', 'claim', 'претензия'),
    ('debt_stage', 'restriction_notice', 'уведомление об ограничении'),
    ('debt_stage', 'restriction', 'ограничение (ОРП)'),
    ('debt_stage', 'court', 'суд'),
    ('debt_stage', 'writ', 'исполнительный документ'),
    ('debt_stage', 'enforcement', 'исполнительное производство'),
    ('debt_stage', 'restructuring', 'реструктуризация'),
    ('debt_stage', 'bankruptcy', 'банкротство'),
    ('debt_stage', 'writeoff', 'списание'),
    ('debt_stage', 'closed', 'закрыто'),
    ('debt_event', 'started', 'начата ПИР'),
    ('debt_event', 'stage', 'переход на этап'),
    ('debt_event', 'notice_sent', 'уведомление направлено'),
    ('debt_event', 'notice_delivered', 'уведомление вручено'),
    ('debt_event', 'claim_sent', 'претензия направлена'),
    ('debt_event', 'claim_answered', 'ответ на претензию (признание долга)'),
    ('debt_event', 'restriction_ordered', 'заявка на ограничение направлена'),
    ('debt_event', 'restricted', 'ограничение введено'),
    ('debt_event', 'disconnected', 'подача приостановлена'),
    ('debt_event', 'restriction_impossible', 'ограничение технически невозможно'),
    ('debt_event', 'reconnected', 'подача возобновлена'),
    ('debt_event', 'filed', 'заявление подано в суд'),
    ('debt_event', 'order_issued', 'судебный приказ вынесен'),
    ('debt_event', 'order_cancelled', 'судебный приказ отменён'),
    ('debt_event', 'judgment', 'решение суда'),
    ('debt_event', 'writ_received', 'исполнительный документ получен'),
    ('debt_event', 'sent_fssp', 'направлено в ФССП'),
    ('debt_event', 'proceedings', 'возбуждено исполнительное производство'),
    ('debt_event', 'fssp_ended', 'исполнительное производство окончено'),
    ('debt_event', 'recovered', 'взыскано'),
    ('debt_event', 'paid', 'долг погашен'),
    ('debt_event', 'schedule_concluded', 'заключён график погашения'),
    ('debt_event', 'schedule_broken', 'график погашения нарушен'),
    ('debt_event', 'schedule_completed', 'график погашения исполнен'),
    ('debt_event', 'bankruptcy', 'процедура банкротства'),
    ('debt_event', 'bankruptcy_claim', 'требование в реестр кредиторов'),
    ('debt_event', 'acknowledged', 'признание долга (акт сверки)'),
    ('debt_event', 'writeoff_approved', 'долг списан'),
    ('debt_event', 'writeoff_reversed', 'списание сторнировано'),
    ('debt_event', 'executor', 'смена исполнителя'),
    ('debt_event', 'closed', 'дело закрыто'),
    ('debt_doc', 'notice', 'Уведомление о предстоящем приостановлении (ограничении)'),
    ('debt_doc', 'claim', 'Претензия'),
    ('debt_doc', 'restriction_notice', 'Уведомление о введении ограничения режима потребления'),
    ('debt_doc', 'restriction_order', 'Заявка на ограничение режима потребления'),
    ('debt_doc', 'reconnection_order', 'Заявка на возобновление подачи'),
    ('debt_doc', 'court_order_application', 'Заявление о выдаче судебного приказа'),
    ('debt_doc', 'lawsuit', 'Исковое заявление'),
    ('debt_doc', 'schedule', 'Соглашение о погашении задолженности (график)'),
    ('debt_doc', 'bankruptcy_claim', 'Требование о включении в реестр требований кредиторов'),
    ('debt_doc', 'writeoff_act', 'Акт списания безнадёжной задолженности'),
    ('debt_doc_status', 'approval', 'на согласовании'),
    ('debt_doc_status', 'approved', 'согласован'),
    ('debt_doc_status', 'rejected', 'отклонён'),
    ('debt_task_status', 'open', 'к исполнению'),
    ('debt_task_status', 'done', 'выполнена'),
    ('debt_task_status', 'forwarded', 'перенаправлена'),
    ('debt_task_status', 'cancelled', 'отменена'),
    ('debt_schedule_status', 'active', 'действует'),
    ('debt_schedule_status', 'broken', 'нарушен'),
    ('debt_schedule_status', 'completed', 'исполнен'),
    ('bankruptcy_procedure', 'observation', 'наблюдение'),
    ('bankruptcy_procedure', 'liquidation', 'конкурсное производство'),
    ('bankruptcy_procedure', 'realisation', 'реализация имущества гражданина'),
    ('bankruptcy_procedure', 'restructuring_debts', 'реструктуризация долгов гражданина'),
    ('bankruptcy_procedure', 'completed', 'процедура завершена'),
    ('writeoff_ground', 'limitation', 'истёк срок исковой давности'),
    ('writeoff_ground', 'liquidation', 'ликвидация должника (запись ЕГРЮЛ)'),
    ('writeoff_ground', 'impossibility', 'невозможность взыскания (постановление ФССП)'),
    ('writeoff_ground', 'bankruptcy', 'завершение процедуры банкротства'),
    ('writeoff_status', 'draft', 'проект'),
    ('writeoff_status', 'approved', 'утверждено'),
    ('writeoff_status', 'reversed', 'сторнировано'),
    ('fssp_status', 'sent', 'направлено'),
    ('fssp_status', 'opened', 'возбуждено'),
    ('fssp_status', 'refused', 'отказ в возбуждении'),
    ('fssp_status', 'ended_paid', 'окончено фактическим исполнением'),
    ('fssp_status', 'ended_impossible', 'окончено, взыскание невозможно'),
    ('fssp_status', 'returned', 'документ возвращён взыскателю'),
    ('debt_case_status', 'open', 'в работе'),
    ('debt_case_status', 'closed', 'закрыто');

INSERT INTO code_column VALUES
    ('debt_case', 'stage', 'debt_stage'),
    ('debt_case', 'status', 'debt_case_status'),
    ('debt_event', 'kind', 'debt_event'),
    ('debt_event', 'stage', 'debt_stage'),
    ('debt_doc', 'kind', 'debt_doc'),
    ('debt_doc', 'status', 'debt_doc_status'),
    ('debt_task', 'stage', 'debt_stage'),
    ('debt_task', 'status', 'debt_task_status'),
    ('debt_schedule', 'status', 'debt_schedule_status'),
    ('debt_bankruptcy', 'procedure', 'bankruptcy_procedure'),
    ('debt_writeoff', 'ground', 'writeoff_ground'),
    ('debt_writeoff', 'status', 'writeoff_status'),
    ('debt_writ', 'fssp_status', 'fssp_status');
