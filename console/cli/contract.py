"""`sbyt contract ...`: legal-entity contracts from the application to termination; objects, supply
points and measuring complexes; the tasks of the contract procedure."""

from __future__ import annotations

from decimal import Decimal

import typer

from sbyt.console.cli import common
from sbyt.core import clock
from sbyt.core import contracts as svc
from sbyt.core.errors import SbytError
from sbyt.core.labels import label
from sbyt.reports.table import Column

sub = typer.Typer(name="contract", help="Договоры юридических лиц: заявка, документы, проект, согласование, "
                                        "протокол разногласий, подписание, доп. соглашения, расторжение; "
                                        "объекты, точки поставки, приборы учёта; задачи по срокам.",
                  no_args_is_help=True)

DATE_HELP = "Дата документа (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ); по умолчанию — сегодня."
ITEMS_HELP = ("Полученные документы через запятую (коды или названия): application, register_extract, authority, "
              "title, grid_act, meter_act, reserve_act, capacity_doc, scheme; для УК: management_contract, "
              "licence, areas, odpu_docs.")


def _day(text: str | None):  # noqa: ANN202 - a date
    return common.date_arg(text) or clock.today()


def _items(text: str | None) -> list[str]:
    return [i.strip() for i in (text or "").split(",") if i.strip()]


def _missing(missing: list[str]) -> str:
    return ", ".join(label("contract_item", i) for i in missing)


@sub.command("apply", help="Зарегистрировать заявку на договор с полученными документами.")
def apply(number: str = typer.Argument(..., help="Номер договора."),
          counterparty: str = typer.Option(..., "--counterparty", help="ИНН или ИНН/КПП контрагента."),
          kind: str = typer.Option("supply", "--kind", help="Вид: supply — энергоснабжения, sale — купли-продажи, "
                                                            "manager — с УК/ТСЖ для населения."),
          items: str = typer.Option(None, "--docs", help=ITEMS_HELP),
          scheme: str = typer.Option(None, "--payment", help="Порядок оплаты: p82, p81, retailer "
                                                             "(по умолчанию p82, для УК — p81)."),
          on: str = typer.Option(None, "--date", help=DATE_HELP),
          doc: str = typer.Option(None, "--doc", help="Входящий номер заявки.")) -> None:
    kind = common.code_arg("contract_kind", kind, "Вид договора")
    with common.store() as st:
        missing = svc.apply(st, number, counterparty, kind, _day(on), _items(items), payment_scheme=scheme,
                            doc_no=doc)
    common.err(f"Заявка по договору № {number} зарегистрирована."
               + (f" Не хватает документов: {_missing(missing)}." if missing else " Комплект документов полный."))


@sub.command("docs", help="Отметить документы, полученные позже заявки.")
def docs(number: str = typer.Argument(..., help="Номер договора."),
         items: str = typer.Option(..., "--docs", help=ITEMS_HELP),
         on: str = typer.Option(None, "--date", help=DATE_HELP)) -> None:
    with common.store() as st:
        missing = svc.receive(st, number, _items(items), _day(on))
    common.err(f"Документы по договору № {number} получены."
               + (f" Не хватает: {_missing(missing)}." if missing else " Комплект документов полный."))


@sub.command("notice", help="Уведомление заявителя о недостающих документах.")
def notice(number: str = typer.Argument(..., help="Номер договора."),
           on: str = typer.Option(None, "--date", help=DATE_HELP)) -> None:
    with common.store() as st:
        missing = svc.notify_missing(st, number, _day(on))
    common.err(f"Уведомление по договору № {number}: не хватает {_missing(missing)}.")


@sub.command("draft", help="Проект договора подготовлен (после полного комплекта документов).")
def draft(number: str = typer.Argument(..., help="Номер договора."),
          on: str = typer.Option(None, "--date", help=DATE_HELP),
          doc: str = typer.Option(None, "--doc", help="Исходящий номер.")) -> None:
    with common.store() as st:
        svc.make_draft(st, number, _day(on), doc)
    common.err(f"Проект договора № {number} подготовлен.")


