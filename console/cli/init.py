"""`sbyt init`: create the store and install the shipped reference data."""

from __future__ import annotations

import typer

from sbyt.console.cli import common
from sbyt.core.reference import install_reference


def register(app: typer.Typer) -> None:
    @app.command("init", help="Создать файл базы (или обновить его схему) и загрузить справочные данные: "
                              "ключевую ставку и датированные правила.")
    def init() -> None:
        with common.store(create=True) as st:
            added = install_reference(st)
            common.err(
                f"База {st.path}: схема актуальна; добавлено ключевых ставок: {added['key_rate']}, "
                f"правил: {added['dated_rule']}."
            )
