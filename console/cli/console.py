"""`sbyt console`: the operator console (Textual)."""

from __future__ import annotations

import typer

from sbyt.console.cli import common


def register(app: typer.Typer) -> None:
    @app.command("console", help="Консоль оператора: поиск лицевых счетов, карточка счёта, обход контролёра, "
                                 "оплаты, работа с должниками, отчёты, расчётный период. F1 — справка.")
    def console(
        db: str = typer.Option(None, "--db", help="Файл базы (по умолчанию общий --db / $SBYT_DB).", metavar="PATH"),
    ) -> None:
        from sbyt.console.app import SbytConsole  # Textual loads only for this command

        if db:
            common.STATE.db = db
        with common.store() as st:
            pass  # opens (and migrates) the file, or raises a Russian StoreError before the screen starts
        SbytConsole(common.STATE.db).run()