@sub.command("approve", help="Согласовать проект договора (право «contracts.approve»).")
def approve(number: str = typer.Argument(..., help="Номер договора."),
            on: str = typer.Option(None, "--date", help=DATE_HELP),
            note: str = typer.Option(None, "--note", help="Замечание.")) -> None:
    with common.store() as st:
        svc.approve(st, number, _day(on), note)
    common.err(f"Проект договора № {number} согласован.")


@sub.command("disagree", help="Получен протокол разногласий от заявителя.")
def disagree(number: str = typer.Argument(..., help="Номер договора."),
             on: str = typer.Option(None, "--date", help=DATE_HELP),
             note: str = typer.Option(None, "--note", help="Суть разногласий.")) -> None:
    with common.store() as st:
        svc.disagreement(st, number, _day(on), note)
    common.err(f"Протокол разногласий по договору № {number} зарегистрирован.")


@sub.command("settle", help="Ответ на протокол разногласий (право «contracts.approve»).")
def settle(number: str = typer.Argument(..., help="Номер договора."),
           on: str = typer.Option(None, "--date", help=DATE_HELP),
           note: str = typer.Option(None, "--note", help="Принятая редакция.")) -> None:
    with common.store() as st:
        svc.answer_disagreement(st, number, _day(on), note)
    common.err(f"Разногласия по договору № {number} урегулированы.")


@sub.command("sign", help="Договор подписан; поставка с даты начала.")
def sign(number: str = typer.Argument(..., help="Номер договора."),
         starts: str = typer.Option(..., "--start", help="Дата начала поставки."),
         ends: str = typer.Option(None, "--end", help="Дата окончания (без неё — бессрочный)."),
         on: str = typer.Option(None, "--date", help=DATE_HELP),
         doc: str = typer.Option(None, "--doc", help="Номер подписанного экземпляра."),
         edo: bool = typer.Option(False, "--edo", help="Обмен документами через оператора ЭДО.")) -> None:
    with common.store() as st:
        svc.sign(st, number, _day(on), common.date_arg(starts), common.date_arg(ends), doc_no=doc, edo=edo)
    common.err(f"Договор № {number} подписан, поставка с {common.date_arg(starts):%d.%m.%Y}.")


@sub.command("amend", help="Доп. соглашение: меняет характеристики точки поставки с даты.")
def amend(number: str = typer.Argument(..., help="Номер договора."),
          doc: str = typer.Option(..., "--doc", help="Номер доп. соглашения (например 03030303/001)."),
          point: str = typer.Option(..., "--point", help="Код точки поставки."),
          effective: str = typer.Option(..., "--from", help="Дата вступления в силу."),
          voltage: str = typer.Option(None, "--voltage", help="Уровень напряжения: ВН, СН1, СН2, НН."),
          max_kw: str = typer.Option(None, "--max-kw", help="Максимальная мощность, кВт."),
          category: int = typer.Option(None, "--category", help="Ценовая категория 1–6."),
          on: str = typer.Option(None, "--date", help=DATE_HELP)) -> None:
    changes: dict = {}
    if voltage is not None:
        changes["voltage"] = common.code_arg("voltage", voltage, "Уровень напряжения")
    if max_kw is not None:
        changes["max_kw"] = common.decimal_arg(max_kw)
    if category is not None:
        changes["price_category"] = category
    with common.store() as st:
        svc.amend(st, number, doc, _day(on), common.date_arg(effective), point, changes)
    common.err(f"Доп. соглашение {doc} к договору № {number} действует с {common.date_arg(effective):%d.%m.%Y}.")


@sub.command("terminate", help="Расторгнуть договор с даты.")
def terminate(number: str = typer.Argument(..., help="Номер договора."),
              effective: str = typer.Option(..., "--from", help="Дата расторжения."),
              reason: str = typer.Option(None, "--reason", help="Основание."),
              on: str = typer.Option(None, "--date", help=DATE_HELP)) -> None:
    with common.store() as st:
        svc.terminate(st, number, _day(on), common.date_arg(effective), reason)
    common.err(f"Договор № {number} расторгнут с {common.date_arg(effective):%d.%m.%Y}.")


