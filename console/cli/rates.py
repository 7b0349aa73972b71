"""`sbyt rates update FILE`: load a newer key-rate table."""

from __future__ import annotations

from pathlib import Path

import typer

from sbyt.console.cli import common, files
from sbyt.core.loading.rates import update_key_rates
from sbyt.io.tabular import parse_bytes

rates = typer.Typer(name="rates", help="Ключевая ставка ЦБ РФ.", no_args_is_help=True)


@rates.command("update", help="Загрузить таблицу ключевой ставки (CSV/XLSX с колонками valid_from;rate). "
                              "Новые даты добавляются, существующие с той же ставкой пропускаются; "
                              "тот же файл дважды не загружается.")
def update(file: Path = typer.Argument(..., metavar="FILE", help="Файл со ставками.")) -> None:
    data = files.read(file)
    with common.store() as st:
        report = update_key_rates(st, parse_bytes(data, file.name))
    common.err(f"Ключевая ставка: строк в файле {report.rows}, добавлено {report.added} (пакет {report.batch_id}).")


def register(app: typer.Typer) -> None:
    app.add_typer(rates)
