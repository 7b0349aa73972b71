"""`sbyt rates update FILE`: load a newer key-rate table."""

from __future__ import annotations

from pathlib import Path

import typer

from sbyt.console.cli import common
from sbyt.core.loading.rates import update_key_rates
from sbyt.io.tabular import read_table

rates = typer.Typer(name="rates", help="Ключевая ставка ЦБ РФ.", no_args_is_help=True)


@rates.command("update", help="Загрузить таблицу ключевой ставки (CSV/XLSX с колонками valid_from;rate). "
                              "Новые даты добавляются, существующие с той же ставкой пропускаются; "
                              "тот же файл дважды не загружается.")
def update(file: Path = typer.Argument(..., metavar="FILE", help="Файл со ставками.")) -> None:
    if not file.is_file():
        from sbyt.core.errors import NotFoundError

        raise NotFoundError(f"Файл не найден: {file}")
    with common.store() as st:
        report = update_key_rates(st, read_table(file))
    common.err(f"Ключевая ставка: строк в файле {report.rows}, добавлено {report.added} (пакет {report.batch_id}).")


def register(app: typer.Typer) -> None:
    app.add_typer(rates)
