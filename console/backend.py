"""Where the console's services run (`sbyt.console.services`): on the file, or on its server.

`App.call(func, *args)` hands the call to the app's backend. `LocalBackend` runs it on a cursor of
the console's own connection (one per worker thread: DuckDB connections are not shared between
threads). When `sbyt serve` owns the store, `sbyt.server.remote.RemoteBackend` sends the service's
name and arguments to the server instead; the screens do not know which one they have.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sbyt.core.store import Store


class Backend(Protocol):
    where: str
    """What the console works on, for its header: the file, or the server and its file."""

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:    # noqa: ANN401
        """`func(store, *args, **kwargs)` on the store; a service's SbytError is raised as such."""

    def close(self) -> None: ...


class LocalBackend:
    """The store opened by the console itself (no server)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.where = str(store.path)

    def session(self) -> Store:
        return Store(self.store.con.cursor(), self.store.path, self.store.user, self.store.read_only,
                     self.store.session)

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:    # noqa: ANN401
        with self.session() as st:
            return func(st, *args, **kwargs)

    def close(self) -> None:
        self.store.close()
