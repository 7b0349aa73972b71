"""`sbyt building ...`: apartment buildings (МКД), their common meters (ОДПУ), readings and ОДН."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import typer

from sbyt.console.cli import common, files
from sbyt.core import buildings as svc
from sbyt.core import common_meters
from sbyt.core.errors import SbytError
from sbyt.core.labels import label
from sbyt.core.periods import period_label

sub = typer.Typer(name="building", help="Многоквартирные дома: открытие и закрытие, характеристики, "
                                        "прямые договоры, точки поставки, ОДПУ, показания, расчёт ОДН.",
                  no_args_is_help=True)

DATE_HELP = "Дата документа, ГГГГ-ММ-ДД или ДД.ММ.ГГГГ."
MANAGEMENT_HELP = ("Способ управления: uk — УК, tszh — ТСЖ, zhsk — ЖСК, direct — непосредственное, "
                   "none — не выбран (код или слово).")


def _day(value: date | None) -> str:
    """A date inside a text cell, as the tables show dates: «01.03.2019»."""
    return f"{value:%d.%m.%Y}" if value else "—"


@sub.command("open", help="Открыть МКД (документ «Открытие МКД») с характеристиками на дату.")
def open_(
    code: str = typer.Argument(..., help="Код дома (уникальный)."),
    street: str = typer.Option(..., "--street", help="Код улицы."),
    house: str = typer.Option(..., "--house", help="Номер дома, как в адресе («12», «12 к. 1»)."),
    on: str = typer.Option(..., "--date", help=DATE_HELP),
    management: str = typer.Option(..., "--management", help=MANAGEMENT_HELP),
    manager: str = typer.Option(None, "--manager", help="Код управляющей организации (для uk, tszh, zhsk)."),
    area_res: str = typer.Option("0", "--area-res", help="Площадь жилых помещений, м²."),
    area_nonres: str = typer.Option("0", "--area-nonres", help="Площадь нежилых помещений, м²."),
    area_common: str = typer.Option("0", "--area-common", help="Площадь мест общего пользования, м²."),
    soi: str = typer.Option(None, "--soi", help="Категория норматива СОИ (например lift, no_lift)."),
    floors: int = typer.Option(None, "--floors", help="Этажность."),
    year: int = typer.Option(None, "--year", help="Год постройки."),
    kind: str = typer.Option("mkd", "--kind", help="Тип дома: mkd — многоквартирный дом, house — жилой дом."),
    doc: str = typer.Option(None, "--doc", help="Номер документа."),
) -> None:
    management = common.code_arg("management", management, "Способ управления")
    kind = common.code_arg("building_kind", kind, "Тип дома")
    facts = svc.BuildingFacts(management, manager, common.decimal_arg(area_res), common.decimal_arg(area_nonres), common.decimal_arg(area_common), soi)
    with common.store() as st:
        svc.open_building(st, code, street, house, common.date_arg(on), facts, kind=kind, floors=floors, year_built=year,
                          doc_no=doc)
    common.err(f"Дом {code} открыт с {common.date_arg(on):%d.%m.%Y}.")


@sub.command("close", help="Закрыть МКД (документ «Закрытие МКД») с даты.")
def close(code: str = typer.Argument(..., help="Код дома."),
          on: str = typer.Option(..., "--date", help=DATE_HELP),
          reason: str = typer.Option(None, "--reason", help="Основание."),
          doc: str = typer.Option(None, "--doc", help="Номер документа.")) -> None:
    with common.store() as st:
        svc.close_building(st, code, common.date_arg(on), doc, reason)
    common.err(f"Дом {code} закрыт с {common.date_arg(on):%d.%m.%Y}.")


@sub.command("fact", help="Изменить характеристики МКД с даты (действующая запись закрывается, открывается новая).")
def fact(
    code: str = typer.Argument(..., help="Код дома."),
    on: str = typer.Option(..., "--date", help=DATE_HELP),
    management: str = typer.Option(None, "--management", help=MANAGEMENT_HELP),
    manager: str = typer.Option(None, "--manager", help="Код управляющей организации."),
    area_res: str = typer.Option(None, "--area-res", help="Площадь жилых помещений, м²."),
    area_nonres: str = typer.Option(None, "--area-nonres", help="Площадь нежилых помещений, м²."),
    area_common: str = typer.Option(None, "--area-common", help="Площадь МОП, м²."),
    soi: str = typer.Option(None, "--soi", help="Категория норматива СОИ."),
    doc: str = typer.Option(None, "--doc", help="Номер документа."),
) -> None:
    changes: dict[str, object] = {"management": common.code_arg("management", management, "Способ управления"), "area_residential": common.decimal_arg(area_res),
                                  "area_nonresidential": common.decimal_arg(area_nonres), "area_common": common.decimal_arg(area_common),
                                  "soi_category": soi}
    if manager is not None:
        changes["manager"] = manager
    with common.store() as st:
        svc.change_facts(st, code, common.date_arg(on), doc, **{k: v for k, v in changes.items() if v is not None})
    common.err(f"Характеристики дома {code} изменены с {common.date_arg(on):%d.%m.%Y}.")


@sub.command("show", help="Карточка МКД: адрес, характеристики на дату, ОДПУ, прямые договоры.")
def show(code: str = typer.Argument(..., help="Код дома."),
         on: str = typer.Option(None, "--date", help="На дату (по умолчанию сегодня)."),
         fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store(read_only=True) as st:
        card = svc.building_card(st, code, common.date_arg(on) if on else date.today())
    b, f = card["building"], card["fact"]
    rows = [("Код", b[0]), ("Адрес", b[1]), ("Тип", label("building_kind", b[2])), ("Открыт", b[3]), ("Закрыт", b[4])]
    titles = {"valid_from": "Характеристики с", "valid_to": "Характеристики по", "management": "Способ управления",
              "manager_id": "Управляющая организация (id)", "area_residential": "Площадь жилых, м²",
              "area_nonresidential": "Площадь нежилых, м²", "area_common": "Площадь МОП, м²",
              "soi_category": "Категория норматива СОИ"}
    rows += [(titles.get(k, k), label("management", v) if k == "management" else v) for k, v in f.items()]
    for m in card["meters"]:
        rows.append(("ОДПУ", f"{m[1]} {m[2]} ({label('service', m[0])}), зон {m[3]}, коэфф. {m[4]}, с {_day(m[5])}"
                             + (f" по {_day(m[6])}" if m[6] else "") + f", {label('meter_state', m[7])}, поверен {_day(m[8])} (МПИ {m[9]}),"
                             f" пломбы: {m[10] or '—'}, посл. показание {_day(m[11])}"))
    for d in card["direct_contracts"]:
        rows.append(("Прямой договор", f"с {_day(d[0])}" + (f" по {_day(d[1])}" if d[1] else "")
                     + (f": {d[2]}" if d[2] else "")))
    common.emit(["Поле", "Значение"], rows, fmt, title=f"МКД {code}")


@sub.command("direct-contract", help="Прямые договоры собственников с поставщиком (ЖК 157.2): начало или окончание.")
def direct_contract(code: str = typer.Argument(..., help="Код дома."),
                    start: str = typer.Option(None, "--from", help="Дата начала."),
                    end: str = typer.Option(None, "--to", help="Дата окончания действующего договора."),
                    basis: str = typer.Option(None, "--basis", help="Основание (протокол ОСС).")) -> None:
    if (start is None) == (end is None):
        raise SbytError("Укажите либо --from (начало), либо --to (окончание).")
    with common.store() as st:
        if start:
            svc.add_direct_contract(st, code, common.date_arg(start), basis)
        else:
            svc.end_direct_contract(st, code, common.date_arg(end))
    common.err(f"Прямой договор дома {code} записан.")


@sub.command("supply-point", help="Добавить точку поставки МКД.")
def supply_point(code: str = typer.Argument(..., help="Код дома."),
                 sp_code: str = typer.Option(..., "--code", help="Код точки поставки."),
                 name: str = typer.Option(..., "--name", help="Наименование (ТП, фидер)."),
                 on: str = typer.Option(..., "--date", help=DATE_HELP),
                 voltage: str = typer.Option(None, "--voltage", help="ВН, СН1, СН2 или НН.")) -> None:
    with common.store() as st:
        svc.add_supply_point(st, code, sp_code, name, common.date_arg(on), voltage)
    common.err(f"Точка поставки {sp_code} добавлена.")


@sub.command("meter-install", help="Ввести ОДПУ в работу (акт ввода): показания при вводе по зонам.")
def meter_install(
    code: str = typer.Argument(..., help="Код дома."),
    serial: str = typer.Option(..., "--serial", help="Заводской номер."),
    model: str = typer.Option(..., "--model", help="Модель."),
    on: str = typer.Option(..., "--date", help=DATE_HELP),
    value: list[int] = typer.Option(..., "--value", help="Показание при вводе, кВт·ч (по зонам: --value Т1 --value Т2)."),
    ratio: int = typer.Option(1, "--ratio", help="Расчётный коэффициент (трансформаторы тока)."),
    digits: int = typer.Option(6, "--digits", help="Разрядность."),
    verified: str = typer.Option(None, "--verified", help="Дата поверки."),
    interval: int = typer.Option(None, "--interval", help="Межповерочный интервал, лет."),
    seal: str = typer.Option(None, "--seal", help="Номер пломбы."),
    service: str = typer.Option("electricity", "--service", help="Учёт: electricity — электроэнергия дома, heating — на отопление/ГВС."),
    doc: str = typer.Option(None, "--doc", help="Номер акта."),
) -> None:
    meter = common_meters.CommonMeter(serial, model, common.date_arg(on), ratio, len(value), digits,
                                      common.date_arg(verified) if verified else None, interval,
                                      common.code_arg("service", service, "Учёт", ("electricity", "heating")))
    with common.store() as st:
        common_meters.install_common_meter(st, code, meter, value, seal, doc)
    common.err(f"ОДПУ {serial} введён в работу на доме {code}.")


@sub.command("meter-remove", help="Вывести ОДПУ из работы (акт вывода): показания при выводе по зонам.")
def meter_remove(serial: str = typer.Argument(..., help="Заводской номер."),
                 on: str = typer.Option(..., "--date", help=DATE_HELP),
                 value: list[int] = typer.Option(..., "--value", help="Показание при выводе по зонам."),
                 doc: str = typer.Option(None, "--doc", help="Номер акта.")) -> None:
    with common.store() as st:
        common_meters.remove_common_meter(st, serial, common.date_arg(on), value, doc)
    common.err(f"ОДПУ {serial} выведен из работы.")


@sub.command("meter-state", help="Состояние ОДПУ с даты: исправен, неисправен или утрачен.")
def meter_state(serial: str = typer.Argument(..., help="Заводской номер."),
                state: str = typer.Argument(..., help="Состояние: исправен (working), неисправен (broken) или утрачен (lost)."),
                on: str = typer.Option(..., "--date", help=DATE_HELP)) -> None:
    code = common.code_arg("meter_state", state, "Состояние прибора")
    with common.store() as st:
        common_meters.set_meter_state(st, serial, code, common.date_arg(on))
    common.err(f"ОДПУ {serial}: состояние «{label('meter_state', code)}» с {common.date_arg(on):%d.%m.%Y}.")


@sub.command("verify", help="Изменение даты поверки ОДПУ.")
def verify(serial: str = typer.Argument(..., help="Заводской номер."),
           on: str = typer.Option(..., "--date", help="Дата поверки."),
           interval: int = typer.Option(None, "--interval", help="Новый межповерочный интервал, лет.")) -> None:
    with common.store() as st:
        common_meters.verify_meter(st, serial, common.date_arg(on), interval)
    common.err(f"ОДПУ {serial}: поверка {common.date_arg(on):%d.%m.%Y}.")


@sub.command("seal", help="Установить пломбу на ОДПУ (прежняя снимается).")
def seal(serial: str = typer.Argument(..., help="Заводской номер."),
         seal_no: str = typer.Option(..., "--no", help="Номер пломбы."),
         on: str = typer.Option(..., "--date", help=DATE_HELP),
         act: str = typer.Option(None, "--act", help="Номер акта.")) -> None:
    with common.store() as st:
        common_meters.add_seal(st, serial, seal_no, common.date_arg(on), act)
    common.err(f"Пломба {seal_no} установлена на ОДПУ {serial}.")


@sub.command("reading", help="Зарегистрировать показания ОДПУ (по зонам: --value Т1 [--value Т2 ...]).")
def reading(serial: str = typer.Argument(..., help="Заводской номер ОДПУ."),
            on: str = typer.Option(..., "--date", help="Дата показаний."),
            value: list[int] = typer.Option(..., "--value", help="Показание, кВт·ч (целое)."),
            code: str = typer.Option(None, "--building", help="Код дома (проверка).")) -> None:
    with common.store() as st:
        res = common_meters.enter_reading(st, serial, common.date_arg(on), value, code)
    if res.rejected:
        for msg in res.rejected:
            common.err(f"Отклонено: {msg}")
        raise typer.Exit(1)
    common.err(f"Показания ОДПУ {serial} на {common.date_arg(on):%d.%m.%Y} приняты ({res.accepted}).")


@sub.command("import", help="Загрузить показания ОДПУ: шаблон sbyt (CSV/XLSX) или книга ГИС ЖКХ (.xlsx). "
                            "Сначала проверяется весь файл; при ошибках ничего не пишется.")
def import_(path: Path = typer.Argument(..., help="Файл показаний."),
            fmt: str = typer.Option("template", "--format", help="template (шаблон sbyt) или gis (ГИС ЖКХ).")) -> None:
    from sbyt.io import gis_meter_readings, odpu_readings

    data = files.read(path)
    sha = hashlib.sha256(data).hexdigest()
    with common.store() as st:
        common_meters.check_not_imported(st, fmt, sha)
        skipped = 0
        if fmt == "gis":
            records, errors, skipped = gis_meter_readings.parse(data, path.name)
        else:
            records, errors = odpu_readings.parse(data, path.name)
        res = common_meters.import_readings(st, path.name, sha, records, errors, fmt, skipped)
    common.err(f"Загружено: строк {res.rows}, показаний {res.readings}"
               + (f", пропущено строк других ресурсов {res.skipped}" if res.skipped else "")
               + f" (пакет {res.batch_id}).")


@sub.command("template", help="Записать шаблон загрузки показаний ОДПУ (CSV для Excel).")
def template(path: Path = typer.Argument(Path("odpu_readings.csv"), help="Куда записать.")) -> None:
    from sbyt.io.odpu_readings import TEMPLATE_COLUMNS
    from sbyt.io.tabular import csv_bytes

    files.write(path, csv_bytes(TEMPLATE_COLUMNS, [["B00000001", "012345678", "25.11.2026", 12345, None, None]]))
    common.err(f"Шаблон записан: {path}")


@sub.command("odn", help="Рассчитать ОДН за открытый период отдельно от месячного расчёта "
                         "(индивидуальные объёмы — из начислений периода).")
def odn(period: str = typer.Option(None, "--period", help="Период ГГГГ-ММ (по умолчанию открытый).")) -> None:
    from sbyt.calc.odn import run_odn
    from sbyt.core.period_state import open_period

    with common.store() as st:
        p = common.period_arg(period) or open_period(st)
        s = run_odn(st, p, progress=common.err)
    common.err(f"ОДН за {period_label(p)}: домов {s.buildings} (по ОДПУ {s.by_readings}, по среднему "
               f"{s.by_average}, по нормативу {s.by_normative}), небалансов {s.imbalances}; жителям "
               f"{s.residents_lines} строк, {s.residents_wh / 1000:.3f} кВт·ч; управляющим организациям "
               f"{s.manager_wh / 1000:.3f} кВт·ч.")


def register(app: typer.Typer) -> None:
    app.add_typer(sub)
