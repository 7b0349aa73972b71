"""Users, roles and permissions; the access log; masking of personal data.

Roles are data (`role`, `role_permission`, migration 080). A service that changes data or shows
personal data declares the permission it needs with `@requires("...")`; the check reads the
`Session` of the store it is given. Without a server the OS user works alone and is the
administrator (`Session.local`); under `sbyt serve` every request carries the session of the
user the server identified (the socket peer's OS login, or an HTTP token).

A refusal raises `AccessDenied` (exit code 3) with the missing permission named in Russian and is
written to `access_log` first, in its own statement, so it stays even though the command fails.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import duckdb

from sbyt.core.errors import NotFoundError, RefusedError, SbytError
from sbyt.core.store import Store

ADMIN = "admin"
F = TypeVar("F", bound=Callable[..., Any])


class AccessDenied(RefusedError):
    """The user's role lacks a permission."""


@dataclass(frozen=True)
class Session:
    """Who acts: the login, the role and its permissions, the command and job being run."""

    login: str
    role: str
    permissions: frozenset[str]
    local: bool = True                  # no server: the OS user alone, as administrator
    command: str | None = None
    job_id: int | None = None
    peer: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def can(self, permission: str) -> bool:
        return permission in self.permissions


def local_session(store: Store) -> Session:
    """The single-user session: the OS user with every permission."""
    return Session(store.user, ADMIN, all_permissions(store))


def all_permissions(store: Store) -> frozenset[str]:
    return frozenset(r[0] for r in store.all("SELECT code FROM permission"))


def session_of(store: Store) -> Session:
    if store.session is None:
        store.session = local_session(store)
    return store.session


def user_session(store: Store, login: str, *, command: str | None = None, job_id: int | None = None,
                 peer: str | None = None) -> Session:
    """The session of a registered, enabled user; refuses anyone else (logged)."""
    row = store.one("SELECT role, disabled FROM app_user WHERE login = ?", [login])
    if row is None or row[1]:
        why = "не зарегистрирован" if row is None else "отключён"
        log(store, login, "refused", None, command, f"пользователь {why}", peer)
        raise AccessDenied(f"Пользователь «{login}» {why} в sbyt. Администратор добавляет пользователей "
                           "командой «sbyt user add ЛОГИН --role РОЛЬ».")
    perms = frozenset(r[0] for r in store.all("SELECT permission FROM role_permission WHERE role = ?", [row[0]]))
    return Session(login, row[0], perms, local=False, command=command, job_id=job_id, peer=peer)


def permission_name(store: Store, code: str) -> str:
    return store.scalar("SELECT name FROM permission WHERE code = ?", [code]) or code


def check(store: Store, permission: str) -> Session:
    """The store's session, if it holds `permission`; else the refusal is logged and raised."""
    s = session_of(store)
    if s.can(permission):
        return s
    role = store.scalar("SELECT name FROM role WHERE code = ?", [s.role]) or s.role
    log(store, s.login, "refused", permission, s.command, None, s.peer)
    raise AccessDenied(f"Недостаточно прав: у пользователя «{s.login}» (роль «{role}») нет права "
                       f"«{permission}» ({permission_name(store, permission)}).")


def requires(permission: str) -> Callable[[F], F]:
    """Declare the permission a service needs; its first argument is the Store."""
    def wrap(func: F) -> F:
        @functools.wraps(func)
        def checked(store: Store, *args: Any, **kwargs: Any) -> Any:
            check(store, permission)
            return func(store, *args, **kwargs)
        checked.permission = permission     # type: ignore[attr-defined]
        return checked                      # type: ignore[return-value]
    return wrap


def log(store: Store, login: str, event: str, permission: str | None, command: str | None,
        subject: str | None, peer: str | None = None) -> None:
    """One row of the access log (outside any transaction of the caller's: it must stay)."""
    store.execute("INSERT INTO access_log VALUES (nextval('access_log_seq'), current_timestamp, ?, ?, ?, ?, ?, ?)",
                  [login, event, permission, command, subject, peer])


def sees_personal_data(store: Store) -> bool:
    return session_of(store).can("pd.read")


