"""A copy of the store while it is in use: writes wait for the copy, readers go on."""

from __future__ import annotations

import shutil
from pathlib import Path

from sbyt.core.access import requires
from sbyt.core.errors import RefusedError
from sbyt.core.store import WRITE_LOCK, Store


@requires("users.manage")
def backup(store: Store, target: Path) -> int:
    """CHECKPOINT (the WAL into the file), then copy the file to `target`; returns its size.
    Holds the write lock for the copy, so the copy is one consistent state."""
    target = Path(target)
    if target.exists():
        raise RefusedError(f"Файл {target} уже есть: копия не перезаписывает файлы.")
    with WRITE_LOCK:
        store.execute("CHECKPOINT")
        shutil.copyfile(store.path, target)
    store.audit("command", "backup", str(target), None, None)
    return target.stat().st_size