@sub.command("history", help="Документы договора по порядку.")
def history(number: str = typer.Argument(..., help="Номер договора."),
            fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store(read_only=True) as st:
        rows = svc.history(st, number)
    common.emit(["Дата", "Документ", "Номер", "Действует с", "Изменения", "Примечание", "Кто"],
                [(d, k, n, e, svc.changes_text(c), note, by) for d, k, n, e, c, note, by in rows], fmt, title=f"Договор № {number}",
                codes={"Документ": "contract_doc"})


@sub.command("tasks", help="Задачи по договорам: что и к какому сроку сделать, просроченные первыми.")
def tasks(fmt: common.Fmt = common.FORMAT_OPTION,
          on: str = typer.Option(None, "--date", help="На дату (по умолчанию — сегодня).")) -> None:
    with common.store(read_only=True) as st:
        rows = svc.tasks(st, _day(on))
    common.emit(["Договор", "ИНН", "Задача", "Срок", "Просрочено, дн."],
                [(t.number, t.counterparty, t.task, t.due, t.overdue_days) for t in rows], fmt,
                title="Задачи по договорам")


@sub.command("object", help="Объект расчёта договора (магазин, цех, нежилое помещение МКД).")
def object_(number: str = typer.Argument(..., help="Номер договора."),
            code: str = typer.Option(..., "--code", help="Код объекта (уникальный)."),
            name: str = typer.Option(..., "--name", help="Наименование."),
            address: str = typer.Option(None, "--address", help="Адрес."),
            building: str = typer.Option(None, "--building", help="Код МКД, если объект — его нежилое помещение."),
            premise: str = typer.Option(None, "--premise", help="Номер нежилого помещения в МКД."),
            on: str = typer.Option(None, "--date", help=DATE_HELP)) -> None:
    with common.store() as st:
        svc.add_object(st, number, code, name, _day(on), address=address, building=building, premise_no=premise)
    common.err(f"Объект {code} добавлен к договору № {number}.")


@sub.command("point", help="Точка поставки объекта: напряжение, максимальная мощность, ценовая категория.")
def point(object_code: str = typer.Argument(..., help="Код объекта."),
          code: str = typer.Option(..., "--code", help="Код точки поставки (уникальный)."),
          voltage: str = typer.Option(..., "--voltage", help="Уровень напряжения: ВН, СН1, СН2, НН."),
          max_kw: str = typer.Option(..., "--max-kw", help="Максимальная мощность, кВт."),
          category: int = typer.Option(1, "--category", help="Ценовая категория 1–6."),
          reliability: int = typer.Option(None, "--reliability", help="Категория надёжности 1–3."),
          name: str = typer.Option(None, "--name", help="Наименование."),
          grid: str = typer.Option(None, "--grid", help="Сетевая организация."),
          boundary: str = typer.Option(None, "--boundary", help="Граница балансовой принадлежности."),
          head: str = typer.Option(None, "--head", help="Точка головного потребителя (для транзитной точки)."),
          tariff_group: str = typer.Option(None, "--tariff-group", help="Потребитель, приравненный к населению: "
                                           "тарифная группа населения, по которой он оплачивает."),
          on: str = typer.Option(None, "--date", help=DATE_HELP)) -> None:
    facts = svc.PointFacts(common.code_arg("voltage", voltage, "Уровень напряжения"), common.decimal_arg(max_kw), category,
                           reliability)
    with common.store() as st:
        svc.add_point(st, object_code, code, _day(on), facts, name=name, grid_company=grid, boundary=boundary,
                      head_point=head, tariff_group=tariff_group)
    common.err(f"Точка поставки {code} добавлена к объекту {object_code}.")


@sub.command("meter", help="Измерительный комплекс точки поставки: прибор учёта и коэффициенты трансформации.")
def meter(point_code: str = typer.Argument(..., help="Код точки поставки."),
          serial: str = typer.Option(..., "--serial", help="Заводской номер."),
          installed: str = typer.Option(..., "--installed", help="Дата установки."),
          model: str = typer.Option(None, "--model", help="Тип прибора."),
          accuracy: str = typer.Option(None, "--accuracy", help="Класс точности."),
          digits: int = typer.Option(6, "--digits", help="Разрядность."),
          ct: int = typer.Option(1, "--ct", help="Коэффициент трансформации тока (150/5 → 30)."),
          vt: int = typer.Option(1, "--vt", help="Коэффициент трансформации напряжения."),
          verified: str = typer.Option(None, "--verified", help="Дата последней поверки."),
          interval: int = typer.Option(None, "--interval", help="Межповерочный интервал, лет."),
          loss: str = typer.Option("0", "--loss", help="Потери до границы балансовой принадлежности, %."),
          askue: str = typer.Option(None, "--askue", help="Код точки измерения АСКУЭ (80020)."),
          channel: str = typer.Option(None, "--channel", help="Код канала АСКУЭ (активная энергия приём).")) -> None:
    spec = svc.MeterSpec(serial, common.date_arg(installed), model, accuracy, digits, ct, vt,
                         common.date_arg(verified), interval, common.decimal_arg(loss), askue, channel)
    with common.store() as st:
        svc.add_meter(st, point_code, spec)
    common.err(f"Прибор учёта {serial} установлен в точке поставки {point_code}.")


@sub.command("volumes", help="Объёмы точки поставки по дням или часам: измерено, транзит, к оплате (кВт·ч).")
def volumes(point_code: str = typer.Argument(..., help="Код точки поставки."),
            first: str = typer.Option(..., "--from", help="С даты."),
            last: str = typer.Option(..., "--to", help="По дату включительно."),
            hourly: bool = typer.Option(False, "--hourly", help="По часам (иначе по дням)."),
            fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.legal_volumes import hourly_volumes

    with common.store(read_only=True) as st:
        svc.point_id(st, point_code)
        rows = hourly_volumes(st, [point_code], common.date_arg(first), common.date_arg(last)).to_pylist()
    if not rows:
        raise SbytError(f"У точки поставки {point_code} нет почасовых данных за этот период.")
    keys = ("measured_wh", "transit_wh", "billed_wh")
    if not hourly:
        days: dict = {}
        for r in rows:
            d = days.setdefault(r["day"], {"day": r["day"], "hour": None, "negative": False, **dict.fromkeys(keys, 0)})
            for k in keys:
                d[k] += r[k]
            d["negative"] |= r["negative"]
        rows = list(days.values())
    kwh = [[Decimal(r[k]) / 1000 for k in keys] for r in rows]
    head = ["Дата", *(["Час"] if hourly else []), "Измерено, кВт·ч", "Транзит, кВт·ч", "К оплате, кВт·ч",
            "Отрицательный"]
    common.emit(head, [(r["day"], *([r["hour"]] if hourly else []), *v, "да" if r["negative"] else "")
                       for r, v in zip(rows, kwh)], fmt, title=f"Объёмы точки поставки {point_code}")


@sub.command("plan", help="Договорные объёмы по месяцам года: заявить (--object с --values или --month) и показать.")
def plan(number: str = typer.Argument(..., help="Номер договора."),
         year: int = typer.Option(..., "--year", help="Год."),
         object_code: str = typer.Option(None, "--object", help="Код объекта расчёта, объёмы которого заявляются."),
         service: str = typer.Option("energy", "--service", help="Услуга: energy — электроэнергия (кВт·ч), "
                                                                 "capacity — мощность (кВт)."),
         values: str = typer.Option(None, "--values", help="12 объёмов с января по декабрь через пробел или «;»."),
         months: list[str] = typer.Option(None, "--month", help="Объём одного месяца: ММ=значение (можно несколько)."),
         on: str = typer.Option(None, "--date", help=DATE_HELP),
         doc: str = typer.Option(None, "--doc", help="Номер документа потребителя."),
         fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.periods import MONTHS_RU

    if not 2000 <= year <= 2100:
        raise SbytError(f"Год {year}: допустимы 2000–2100.")
    volumes = _plan_values(year, values, months or [])
    if volumes and not object_code:
        raise SbytError("Укажите объект расчёта, объёмы которого заявляются: --object КОД.")
    if object_code and not volumes:
        raise SbytError("Укажите объёмы: --values (12 значений) или --month ММ=значение.")
    with common.store(read_only=not volumes) as st:
        if volumes:
            kind = common.code_arg("volume_service", service, "Услуга", svc.VOLUME_SERVICES)
            svc.plan_volumes(st, number, object_code, kind, volumes, _day(on), doc_no=doc)
            what = label("volume_service", kind)
            common.err(f"Договорные объёмы по договору № {number}, объект {object_code} ({what}): "
                       f"заявлено месяцев {len(volumes)}.")
        rows = svc.planned_volumes(st, number, year)
    if not rows:
        common.err(f"По договору № {number} на {year} год объёмы не заявлены.")
    names = [m.capitalize() for m in MONTHS_RU]
    head = ["Объект", "Наименование", "Услуга", "Ед.", *(Column(m, m, "kwh") for m in names),
            Column("За год", "За год", "kwh")]
    common.emit(head, [(r.object_code, r.object_name, r.service, svc.VOLUME_UNITS[r.service], *r.months,
                        sum(v for v in r.months if v is not None) if r.service == "energy" else None) for r in rows],
                fmt, title=f"Договорные объёмы по договору № {number} на {year} год", codes={"Услуга": "volume_service"})


def _plan_values(year: int, values: str | None, months: list[str]) -> dict[int, Decimal]:
    """`--values` (12, January first) or `--month ММ=значение` -> {YYYYMM: volume}."""
    import re

    if values and months:
        raise SbytError("Задайте объёмы либо --values, либо --month.")
    if values:
        items = [v for v in re.split(r"[\s;]+", values.strip()) if v]
        if len(items) != 12:
            raise SbytError(f"Ожидается 12 объёмов (январь–декабрь), а указано {len(items)}.")
        pairs = list(enumerate(items, start=1))
    else:
        pairs = []
        for item in months:
            m, sep, v = item.partition("=")
            if not sep or not m.strip().isdigit() or not 1 <= int(m) <= 12:
                raise SbytError(f"--month «{item}»: ожидается ММ=значение, месяц 01–12.")
            if any(int(m) == k for k, _ in pairs):
                raise SbytError(f"--month: месяц {int(m):02d} указан дважды.")
            pairs.append((int(m), v.strip()))
    out: dict[int, Decimal] = {}
    for month, text in pairs:
        try:
            out[year * 100 + month] = common.decimal_arg(text)
        except SbytError:
            raise SbytError(f"Объём за {month:02d}.{year}: не число «{text}».") from None
    return out

@sub.command("print", help="Печатная форма договора с приложением 1 «Перечень точек поставки и приборов учёта» "
                            "или доп. соглашения (--amendment) в PDF-файл.")
def print_(number: str = typer.Argument(..., help="Номер договора."),
           out: str = typer.Option(..., "--out", "-o", help="PDF-файл результата.", metavar="FILE.pdf"),
           amendment: str = typer.Option(None, "--amendment", help="Номер доп. соглашения (или его id из "
                                                                   "sbyt contract history)."),
           on: str = typer.Option(None, "--on", help="Точки поставки и реквизиты на дату (по умолчанию — на дату "
                                                     "начала поставки, у неподписанного договора — на сегодня).")) -> None:
    from sbyt.console.cli import files
    from sbyt.reports.contract_print import print_contract

    with common.store(read_only=True) as st:
        res = print_contract(st, number, out, amendment=amendment, on=common.date_arg(on), save=files.write)
    common.err(f"{res.title}: {res.pages} стр. в {res.path}.")


def register(app: typer.Typer) -> None:
    from sbyt.console.cli import contract_money, recon

    contract_money.add_commands(sub)     # schedule, pay, balance
    recon.add_commands(sub)              # recon, recon-signed
    app.add_typer(sub)
