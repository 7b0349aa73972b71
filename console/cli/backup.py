"""`sbyt backup FILE`: a consistent copy of the store, also while the server runs."""

from __future__ import annotations

from pathlib import Path

import typer

from sbyt.console.cli import common, files


def backup(target: Path = typer.Argument(..., metavar="FILE", help="Файл копии (не должен существовать).")) -> None:
    from sbyt.core.backup import backup as run

    with common.store() as st:
        size = run(st, files.path(target))     # the server's file: the copy is of its store
    common.err(f"Копия базы: {target} ({size / 2**20:.1f} МБ).")


def register(app: typer.Typer) -> None:
    app.command("backup", help="Резервная копия базы на ходу: записи ждут окончания копии, чтение "
                               "продолжается.")(backup)