@contextmanager
def reporting(store: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store's connection for a report or ad-hoc SQL: a READ ONLY transaction, rolled back;
    for a session without 'pd.read' the schema `masked` comes first (migration 081). Restores the
    search path after."""
    con = store.con
    masked = not sees_personal_data(store)
    con.execute("BEGIN TRANSACTION READ ONLY")
    if masked:
        con.execute("SET search_path = 'masked,main'")
    try:
        yield con
    finally:
        con.execute("ROLLBACK")
        if masked:
            con.execute("RESET search_path")


def viewed(store: Store, account_number: str) -> None:
    """Log that the session's user opened the personal data of an account (152-ФЗ)."""
    s = session_of(store)
    log(store, s.login, "pd_view", None, s.command, account_number, s.peer)


# --------------------------------------------------------------------------------------- masking
def mask_name(name: str | None) -> str | None:
    """«Иванова Ирина Викторовна» or «Иванова И. В.» -> «И*** И. В.» (SQL twin: macro mask_name, 080)."""
    if name is None:
        return None
    words = name.strip().split(" ")
    initials = " ".join(w[:1] + "." for w in words[1:3])
    return words[0][:1] + "***" + (" " + initials if initials else "")


def mask_phone(phone: str | None) -> str | None:
    """A phone -> «***» and its last two digits (SQL twin: macro mask_phone, 080)."""
    if phone is None:
        return None
    return "***" + "".join(c for c in phone if c.isdigit())[-2:]


def shown_name(store: Store, name: str | None) -> str | None:
    """A person's name as the session may see it."""
    return name if sees_personal_data(store) else mask_name(name)


# --------------------------------------------------------------------------------------- users
_changes = 0


def changes() -> int:
    """How many times users, their roles or tokens were changed by this process: a server caches
    sessions and tokens until it changes (all changes go through the functions below)."""
    return _changes


def _changed() -> None:
    global _changes
    _changes += 1


def roles(store: Store) -> list[tuple[str, str, str]]:
    """(code, name, permissions separated by commas) of every role."""
    return store.all("""SELECT r.code, r.name, string_agg(p.permission, ', ' ORDER BY p.permission)
                        FROM role r LEFT JOIN role_permission p ON p.role = r.code GROUP BY ALL ORDER BY r.code""")


def _role(store: Store, role: str) -> str:
    code = store.scalar("SELECT code FROM role WHERE code = ? OR lower(name) = lower(?)", [role, role])
    if code is None:
        known = ", ".join(r[0] for r in store.all("SELECT code FROM role ORDER BY code"))
        raise SbytError(f"Неизвестная роль «{role}»: допустимы {known}.")
    return str(code)


@requires("users.manage")
def add_user(store: Store, login: str, role: str, full_name: str | None = None) -> None:
    code = _role(store, role)
    if store.scalar("SELECT count(*) FROM app_user WHERE login = ?", [login]):
        raise RefusedError(f"Пользователь «{login}» уже есть.")
    with store.transaction():
        store.execute("INSERT INTO app_user (login, full_name, role, created_by) VALUES (?, ?, ?, ?)",
                      [login, full_name, code, store.user])
        store.audit("insert", "app_user", login, None, f'{{"role": "{code}"}}')
    _changed()


def ensure_admin(store: Store, login: str) -> bool:
    """The first start of a server: its OS user becomes the administrator if there are no users."""
    if store.scalar("SELECT count(*) FROM app_user"):
        return False
    with store.transaction():
        store.execute("INSERT INTO app_user (login, role, created_by) VALUES (?, 'admin', 'sbyt serve')", [login])
        store.audit("insert", "app_user", login, None, '{"role": "admin"}')
    _changed()
    return True


def _user(store: Store, login: str) -> tuple:
    row = store.one("SELECT login, role, disabled FROM app_user WHERE login = ?", [login])
    if row is None:
        raise NotFoundError(f"Пользователь «{login}» не найден.")
    return row


@requires("users.manage")
def set_role(store: Store, login: str, role: str) -> None:
    old = _user(store, login)[1]
    code = _role(store, role)
    with store.transaction():
        store.execute("UPDATE app_user SET role = ? WHERE login = ?", [code, login])
        store.audit("update", "app_user", login, f'{{"role": "{old}"}}', f'{{"role": "{code}"}}')
    _changed()


@requires("users.manage")
def set_disabled(store: Store, login: str, disabled: bool = True) -> None:
    old = bool(_user(store, login)[2])
    with store.transaction():
        store.execute("UPDATE app_user SET disabled = ? WHERE login = ?", [disabled, login])
        if disabled:
            store.execute("UPDATE user_token SET revoked = true WHERE login = ?", [login])
        store.audit("update", "app_user", login, f'{{"disabled": {str(old).lower()}}}',
                    f'{{"disabled": {str(disabled).lower()}}}')
    _changed()


@requires("users.manage")
def users(store: Store) -> list[tuple]:
    return store.all("""SELECT u.login, coalesce(u.full_name, ''), u.role, r.name, u.disabled,
                               (SELECT count(*) FROM user_token t WHERE t.login = u.login AND NOT t.revoked)
                        FROM app_user u LEFT JOIN role r ON r.code = u.role ORDER BY u.login""")


@requires("users.manage")
def new_token(store: Store, login: str) -> str:
    """A new HTTP token of the user (shown once; the store keeps its SHA-256)."""
    _user(store, login)
    token = secrets.token_urlsafe(32)
    with store.transaction():
        store.execute("INSERT INTO user_token (sha256, login) VALUES (?, ?)", [token_digest(token), login])
        store.audit("insert", "user_token", login, None, None)
    _changed()
    return token


def token_login(store: Store, token: str) -> str | None:
    return store.scalar("SELECT login FROM user_token WHERE sha256 = ? AND NOT revoked", [token_digest(token)])


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
