"""`sbyt prices import|list|show|template`: the legal-entity price data (docs/prices.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from sbyt.console.cli import common, files
from sbyt.core.errors import SbytError

prices = typer.Typer(name="prices", help="Цены для юридических лиц: составляющие цены, почасовые ставки, часы "
                                         "пиковой нагрузки АТС и СО, плановые почасовые объёмы.",
                     no_args_is_help=True)

KIND_HELP = ("price_table — составляющие цены, price_hours — почасовые ставки ЦК 3–6, peak_hours — часы пиковой "
             "нагрузки АТС (calcfacthour), so_windows — плановые часы СО, hour_plan — плановые объёмы ЦК 5–6")


@prices.command("import", help="Загрузить файл цен (CSV, XLSX; файл АТС calcfacthour — XLS). Вид файла "
                               "определяется по имени и содержимому или задаётся --kind. Файл проверяется целиком: "
                               "при любой ошибке ничего не записывается, выводится каждая ошибка с файлом и строкой; "
                               "тот же файл дважды не загружается. Более новый файл за месяц заменяет строки тех же "
                               "ключей; цены закрытого месяца можно исправить — разница войдёт в перерасчёт.")
def import_(file: Path = typer.Argument(..., metavar="FILE", help="Файл цен."),
            kind: str = typer.Option(None, "--kind", help=KIND_HELP + "."),
            region: str = typer.Option(None, "--region", help="Код региона АТС для часов пиковой нагрузки, если "
                                       "его нет в имени файла (ГГГГММ_УЧАСТНИК_РЕГИОН_calcfacthour.xls).")) -> None:
    from sbyt.console.progress import stage_progress
    from sbyt.core.prices import import_prices
    from sbyt.io.price_files import parse

    data = files.read(file)
    with stage_progress(f"Загрузка {file.name}") as tick:
        tick("разбор файла", 0.1)
        inp = parse(data, file.name, kind, region)
        tick("проверка и запись", 0.4)
        with common.store() as st:
            report = import_prices(st, inp)
        tick("готово", 1.0)
    for line in report.lines():
        common.err(line)


@prices.command("list", help="Загруженные файлы цен: вид, файл, когда и кем загружен, строк в файле и действующих "
                             "(не заменённых более новым файлом), месяцы и что файл содержит.")
def list_(period: str = typer.Option(None, "--period", help="Только файлы с данными за месяц ГГГГ-ММ."),
          fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.periods import period_label
    from sbyt.core.prices import KIND_TITLES, list_batches

    with common.store(read_only=True) as st:
        rows = list_batches(st, common.period_arg(period))
    def months(ps: list[int] | None) -> str:
        ps = ps or []
        if len(ps) > 3:
            return f"{period_label(ps[0])} – {period_label(ps[-1])} ({len(ps)} мес.)"
        return ", ".join(period_label(p) for p in ps)

    common.emit(["пакет", "вид", "файл", "загружен", "кем", "строк", "действует", "месяцы", "содержание"],
                [(b, KIND_TITLES[k], f, at, by, n, live, months(ps), note)
                 for b, k, f, at, by, n, live, ps, note in rows], fmt, title="Файлы цен")


@prices.command("show", help="Цены месяца: составляющие по ценовой категории и уровню напряжения; для категорий 1–2 — "
                             "конечная цена (сумма составляющих) с передачей (договор энергоснабжения) и без неё "
                             "(купли-продажи); для категорий 3–6 — ставки за мощность и передачу и наименьшая, "
                             "наибольшая и средняя почасовая ставка.")
def show(period: str = typer.Option(..., "--period", help="Месяц ГГГГ-ММ."),
         category: int = typer.Option(None, "--category", min=1, max=6, help="Ценовая категория 1–6."),
         voltage: str = typer.Option(None, "--voltage", help="Уровень напряжения: ВН, СН1, СН2, НН."),
         fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core import labels
    from sbyt.core.periods import period_label
    from sbyt.core.prices import COMPONENTS, components_of, final_price, hourly_range
    from sbyt.io.price_files import voltage_code

    p = common.period_arg(period)
    volt = None
    if voltage is not None:
        volt = voltage_code(voltage)
        if volt not in ("VN", "SN1", "SN2", "NN"):
            raise SbytError(f"Уровень напряжения: ВН, СН1, СН2 или НН, а не «{voltage}».")
    with common.store(read_only=True) as st:
        lines = components_of(st, p, category, volt)
        hours = hourly_range(st, p, category, volt)
    if not lines and not hours:
        raise SbytError(f"Цен за {period_label(p)} в базе нет" + (" для выбранной категории и напряжения" if
                                                               category or volt else "") + ".")
    tables = {}
    one = [ln for ln in lines if ln.category <= 2]
    if one:
        used = [c for c in COMPONENTS if any(c in ln.components for ln in one)]
        rows = []
        for ln in one:
            per_mwh = {c: v for c, v in ln.components.items()}
            rows.append((ln.category, ln.voltage, f"{labels.zone_label(ln.zones, ln.zone)} ({ln.zones} зоны)" if ln.zones else "",
                         *[ln.components.get(c) for c in used],
                         final_price(per_mwh, "supply"), final_price(per_mwh, "sale")))
        tables["final"] = common.table(
            ["ЦК", "напряжение", "зона", *[labels.label("price_component", c) for c in used],
             "цена, руб./МВт·ч (энергоснабжение)", "цена без передачи (купля-продажа)"], rows,
            f"Конечная цена ЦК 1–2 за {period_label(p)}, руб./МВт·ч без НДС", codes={"напряжение": "voltage"})
    many = [ln for ln in lines if ln.category > 2]
    if many:
        used = [c for c in COMPONENTS if any(c in ln.components for ln in many)]
        tables["rates"] = common.table(
            ["ЦК", "напряжение", *[labels.label("price_component", c) for c in used]],
            [(ln.category, ln.voltage, *[ln.components.get(c) for c in used]) for ln in many],
            f"Ставки ЦК 3–6 за {period_label(p)} без НДС (мощность, содержание сетей — руб./МВт в месяц; "
            "остальное — руб./МВт·ч)", codes={"напряжение": "voltage"})
    if hours:
        tables["hours"] = common.table(
            ["ЦК", "напряжение", "ставка", "наименьшая", "наибольшая", "средняя", "часов"], hours,
            f"Почасовые ставки за {period_label(p)}, руб./МВт·ч без НДС",
            codes={"напряжение": "voltage", "ставка": "price_rate"})
    common.emit_tables(tables, fmt)


@prices.command("template", help="Записать пустой шаблон файла цен: XLSX или CSV по расширению OUT (часы пиковой "
                                 "нагрузки — в раскладке файла АТС; почасовые ставки в XLSX — по листу на категорию, "
                                 "напряжение и ставку). Колонки — docs/prices.md.")
def template(kind: str = typer.Argument(..., metavar="KIND", help=KIND_HELP + "."),
             out: Path = typer.Argument(..., metavar="OUT", help="Куда записать (.xlsx или .csv)."),
             period: str = typer.Option(None, "--period", help="Месяц ГГГГ-ММ: дни месяца в шаблоне почасовых "
                                        "ставок и рабочие дни в шаблоне часов пиковой нагрузки.")) -> None:
    from sbyt.io.price_files import template as make

    files.write(out, make(kind, out.name, common.period_arg(period)))
    common.err(f"Шаблон {kind} записан: {out}.")


def register(app: typer.Typer) -> None:
    app.add_typer(prices)
