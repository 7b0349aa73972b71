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
        # Opened here, so a missing or newer file is refused with a Russian message before the
        # screen starts; the app owns the store from now on and closes it on exit.
        SbytConsole(store=common.store()).run()
