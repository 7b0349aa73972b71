"""The files a command line names are the caller's files.

Without a server they are this process's files. Under `sbyt serve` the command runs in the server
process, which may neither see the caller's directory nor write into it (another OS user, another
working directory): the client sends the files its command line names — a file, or the files of a
named directory — with its working directory, and writes the files the command produced itself
(`sbyt.server.client`). Commands read, list and write only through this module, so both modes run
the same code.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from pathlib import Path

from sbyt.core.errors import NotFoundError


@dataclass
class ClientFiles:
    """The caller's side of one command run by the server: its working directory, the files its
    command line names (absolute path -> bytes) and the files the command wrote for it."""

    cwd: Path
    inputs: dict[str, bytes]
    outputs: dict[str, bytes] = field(default_factory=dict)


CLIENT: contextvars.ContextVar[ClientFiles | None] = contextvars.ContextVar("sbyt_client_files", default=None)


def path(p: str | Path) -> Path:
    """`p` as the caller means it: a relative path is relative to the caller's working directory."""
    c = CLIENT.get()
    p = Path(p)
    return p if c is None or p.is_absolute() else c.cwd / p


def read(p: str | Path) -> bytes:
    """The bytes of the caller's file; a missing one is «Файл не найден»."""
    c = CLIENT.get()
    if c is None:
        if not Path(p).is_file():
            raise NotFoundError(f"Файл не найден: {p}")
        return Path(p).read_bytes()
    try:
        return c.inputs[str(path(p))]
    except KeyError:
        raise NotFoundError(f"Файл не найден: {p}") from None


def directory(p: str | Path) -> dict[str, bytes]:
    """The files directly in the caller's directory `p`: name -> bytes."""
    c = CLIENT.get()
    if c is None:
        d = Path(p)
        if not d.is_dir():
            raise NotFoundError(f"Каталог не найден: {d}")
        return {f.name: f.read_bytes() for f in sorted(d.iterdir()) if f.is_file()}
    d = path(p)
    found = {Path(k).name: v for k, v in c.inputs.items() if Path(k).parent == d}
    if not found and not any(Path(k).is_relative_to(d) for k in c.inputs):
        raise NotFoundError(f"Каталог не найден: {p}")
    return dict(sorted(found.items()))


def write(p: str | Path, data: bytes) -> None:
    """Write the caller's file (its directory is created)."""
    c = CLIENT.get()
    if c is None:
        Path(p).parent.mkdir(parents=True, exist_ok=True)
        Path(p).write_bytes(data)
    else:
        c.outputs[str(path(p))] = data


def gather(argv: list[str], cwd: Path, limit: int = 1 << 30) -> dict[str, bytes]:
    """On the client: the files a command line names (each argument, and the value of each
    `--option=value`, that is a file, or a directory whose files are taken), by absolute path."""
    found: dict[str, bytes] = {}
    size = 0
    for arg in argv:
        word = arg.split("=", 1)[1] if arg.startswith("--") and "=" in arg else arg
        if not word or word.startswith("-"):
            continue
        p = Path(word) if Path(word).is_absolute() else cwd / word
        try:
            if p.is_file():
                entries = [p]
            elif p.is_dir():
                entries = sorted(f for f in p.iterdir() if f.is_file())
                if not entries:
                    found[f"{p}/"] = b""      # an empty directory still exists for the server
            else:
                continue
        except OSError:
            continue
        for f in entries:
            size += f.stat().st_size
            if size > limit:
                raise NotFoundError(f"Файлы команды больше {limit >> 20} МБ: передайте их серверу иначе "
                                    "(положите в каталог, доступный серверу, и укажите полный путь).")
            found[str(f)] = f.read_bytes()
    return found
