"""`sbyt readings add|import|list`: meter readings with plausibility control; `legal-add|legal-list|
legal-template`: integral readings of legal-entity measuring complexes and their templates."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import typer

from sbyt.console.cli import common, files
from sbyt.core.errors import RefusedError, SbytError, ValidationError
from sbyt.core.readings import add_reading, counts_for, import_readings, list_readings
from sbyt.io import legal_templates
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
                                 "source, см. docs/readings.md), шаблоны юридических лиц — интегральные показания "
                                 "и почасовые объёмы (XLSX, см. docs/legal.md, «sbyt readings legal-template») — "
                                 "или почасовые объёмы АСКУЭ из файлов XML 80020 (несколько файлов одной "
                                 "командой). Ошибки формата — ничего не записывается; неправдоподобные показания "
                                 "сохраняются отклонёнными и перечисляются.")
def import_(paths: list[Path] = typer.Argument(..., metavar="FILE...", help="Файл с показаниями или файлы 80020."),
            fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    if all(p.suffix.lower() == ".xml" for p in paths):
        _import_80020(paths)
        return
    if len(paths) > 1:
        raise SbytError("Файлы CSV/XLSX загружаются по одному; несколько файлов — только XML 80020.")
    file = paths[0]
    data = files.read(file)
    table = parse_bytes(data, file.name)
    kind = legal_templates.detect(table)
    if kind is not None:
        _import_legal(kind, legal_templates.canonical(table), fmt)
        return
    with common.store() as st:
        rep = import_readings(st, table)
        rejected = rep.results.filter(pc.equal(rep.results.column("status"), "rejected"))
        rows = [(r["_row"], r["read_on"], r["zone"], r["value"], r["reason"]) for r in rejected.to_pylist()]
    if rows:
        common.emit(["строка", "дата", "зона", "показание", "причина"], rows, fmt, title="Отклонённые показания")
    common.err(f"{file.name}: показаний {rep.rows}, принято {rep.accepted}, отклонено {rep.rejected} "
               f"(пакет {rep.batch_id}).")


def _import_legal(kind: str, table, fmt: common.Fmt) -> None:  # noqa: ANN001 - sbyt.io.tabular.Table
    from sbyt.core.legal_readings import import_hourly, import_integral

    if kind == legal_templates.HOURLY:
        with common.store() as st:
            rep = import_hourly(st, table)
        common.err(f"{table.file}: почасовые объёмы, часов {rep.hours}: измерено {rep.measured}, "
                   f"замещено {rep.substituted}, отклонено {rep.rejected}.")
        return
    with common.store() as st:
        rep = import_integral(st, table)
        rejected = rep.results.filter(pc.equal(rep.results.column("status"), "rejected"))
        rows = [(r["_row"], r["read_on"], r["zone"], r["value"], r["reason"]) for r in rejected.to_pylist()]
    if rows:
        common.emit(["строка", "дата", "зона", "показание", "причина"], rows, fmt, title="Отклонённые показания")
    common.err(f"{table.file}: интегральные показания ЮЛ {rep.rows}, принято {rep.accepted}, "
               f"отклонено {rep.rejected} (пакет {rep.batch_id}).")


def _import_80020(paths: list[Path]) -> None:
    """All files parsed and checked first (every problem of every file listed), then one transaction."""
    import pyarrow as pa

    from sbyt.core.meter_hours import HOURS_SCHEMA, HourFile, import_hours
    from sbyt.io.askue80020 import parse_many

    from sbyt.console.progress import stage_progress

    with stage_progress("Разбор файлов 80020") as tick:
        messages, errors = parse_many(((p.name, files.read(p)) for p in paths), len(paths),
                                      lambda done, total: tick(f"файл {done} из {total}", done / total))
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


@readings.command("legal-add", help="Ввести интегральное показание прибора учёта юридического лица (по точке "
                                    "поставки или заводскому номеру). Проверяется: меньше предыдущего (кроме перехода "
                                    "через ноль), больше разрядности, расход больше возможного при максимальной "
                                    "мощности, повтор на дату; закрытый месяц — отказ. Отклонённое сохраняется с "
                                    "причиной, код выхода 3.")
def legal_add(
    key: str = typer.Argument(..., metavar="ТОЧКА|ПРИБОР", help="Код точки поставки или заводской номер прибора."),
    value: str = typer.Argument(..., metavar="VALUE", help="Показание как на табло (без коэффициентов), кВт·ч."),
    zone: int = typer.Option(1, "--zone", min=1, max=3, help="Зона: 1 — день/пик, 2 — ночь/полупик, 3 — ночь."),
    on: str = typer.Option(None, "--date", metavar="ДАТА", help="Дата показания (по умолчанию — как у "
                           "«sbyt readings add»)."),
    serial: str = typer.Option(None, "--meter", metavar="SERIAL", help="Заводской номер, если в точке несколько "
                               "приборов."),
    source: str = typer.Option("manual", "--source", help="manual — ручной ввод, controller — контролёр."),
) -> None:
    from sbyt.core.legal_readings import add_legal_reading, num_text

    src = common.code_arg("legal_reading_source", source, "источник", ("manual", "controller"))
    with common.store() as st:
        r = add_legal_reading(st, key, common.decimal_arg(value), zone=zone, on=common.date_arg(on), serial=serial,
                              source=src)
    vol = "" if r.kwh is None else f", расход {num_text(r.kwh)} кВт·ч с коэффициентами"
    prev = "" if r.prev_value is None else f" (предыдущее {num_text(r.prev_value)} от {r.prev_date:%d.%m.%Y}{vol})"
    line = f"точка {r.point}, прибор {r.serial}, зона {r.zone}, {r.read_on:%d.%m.%Y}: {num_text(r.value)}{prev}"
    if r.status == "accepted":
        print(f"Принято: {line}.")
        return
    print(f"Отклонено: {line}")
    raise RefusedError(f"Показание отклонено: {r.reason}")


@readings.command("legal-list", help="Интегральные показания приборов точки поставки юридического лица (принятые "
                                     "и отклонённые с причиной); с --period — объём месяца по зонам с коэффициентами.")
def legal_list(point: str = typer.Argument(..., metavar="ТОЧКА", help="Код точки поставки."),
               period: str = typer.Option(None, "--period", help="Месяц ГГГГ-ММ: показать объём месяца."),
               fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.legal_readings import list_legal_readings, monthly_volumes
    from sbyt.core.periods import period_title

    with common.store(read_only=True) as st:
        rows = list_legal_readings(st, point)
        p = common.period_arg(period)
        volumes = monthly_volumes(st, p, [point]).to_pylist() if p else None
    if volumes is None:
        common.emit(["дата", "прибор", "зона", "показание", "источник", "статус", "причина"], rows, fmt,
                    title=f"Показания точки поставки {point}",
                    codes={"источник": "legal_reading_source", "статус": "reading_status"})
        return
    if not volumes:
        raise SbytError(f"У точки поставки {point} нет принятых показаний, по которым считается объём за "
                        f"{period_title(p)}.")
    common.emit(["прибор", "зона", "с даты", "показание", "по дату", "показание ", "Ктт", "Ктн", "разность",
                 "объём, кВт·ч"],
                [(v["serial"], v["zone"], v["start_date"], v["start_value"], v["end_date"], v["end_value"],
                  v["ct_ratio"], v["vt_ratio"], v["dial"], v["kwh"]) for v in volumes], fmt,
                title=f"Объём точки поставки {point} за {period_title(p)}")


@readings.command("legal-template", help="Записать шаблон XLSX юридических лиц: integral — интегральные показания, "
                                         "hourly — почасовые объёмы (колонки — docs/legal.md).")
def legal_template(kind: str = typer.Argument(..., metavar="integral|hourly", help="Какой шаблон."),
                   path: Path = typer.Argument(None, help="Куда записать (по умолчанию legal_integral.xlsx или "
                                               "legal_hourly.xlsx).")) -> None:
    if kind not in (legal_templates.INTEGRAL, legal_templates.HOURLY):
        raise SbytError(f"Шаблон: integral (интегральные показания) или hourly (почасовые объёмы), а не «{kind}».")
    path = path or Path(f"legal_{kind}.xlsx")
    files.write(path, legal_templates.template_xlsx(kind))
    common.err(f"Шаблон записан: {path}")


def register(app: typer.Typer) -> None:
    app.add_typer(readings)
