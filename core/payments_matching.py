"""Matching payments to accounts: the account number given, then the purpose text against the
configured patterns (`payment_pattern`), then contract numbers, ЕЛС and payer INNs known in
`payment_alias` (an INN counts only when it leads to exactly one account).

Works on a temp table `_m_pay` (columns row_id, raw_account, els, purpose, payer_inn) and adds
`account_id` and `matched_by`; set-based except the regular expressions, which run in Python only
on the rows no column matched.
"""

from __future__ import annotations

import re

import pyarrow as pa

from sbyt.core.store import Store


def patterns(store: Store) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for kind, pattern in store.all("SELECT kind, pattern FROM payment_pattern ORDER BY priority, id"):
        out.append((kind, re.compile(pattern)))
    return out


def extract(purpose: str, pats: list[tuple[str, re.Pattern[str]]]) -> dict[str, str]:
    """Identifiers found in a purpose text: {kind: value}, the first pattern of each kind wins."""
    found: dict[str, str] = {}
    for kind, rx in pats:
        if kind in found or not purpose:
            continue
        m = rx.search(purpose)
        if m:
            found[kind] = m.group(1)
    return found


# The bailiffs' deposit account names the enforcement proceedings in the purpose: «ИП № 23545/20/69025-ИП».
PROCEEDINGS = re.compile(r"(\d{1,8}/\d{2}/\d{5}-ИП)")


def _by_proceedings(store: Store) -> None:
    """Money recovered by the bailiffs: the proceedings number in the purpose leads to the executive
    document registered for a ПИР case (`debt_writ.proceedings_no`) and so to the debtor's account."""
    con = store.con
    rest = con.execute("SELECT row_id, purpose FROM _m_pay WHERE account_id IS NULL AND purpose LIKE '%-ИП%'").fetchall()
    found = [(r, m.group(1)) for r, p in rest if (m := PROCEEDINGS.search(p))]
    if not found:
        return
    con.register("_m_ip", pa.table({"row_id": pa.array([f[0] for f in found], pa.int64()),
                                    "ip": pa.array([f[1] for f in found], pa.string())}))
    try:
        con.execute("""
            UPDATE _m_pay SET account_id = c.account_id, matched_by = 'fssp'
            FROM _m_ip f JOIN debt_writ w ON w.proceedings_no = f.ip JOIN debt_case c ON c.id = w.case_id
            WHERE _m_pay.account_id IS NULL AND f.row_id = _m_pay.row_id AND c.account_id IS NOT NULL""")
    finally:
        con.unregister("_m_ip")


def match(store: Store) -> None:
    """Fill `_m_pay.account_id` / `matched_by` (temp table created by the caller)."""
    con = store.con
    con.execute("ALTER TABLE _m_pay ADD COLUMN IF NOT EXISTS account_id BIGINT")
    con.execute("ALTER TABLE _m_pay ADD COLUMN IF NOT EXISTS matched_by VARCHAR")
    con.execute("""
        UPDATE _m_pay SET account_id = a.id, matched_by = 'account'
        FROM account a WHERE a.number = trim(_m_pay.raw_account)""")
    con.execute("""
        UPDATE _m_pay SET account_id = x.account_id, matched_by = 'els'
        FROM payment_alias x WHERE _m_pay.account_id IS NULL AND x.kind = 'els' AND x.value = trim(_m_pay.els)""")
    rest = con.execute("SELECT row_id, purpose FROM _m_pay WHERE account_id IS NULL AND coalesce(purpose, '') <> ''").fetchall()
    pats = patterns(store)
    if rest and pats:
        ids, acc, contract, inn = [], [], [], []
        for row_id, purpose in rest:
            f = extract(purpose, pats)
            if f:
                ids.append(row_id)
                acc.append(f.get("account"))
                contract.append(f.get("contract"))
                inn.append(f.get("inn"))
        if ids:
            con.register("_m_found", pa.table({"row_id": pa.array(ids, pa.int64()), "acc": pa.array(acc, pa.string()),
                                               "contract": pa.array(contract, pa.string()),
                                               "inn": pa.array(inn, pa.string())}))
            con.execute("""
                UPDATE _m_pay SET account_id = a.id, matched_by = 'pattern'
                FROM _m_found f JOIN account a ON a.number = f.acc
                WHERE _m_pay.account_id IS NULL AND f.row_id = _m_pay.row_id""")
            con.execute("""
                UPDATE _m_pay SET account_id = x.account_id, matched_by = 'contract'
                FROM _m_found f JOIN payment_alias x ON x.kind = 'contract' AND x.value = f.contract
                WHERE _m_pay.account_id IS NULL AND f.row_id = _m_pay.row_id""")
            con.execute("""
                UPDATE _m_pay SET payer_inn = f.inn
                FROM _m_found f WHERE f.row_id = _m_pay.row_id AND coalesce(_m_pay.payer_inn, '') = '' AND f.inn IS NOT NULL""")
            con.unregister("_m_found")
    _by_proceedings(store)
    con.execute("""
        UPDATE _m_pay SET account_id = u.account_id, matched_by = 'inn'
        FROM (SELECT value, min(account_id) AS account_id FROM payment_alias WHERE kind = 'inn'
              GROUP BY value HAVING count(DISTINCT account_id) = 1) u
        WHERE _m_pay.account_id IS NULL AND u.value = trim(_m_pay.payer_inn)""")
