"""`sbyt load DIR`: load a supplier's data from its old system; `sbyt load --templates OUT_DIR`."""

from __future__ import annotations

from pathlib import Path

import typer

from sbyt.console.cli import common, files
from sbyt.core.errors import SbytError
from sbyt.core.loading import LoadReport, load_tables, templates
from sbyt.io.tabular import csv_bytes, parse_directory


def write_templates(out_dir: Path) -> list[Path]:
    written = []
    for name, (header, rows) in templates().items():
        path = out_dir / f"{name}.csv"
        files.write(path, csv_bytes(header, rows))
        written.append(path)
    return written


def load_directory(st, directory: Path, period: int | None = None) -> LoadReport:  # noqa: ANN001 - Store
    tables, sha = parse_directory(files.directory(directory))
    if not tables:
        raise SbytError(f"В каталоге {directory} нет файлов CSV или XLSX для загрузки.")
    return load_tables(st, tables, source=files.path(directory).resolve().name, sha256=sha, period=period,
                       progress=common.err)


def register(app: typer.Typer) -> None:
    @app.command("load", help="Загрузить данные поставщика из прежней системы: каталог с файлами CSV/XLSX, "
                              "по одному на сущность (см. docs/loading.md). Всё проверяется до записи; при любой "
                              "ошибке ничего не записывается. Повторная загрузка тех же файлов ничего не меняет.")
    def load(
        directory: Path = typer.Argument(None, metavar="DIR", help="Каталог с файлами.", show_default=False),
        templates_dir: Path = typer.Option(None, "--templates", metavar="OUT_DIR",
                                           help="Записать шаблоны всех файлов (заголовок и строка-образец)."),
        period: str = typer.Option(None, "--period", metavar="ГГГГ-ММ",
                                   help="Период входящего сальдо (по умолчанию — открытый период). "
                                        "В новой базе без периодов открывает этот период."),
    ) -> None:
        if templates_dir is not None:
            written = write_templates(templates_dir)
            common.err(f"Записано шаблонов: {len(written)} в каталог {templates_dir}")
            return
        if directory is None:
            raise SbytError("Укажите каталог с файлами (sbyt load DIR) или --templates OUT_DIR.")
        with common.store() as st:
            report = load_directory(st, directory, common.period_arg(period))
        for c in report.counts:
            common.err(f"{c.file}: строк {c.rows}, новых {c.inserted}, изменённых {c.updated}, "
                       f"без изменений {c.unchanged}")
        for warning in report.warnings:
            common.err(warning)
        if report.changed:
            common.err(f"Загружено (пакет {report.batch_id}).")
        else:
            common.err("Изменений нет: всё уже загружено.")
