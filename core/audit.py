"""Reading the audit trail (`audit_log`, append-only: written only by `Store.audit`, never updated
or deleted) and the access log (`access_log`: refusals and views of personal data)."""

from __future__ import annotations

from datetime import date

from sbyt.core.access import requires
from sbyt.core.store import Store

LIMIT = 10_000


def _by_user_and_day(user_col: str, time_col: str, user: str | None, since: date | None) -> tuple[list, list]:
    """WHERE conditions and parameters of the user and «since» filters (column names are ours)."""
    where: list[str] = []
    params: list[object] = []
    if user:
        where.append(f"{user_col} = ?")
        params.append(user)
    if since:
        where.append(f"{time_col} >= ?")
        params.append(since)
    return where, params


def _query(select: str, where: list[str], order: str, limit: int) -> str:
    return select + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order} DESC LIMIT {int(limit)}"


def _changes(store: Store, *, account: str | None = None, user: str | None = None, since: date | None = None,
             limit: int = LIMIT) -> list[tuple]:
    where, params = _by_user_and_day("a.user_name", "a.logged_at", user, since)
    if account:
        number = account.strip()
        acc = store.scalar("SELECT id FROM account WHERE number = ?", [number])
        where.append("(a.entity_id IN (?, ?) OR a.new_value LIKE ? OR a.old_value LIKE ?)")
        params += [number, str(acc), f'%"{number}"%', f'%"{number}"%']
    return store.all(_query("SELECT a.id, a.logged_at, a.user_name, coalesce(a.command, ''), a.action, a.entity,"
                            " coalesce(a.entity_id, ''), coalesce(a.old_value, ''), coalesce(a.new_value, '')"
                            " FROM audit_log a", where, "a.id", limit), params)


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
    where, params = _by_user_and_day("login", "logged_at", user, since)
    return store.all(_query("SELECT id, logged_at, login, event, coalesce(permission, ''), coalesce(command, ''),"
                            " coalesce(subject, ''), coalesce(peer, '') FROM access_log", where, "id", limit), params)
