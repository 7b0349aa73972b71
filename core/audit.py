"""Reading the audit trail (`audit_log`, append-only: written only by `Store.audit`, never updated
or deleted) and the access log (`access_log`: refusals and views of personal data)."""

from __future__ import annotations

from datetime import date

from sbyt.core.access import requires
from sbyt.core.store import Store

LIMIT = 10_000


def _changes(store: Store, *, account: str | None = None, user: str | None = None, since: date | None = None,
             limit: int = LIMIT) -> list[tuple]:
    where, params = [], []
    if user:
        where.append("a.user_name = ?")
        params.append(user)
    if since:
        where.append("a.logged_at >= ?")
        params.append(since)
    if account:
        number = account.strip()
        acc = store.scalar("SELECT id FROM account WHERE number = ?", [number])
        where.append("(a.entity_id IN (?, ?) OR a.new_value LIKE ? OR a.old_value LIKE ?)")
        params += [number, str(acc), f'%"{number}"%', f'%"{number}"%']
    sql = ("SELECT a.id, a.logged_at, a.user_name, coalesce(a.command, ''), a.action, a.entity,"
           " coalesce(a.entity_id, ''), coalesce(a.old_value, ''), coalesce(a.new_value, '') FROM audit_log a"
           + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY a.id DESC LIMIT {int(limit)}")
    return store.all(sql, params)


@requires("audit.read")
def changes(store: Store, *, account: str | None = None, user: str | None = None, since: date | None = None,
            limit: int = LIMIT) -> list[tuple]:
    """(id, logged_at, user, command, action, entity, key, old, new), newest first. `account` picks
    the changes of one account: rows keyed by its number or id, and its payments, readings and
    recalculations written with the account in their values."""
    return _changes(store, account=account, user=user, since=since, limit=limit)


def account_history(store: Store, number: str, limit: int = 200) -> list[tuple]:
    """The changes of one account, as `changes(account=...)`, for its card: whoever may see the
    account sees its history (permission `read`), the whole trail needs `audit.read`."""
    return _changes(store, account=number, limit=limit)


@requires("audit.read")
def access_events(store: Store, *, user: str | None = None, since: date | None = None,
                  limit: int = LIMIT) -> list[tuple]:
    """(id, logged_at, login, event, permission, command, subject, peer), newest first."""
    where, params = [], []
    if user:
        where.append("login = ?")
        params.append(user)
    if since:
        where.append("logged_at >= ?")
        params.append(since)
    sql = ("SELECT id, logged_at, login, event, coalesce(permission, ''), coalesce(command, ''),"
           " coalesce(subject, ''), coalesce(peer, '') FROM access_log"
           + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY id DESC LIMIT {int(limit)}")
    return store.all(sql, params)
