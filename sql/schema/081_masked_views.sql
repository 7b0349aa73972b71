-- What a role without 'pd.read' reads in ad-hoc SQL and reports: the tables holding personal data
-- under the same names in the schema `masked` (the server puts it first on the search path of such
-- a session), names and contacts masked by the macros of 080.
CREATE MACRO mask_email(v) AS
    CASE WHEN v IS NULL THEN NULL ELSE left(v, 1) || '***@' || split_part(v, '@', 2) END;

CREATE SCHEMA masked;
CREATE VIEW masked.account AS
    SELECT * REPLACE (mask_name(holder_name) AS holder_name, mask_email(email) AS email, mask_phone(phone) AS phone)
    FROM main.account;
CREATE VIEW masked.account_search AS
    SELECT * REPLACE (mask_name(holder_name) AS holder_name, '***' AS address, '' AS haystack)
    FROM main.account_search;
CREATE VIEW masked.premise AS SELECT * REPLACE ('***' AS number) FROM main.premise;
CREATE VIEW masked.epd_delivery AS SELECT * REPLACE (mask_email(email) AS email) FROM main.epd_delivery;
CREATE VIEW masked.payment AS
    SELECT * REPLACE (mask_name(payer_name) AS payer_name, '***' AS payer_account) FROM main.payment;
