-- Users, roles and permissions as data; the access log (refusals, views of personal data);
-- the audit trail gains the command and the job that made each change.
--
-- A role is a set of permissions (role_permission). A user has one role; a disabled user can do
-- nothing. Tokens authenticate HTTP clients; only their SHA-256 is stored.

CREATE TABLE role (
    code       VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL                 -- the operator's word
);

CREATE TABLE permission (
    code       VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL
);

CREATE TABLE role_permission (
    role       VARCHAR NOT NULL,
    permission VARCHAR NOT NULL,
    PRIMARY KEY (role, permission)
);

CREATE TABLE app_user (
    login      VARCHAR PRIMARY KEY,             -- the OS login (peer credentials on the socket)
    full_name  VARCHAR,
    role       VARCHAR NOT NULL,
    disabled   BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by VARCHAR
);

CREATE TABLE user_token (
    sha256     VARCHAR PRIMARY KEY,
    login      VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    revoked    BOOLEAN NOT NULL DEFAULT false
);

-- Security events: refusals and reads of personal data (who, what, whose, when). Append-only.
CREATE TABLE access_log (
    id         BIGINT NOT NULL,
    logged_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    login      VARCHAR NOT NULL,
    event      VARCHAR NOT NULL CHECK (event IN ('refused', 'pd_view', 'export')),
    permission VARCHAR,
    command    VARCHAR,
    subject    VARCHAR,                         -- whose data (account number) or what was refused
    peer       VARCHAR                          -- socket peer or HTTP client address
);
CREATE SEQUENCE access_log_seq START 1;

ALTER TABLE audit_log ADD COLUMN command VARCHAR;
ALTER TABLE audit_log ADD COLUMN job_id BIGINT;

INSERT INTO permission VALUES
    ('read',            'просмотр данных и отчётов'),
    ('pd.read',         'просмотр персональных данных без маскирования'),
    ('readings.enter',  'ввод и загрузка показаний'),
    ('payments.enter',  'ввод, загрузка и разнесение платежей, возвраты и переносы'),
    ('calc.run',        'расчёт месяца и перерасчёты'),
    ('period.close',    'открытие и закрытие расчётного периода'),
    ('data.load',       'загрузка и изменение справочников, домов, лицевых счетов'),
    ('epd.print',       'печать и рассылка ЕПД'),
    ('sql.run',         'произвольные запросы SQL только для чтения'),
    ('audit.read',      'просмотр журнала изменений'),
    ('users.manage',    'управление пользователями и ролями');

INSERT INTO role VALUES
    ('admin',      'администратор'),
    ('head',       'начальник отдела сбыта'),
    ('operator',   'оператор'),
    ('controller', 'контролёр'),
    ('accountant', 'бухгалтер-расчётчик'),
    ('lawyer',     'юрист'),
    ('analyst',    'аналитик (только чтение)');

INSERT INTO role_permission
SELECT 'admin', code FROM permission
UNION ALL SELECT 'head', code FROM permission WHERE code <> 'users.manage'
UNION ALL SELECT 'operator', unnest(['read', 'pd.read', 'readings.enter', 'data.load', 'epd.print'])
UNION ALL SELECT 'controller', unnest(['read', 'pd.read', 'readings.enter'])
UNION ALL SELECT 'accountant', unnest(['read', 'pd.read', 'readings.enter', 'payments.enter', 'calc.run',
                                       'period.close', 'epd.print', 'sql.run'])
UNION ALL SELECT 'lawyer', unnest(['read', 'pd.read', 'epd.print'])
UNION ALL SELECT 'analyst', unnest(['read', 'sql.run', 'audit.read']);

-- Masking for roles without 'pd.read': «Иванова Ирина Викторовна» / «Иванова И. В.» -> «И*** И. В.»,
-- a phone -> its last two digits.
CREATE MACRO mask_name(v) AS
    CASE WHEN v IS NULL THEN NULL ELSE
        left(split_part(trim(v), ' ', 1), 1) || '***'
        || coalesce(' ' || nullif(array_to_string(list_transform(list_slice(string_split(trim(v), ' '), 2, 3),
                                                                 lambda w: left(w, 1) || '.'), ' '), ''), '')
    END;
CREATE MACRO mask_phone(v) AS
    CASE WHEN v IS NULL THEN NULL ELSE '***' || right(regexp_replace(v, '[^0-9]', '', 'g'), 2) END;
