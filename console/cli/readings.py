"""`sbyt readings add|import|list`: meter readings with plausibility control."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import typer

from sbyt.console.cli import common, files
from sbyt.core.errors import RefusedError, SbytError, ValidationError
from sbyt.core.readings import add_reading, counts_for, import_readings, list_readings
from sbyt.io.tabular import parse_bytes

readings = typer.Typer(name="readings", help="Показания приборов учёта: ввод, загрузка из файла, просмотр.",
                       no_args_is_help=True)


@readings.command("add", help="Ввести показание по лицевому счёту. Показание проверяется (меньше предыдущего, "
                              "слишком большой расход, дата вне окна приёма, снятый прибор, закрытый период) и "
                              "сохраняется; отклонённое сохраняется с причиной, код выхода 3.")
def add(
    account: str = typer.Argument(..., metavar="ACCOUNT", help="Номер лицевого счёта (10 цифр)."),
    value: int = typer.Argument(..., metavar="VALUE", help="Показание, целые кВт·ч."),
    zone: int = typer.Option(1, "--zone", min=1, max=3, help="Зона: 1 — день/пик, 2 — ночь/полупик, 3 — ночь."),
    on: str = typer.Option(None, "--date", metavar="ДАТА", help="Дата показания (по умолчанию — сегодня, а если открытый месяц уже прошёл — его последний день)."),
    serial: str = typer.Option(None, "--meter", metavar="SERIAL", help="Заводской номер прибора (если их несколько)."),
) -> None:
    with common.store() as st:
        r = add_reading(st, account, value, zone=zone, on=common.date_arg(on), serial=serial)
    cons = "" if r.consumption is None else f", расход {r.consumption} кВт·ч"
    prev = "" if r.prev_value is None else f" (предыдущее {r.prev_value} от {r.prev_date:%d.%m.%Y}{cons})"
    line = f"ЛС {r.account}, прибор {r.serial}, зона {r.zone}, {r.read_on:%d.%m.%Y}: {r.value}{prev}"
    if r.status == "accepted":
        print(f"Принято: {line}; {counts_for(r.read_on)}.")
        return
    print(f"Отклонено: {line}")
    raise RefusedError(f"Показание отклонено: {r.reason}")


@readings.command("import", help="Загрузить показания из файла CSV/XLSX (колонки account;serial;zone;date;value;"
                                 "source, см. docs/readings.md) или почасовые объёмы АСКУЭ из файлов XML 80020 "
                                 "(несколько файлов одной командой, см. docs/legal.md). Ошибки формата — ничего "
                                 "не записывается; неправдоподобные показания сохраняются отклонёнными и "
                                 "перечисляются.")
def import_(paths: list[Path] = typer.Argument(..., metavar="FILE...", help="Файл с показаниями или файлы 80020."),
            fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    if all(p.suffix.lower() == ".xml" for p in paths):
        _import_80020(paths)
        return
    if len(paths) > 1:
        raise SbytError("Файлы CSV/XLSX загружаются по одному; несколько файлов — только XML 80020.")
    file = paths[0]
    data = files.read(file)
    with common.store() as st:
        rep = import_readings(st, parse_bytes(data, file.name))
        rejected = rep.results.filter(pc.equal(rep.results.column("status"), "rejected"))
        rows = [(r["_row"], r["read_on"], r["zone"], r["value"], r["reason"]) for r in rejected.to_pylist()]
    if rows:
        common.emit(["строка", "дата", "зона", "показание", "причина"], rows, fmt, title="Отклонённые показания")
    common.err(f"{file.name}: показаний {rep.rows}, принято {rep.accepted}, отклонено {rep.rejected} "
               f"(пакет {rep.batch_id}).")


def _import_80020(paths: list[Path]) -> None:
    """All files parsed and checked first (every problem of every file listed), then one transaction."""
    import pyarrow as pa

    from sbyt.core.meter_hours import HOURS_SCHEMA, HourFile, import_hours
    from sbyt.io.askue80020 import parse_80020

    from rich.console import Console
    from rich.progress import track

    messages, errors = [], []
    for p in track(paths, "Разбор файлов 80020", console=Console(stderr=True), transient=True,
                   disable=len(paths) < 2):
        try:
            messages.append(parse_80020(files.read(p), p.name))
        except ValidationError as exc:
            errors += exc.errors
    if errors:
        raise ValidationError(errors, f"Файлы 80020 не загружены: ошибок {len(errors)}. Ничего не записано.")
    parts = []
    for k, m in enumerate(messages):
        h = m.hours
        n = len(h)
        parts.append(pa.table({"file_no": pa.array([k] * n, pa.int32()), "day": pa.array([m.day] * n, pa.date32()),
                               "point_code": h.column("point_code"), "channel": h.column("channel"),
                               "hour": h.column("hour"), "value_wh": h.column("value_wh"),
                               "intervals": h.column("intervals"), "flag": h.column("status"),
                               "complete": h.column("complete")}, schema=HOURS_SCHEMA))
    with common.store() as st:
        rep = import_hours(st, [HourFile(m.file_name, m.sha256, m.day) for m in messages], pa.concat_tables(parts))
    if rep.skipped_points:
        shown = ", ".join(rep.skipped_points[:10]) + (" …" if len(rep.skipped_points) > 10 else "")
        common.err(f"Не привязаны к приборам учёта (пропущены): точек {len(rep.skipped_points)}: {shown}.")
    common.err(f"Файлов 80020: {rep.files}; часов {rep.hours}: измерено {rep.measured}, замещено {rep.substituted}, "
               f"отклонено {rep.rejected}.")


@readings.command("list", help="Показания по лицевому счёту (принятые и отклонённые с причиной).")
def list_(account: str = typer.Argument(..., metavar="ACCOUNT", help="Номер лицевого счёта."),
          fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store(read_only=True) as st:
        rows = list_readings(st, account)
    common.emit(["дата", "прибор", "зона", "показание", "вид", "источник", "статус", "причина"], rows, fmt,
                title=f"Показания ЛС {account}",
                codes={"вид": "reading_kind", "источник": "reading_source", "статус": "reading_status"})


def register(app: typer.Typer) -> None:
    app.add_typer(readings)
