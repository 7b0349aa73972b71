"""`sbyt debt`: debt collection (ПИР) — select debtors, start cases, tasks, events, stages,
documents with approval and printing, executive documents, repayment schedules, bankruptcy,
write-off, limitation, state duty (docs/collection.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from sbyt.console.cli import common
from sbyt.core.errors import SbytError

debt_app = typer.Typer(name="debt", help="Претензионно-исковая работа (ПИР): отбор должников, дела, задачи, события, "
                                         "документы, суд, ФССП, реструктуризация, банкротство, списание.",
                       no_args_is_help=True)

LEGAL_HELP = "Юридические лица (договоры) вместо граждан (лицевых счетов)."
DATE_HELP = "Дата ДД.ММ.ГГГГ или ГГГГ-ММ-ДД (по умолчанию сегодня)."


def _day(text: str | None) -> date:
    from sbyt.core import clock

    return common.date_arg(text) or clock.today()


def _kop(text: str | None) -> int | None:
    from sbyt.core.money import kop

    value = common.decimal_arg(text)
    return None if value is None else kop(value)


def _rub(kop: int | None):  # noqa: ANN202 - Decimal | None
    from sbyt.core.money import rub

    return None if kop is None else rub(int(kop))


def _filter(legal: bool, *, district: int | None, settlement: int | None, street: int | None,
            building: int | None, service: str | None, months: int, debt: str | None, manager: int | None,
            grid: str | None, responsible: str | None, stage: str | None, no_absent: bool, no_disconnected: bool,
            no_impossible: bool, restriction_executor: str | None, planned_from: str | None, planned_to: str | None,
            threshold: bool, counterparty_kind: str | None) -> object:
    from sbyt.core.debtors import DebtorFilter, LegalDebtorFilter

    min_debt = _kop(debt) or 1
    if legal:
        return LegalDebtorFilter(grid_company=grid, counterparty_kind=counterparty_kind, min_periods=months,
                                 min_debt_kop=min_debt, stage=stage, responsible=responsible)
    return DebtorFilter(district_id=district, settlement_id=settlement, street_id=street, building_id=building,
                        service=service, min_periods=months, min_debt_kop=min_debt, exclude_disconnected=no_disconnected,
                        manager_id=manager, grid_company=grid, responsible=responsible, stage=stage,
                        exclude_absent=no_absent, exclude_no_restriction=no_impossible, restriction_executor=restriction_executor,
                        planned_from=common.date_arg(planned_from), planned_to=common.date_arg(planned_to),
                        over_threshold=threshold)


def _filter_options(func):  # noqa: ANN001, ANN202 - a decorator adding the workplace's filters
    import functools
    import inspect

    opts = [
        ("legal", bool, typer.Option(False, "--legal", help=LEGAL_HELP)),
        ("district", int | None, typer.Option(None, "--district", help="Район (id).")),
        ("settlement", int | None, typer.Option(None, "--settlement", help="Населённый пункт (id).")),
        ("street", int | None, typer.Option(None, "--street", help="Улица (id).")),
        ("building", int | None, typer.Option(None, "--building", help="Дом (id).")),
        ("service", str | None, typer.Option(None, "--service", help="Услуга: electricity, odn.")),
        ("months", int, typer.Option(1, "--months", help="Неоплаченных месяцев не меньше N.")),
        ("debt", str | None, typer.Option(None, "--debt", help="Долг не меньше суммы, ₽.")),
        ("manager", int | None, typer.Option(None, "--manager", help="Управляющая организация дома (id).")),
        ("grid", str | None, typer.Option(None, "--grid", help="Сетевая организация.")),
        ("responsible", str | None, typer.Option(None, "--responsible", help="Ответственный (исполнитель дела).")),
        ("stage", str | None, typer.Option(None, "--stage", help="Этап открытого дела; none — без дела.")),
        ("no_absent", bool, typer.Option(False, "--no-absent", help="Без зарегистрированного временного отсутствия.")),
        ("no_disconnected", bool, typer.Option(False, "--no-disconnected", help="Без отключённых.")),
        ("no_impossible", bool, typer.Option(False, "--no-impossible",
                                             help="Без тех, где ограничение технически невозможно.")),
        ("restriction_executor", str | None, typer.Option(None, "--restriction-executor", help="Исполнитель ограничения (логин).")),
        ("planned_from", str | None, typer.Option(None, "--planned-from", help="Плановая дата ограничения с.")),
        ("planned_to", str | None, typer.Option(None, "--planned-to", help="Плановая дата ограничения по.")),
        ("threshold", bool, typer.Option(False, "--threshold",
                                         help="Долг больше двух месячных начислений по нормативу (ПП 354 п. 117).")),
        ("counterparty_kind", str | None, typer.Option(None, "--counterparty-kind",
                                                       help="Юрлица: legal, sole_trader, manager, budget.")),
    ]
    sig = inspect.signature(func)
    params = [p for p in sig.parameters.values() if p.name != "flt"]
    params += [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=o, annotation=t) for n, t, o in opts]

    @functools.wraps(func)
    def wrapper(**kw):  # noqa: ANN003, ANN202
        legal = kw.pop("legal")
        flt = _filter(legal, **{n: kw.pop(n) for n, _, _ in opts if n != "legal"})
        return func(flt=(legal, flt), **kw)
    wrapper.__signature__ = sig.replace(parameters=params)
    return wrapper


@debt_app.command("select", help="Отбор должников по условиям «Работы с должниками»; --save сохраняет отбор "
                                 "(с --auto — для автоматического запуска ПИР после закрытия месяца).")
@_filter_options
def select_cmd(flt, on: str = typer.Option(None, "--date", help=DATE_HELP),  # noqa: ANN001
               save: str = typer.Option(None, "--save", help="Сохранить отбор под именем."),
               auto: bool = typer.Option(False, "--auto", help="Запускать ПИР по отбору после закрытия месяца."),
               limit: int = typer.Option(None, "--limit", help="Не больше N строк."),
               fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.collection_branches import save_selection
    from sbyt.core.debtors import find_debtors, find_legal_debtors

    legal, f = flt
    day = _day(on)
    with common.store() as st:
        if save:
            save_selection(st, save, "legal" if legal else "household", f, auto_start=auto)
        if legal:
            rows = [(d.contract, d.counterparty, d.inn, d.oldest_period, d.unpaid_periods, _rub(d.debt_kop),
                     _rub(d.penalty_kop), d.days_overdue) for d in find_legal_debtors(st, f, day, limit)]
            cols = ["договор", "контрагент", "ИНН", common.month("с месяца"), "месяцев", common.money("долг, ₽"),
                    common.money("пени, ₽"), "дней просрочки"]
        else:
            rows = [(d.number, d.holder_name, d.address, d.oldest_period, d.unpaid_periods, _rub(d.debt_kop),
                     _rub(d.penalty_kop), d.days_overdue) for d in find_debtors(st, f, day, limit)]
            cols = ["лицевой счёт", "абонент", "адрес", common.month("с месяца"), "месяцев", common.money("долг, ₽"),
                    common.money("пени, ₽"), "дней просрочки"]
    common.emit(cols, rows, fmt, title=f"Должники на {day:%d.%m.%Y}")
    common.err(f"Должников: {len(rows)}." + (f" Отбор сохранён: «{save}»." if save else ""))


@debt_app.command("start", help="Начать претензионно-исковую работу: по отбору (условия или --selection), "
                                "по лицевым счетам (--account) или договорам (--contract).")
@_filter_options
def start_cmd(flt, on: str = typer.Option(None, "--date", help=DATE_HELP),  # noqa: ANN001
              selection: str = typer.Option(None, "--selection", help="Сохранённый отбор."),
              account: list[str] = typer.Option(None, "--account", help="Лицевой счёт (можно несколько раз)."),
              contract: list[str] = typer.Option(None, "--contract", help="Договор (можно несколько раз)."),
              executor: str = typer.Option(None, "--executor", help="Исполнитель (логин) всех начатых дел.")) -> None:
    from sbyt.console.progress import stage_progress
    from sbyt.core.collection import start_cases
    from sbyt.core.collection_branches import load_selection, select_ids

    legal, f = flt
    day = _day(on)
    with stage_progress("Запуск ПИР") as tick, common.store() as st:
        kind = "legal" if legal or contract else "household"
        if account or contract:
            numbers = list(account or contract)
            table = "account" if account else "contract"
            found = dict(st.all(f"SELECT number, id FROM {table} WHERE number IN (SELECT unnest(?))", [numbers]))
            missing = [n for n in numbers if n not in found]
            if missing:
                raise SbytError(("Лицевые счета" if account else "Договоры") + " не найдены: " + ", ".join(missing) + ".")
            ids = list(found.values())
        elif selection:
            kind, f = load_selection(st, selection)
            ids = select_ids(st, kind, f, day)
        else:
            ids = select_ids(st, kind, f, day)
        tick("отбор", 0.4)
        res = start_cases(st, kind, ids, day, executor=executor, selection=selection)
        tick("готово", 1.0)
    if res.started:
        common.err(f"Начато дел: {res.started} ({res.first} … {res.last}); пропущено: {res.skipped} "
                   "(уже в работе или без просроченного долга).")
    else:
        common.err(f"Новых дел нет: отобрано {len(ids)}, все уже в работе или без просроченного долга.")


@debt_app.command("auto", help="Запустить ПИР по сохранённым отборам с автоматическим запуском.")
def auto_cmd(on: str = typer.Option(None, "--date", help=DATE_HELP)) -> None:
    from sbyt.core.collection_branches import auto_start

    with common.store() as st:
        res = auto_start(st, _day(on))
    if not res:
        common.err("Отборов с автоматическим запуском нет (sbyt debt select … --save ИМЯ --auto).")
    for name, r in res:
        common.err(f"«{name}»: начато дел {r.started}, пропущено {r.skipped}.")


@debt_app.command("selections", help="Сохранённые отборы должников.")
def selections_cmd(fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store(read_only=True) as st:
        rows = st.all("SELECT name, debtor_kind, auto_start, filter, created_by FROM debt_selection ORDER BY name")
    common.emit(["отбор", "должники", "автозапуск", "условия", "кто"],
                [(n, "юрлица" if k == "legal" else "граждане", "да" if a else "нет", f, u) for n, k, a, f, u in rows],
                fmt, title="Сохранённые отборы")


@debt_app.command("cases", help="Дела ПИР: номер, должник, этап, исполнитель, долг и пени на начало.")
def cases_cmd(stage: str = typer.Option(None, "--stage", help="Этап."),
              executor: str = typer.Option(None, "--executor", help="Исполнитель (логин)."),
              closed: bool = typer.Option(False, "--closed", help="Закрытые вместо открытых."),
              legal: bool = typer.Option(None, "--legal/--household", help="Только юрлица / только граждане."),
              limit: int = typer.Option(None, "--limit", help="Не больше N строк."),
              fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.collection import cases

    with common.store(read_only=True) as st:
        rows = [(c.number, c.debtor_no, c.debtor_name, c.stage, c.stage_since, c.executor or "", c.opened,
                 _rub(c.principal_kop), _rub(c.penalty_kop))
                for c in cases(st, status="closed" if closed else "open", stage=stage, executor=executor,
                               debtor_kind=None if legal is None else "legal" if legal else "household", limit=limit)]
    common.emit(["дело", "должник", "наименование", "этап", "с", "исполнитель", "начато", common.money("долг, ₽"),
                 common.money("пени, ₽")], rows, fmt, title="Дела ПИР", codes={"этап": "debt_stage"})


@debt_app.command("show", help="Карточка дела: должник, этап, месяцы долга со сроком давности, события, задачи, "
                               "документы.")
def show_cmd(case: str = typer.Argument(..., help="Номер дела, лицевого счёта или договора."),
             fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core import collection as col
    from sbyt.core.collection_docs import docs

    with common.store(read_only=True) as st:
        c = col.find_case(st, case)
        head = [("дело", c.number), ("должник", f"{c.debtor_no} {c.debtor_name}"), ("этап", c.stage),
                ("этап с", c.stage_since), ("исполнитель", c.executor or ""), ("состояние", c.status),
                ("начато", c.opened), ("долг на начало, ₽", _rub(c.principal_kop)),
                ("пени на начало, ₽", _rub(c.penalty_kop)), ("остаток сейчас, ₽", _rub(col.balance_kop(st, c, _day(None))))]
        months = [(p, _rub(d), _rub(n), due, end) for p, d, n, due, end in col.case_periods(st, c.id)]
        evs = [(d, k, s, _rub(a), ch or "", n or "", u) for _, d, k, s, a, ch, n, u in col.events(st, c.id)]
        tks = [(t.id, t.stage, t.title, t.assignee or t.role, t.due, t.status) for t in col.tasks(st, tab="case",
                                                                                               case_id=c.id)]
        dcs = [(d.doc_no, d.doc_date, d.kind, _rub(d.principal_kop), _rub(d.penalty_kop), _rub(d.duty_kop), d.status)
               for d in docs(st, case_id=c.id)]
    common.emit_tables({
        "case": common.table(["поле", "значение"], head, f"Дело {c.number}", codes={}),
        "months": common.table([common.month("месяц"), common.money("долг, ₽"), common.money("пени, ₽"), "срок оплаты",
                                "давность до"], months, "Месяцы долга"),
        "events": common.table(["дата", "событие", "этап", common.money("сумма, ₽"), "канал", "примечание", "кто"], evs,
                               "События", codes={"событие": "debt_event", "этап": "debt_stage"}),
        "tasks": common.table(["№", "этап", "задача", "исполнитель", "срок", "состояние"], tks, "Задачи",
                              codes={"этап": "debt_stage", "состояние": "debt_task_status"}),
        "docs": common.table(["номер", "дата", "документ", common.money("долг, ₽"), common.money("пени, ₽"),
                              common.money("госпошлина, ₽"), "состояние"], dcs, "Документы",
                             codes={"документ": "debt_doc", "состояние": "debt_doc_status"}),
    }, fmt)


@debt_app.command("tasks", help="Задачи: мне (--tab mine), перенаправленные мной (forwarded), все открытые (all).")
def tasks_cmd(tab: str = typer.Option("mine", "--tab", help="mine, forwarded или all."),
              user: str = typer.Option(None, "--user", help="Чьи задачи (по умолчанию свои)."),
              fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.access import session_of
    from sbyt.core.collection import tasks

    if tab not in ("mine", "forwarded", "all"):
        raise SbytError("--tab: mine, forwarded или all.")
    with common.store(read_only=True) as st:
        login = user or session_of(st).login
        rows = [(t.id, t.case_number, t.debtor_no, t.debtor_name, t.stage, t.title, t.assignee or t.role, t.due,
                 t.status) for t in tasks(st, login=login, tab=tab)]
    common.emit(["№", "дело", "должник", "наименование", "этап", "задача", "исполнитель", "срок", "состояние"], rows,
                fmt, title={"mine": f"Задачи: {login}", "forwarded": f"Перенаправленные: {login}",
                            "all": "Открытые задачи"}[tab],
                codes={"этап": "debt_stage", "состояние": "debt_task_status"})


@debt_app.command("done", help="Отметить задачу выполненной.")
def done_cmd(task: int = typer.Argument(..., help="Номер задачи.")) -> None:
    from sbyt.core.collection import finish_task

    with common.store() as st:
        finish_task(st, task)
    common.err(f"Задача № {task} выполнена.")


@debt_app.command("forward", help="Перенаправить задачу другому пользователю.")
def forward_cmd(task: int = typer.Argument(..., help="Номер задачи."),
                to: str = typer.Option(..., "--to", help="Кому (логин)."),
                note: str = typer.Option(None, "--note", help="Комментарий.")) -> None:
    from sbyt.core.collection import forward_task

    with common.store() as st:
        new = forward_task(st, task, to, note)
    common.err(f"Задача № {task} перенаправлена пользователю «{to}» (новая задача № {new}).")


@debt_app.command("event", help="Записать событие дела: notice_sent, notice_delivered, claim_sent, restricted, "
                                "disconnected, reconnected, filed, order_issued, order_cancelled, judgment, "
                                "writ_received, sent_fssp, recovered, acknowledged, … (список — в docs/collection.md).")
def event_cmd(case: str = typer.Argument(..., help="Номер дела, лицевого счёта или договора."),
              kind: str = typer.Argument(..., help="Событие."),
              on: str = typer.Option(None, "--date", help=DATE_HELP),
              amount: str = typer.Option(None, "--amount", help="Сумма, ₽."),
              channel: str = typer.Option(None, "--channel", help="Способ доставки: epd, hand, mail, sms, email, "
                                                                 "gis, portal, phone."),
              note: str = typer.Option(None, "--note", help="Примечание.")) -> None:
    from sbyt.core.collection import add_event
    from sbyt.core.labels import label

    with common.store() as st:
        c = add_event(st, case, kind, _day(on), amount_kop=_kop(amount), channel=channel, note=note)
    common.err(f"Дело {c.number}: {label('debt_event', kind)}; этап — {label('debt_stage', c.stage)}.")


@debt_app.command("close-paid", help="Закрыть дела, по которым долг погашен (событие «долг погашен»).")
def close_paid_cmd(on: str = typer.Option(None, "--date", help=DATE_HELP)) -> None:
    from sbyt.core.collection import close_paid

    with common.store() as st:
        closed = close_paid(st, _day(on))
    common.err(f"Закрыто дел (долг погашен): {len(closed)}" + (" — " + ", ".join(closed) if closed else "") + ".")


@debt_app.command("stage", help="Перевести дело на этап (из допустимых для текущего); closed — закрыть.")
def stage_cmd(case: str = typer.Argument(..., help="Номер дела, лицевого счёта или договора."),
              stage: str = typer.Argument(..., help="Этап."),
              on: str = typer.Option(None, "--date", help=DATE_HELP),
              note: str = typer.Option(None, "--note", help="Примечание (при закрытии — причина).")) -> None:
    from sbyt.core.collection import set_stage
    from sbyt.core.labels import label

    with common.store() as st:
        c = set_stage(st, case, stage, _day(on), note)
    common.err(f"Дело {c.number}: этап — {label('debt_stage', c.stage)}.")


@debt_app.command("executor", help="Назначить исполнителя дела.")
def executor_cmd(case: str = typer.Argument(..., help="Номер дела."),
                 login: str = typer.Argument(..., help="Логин исполнителя."),
                 on: str = typer.Option(None, "--date", help=DATE_HELP)) -> None:
    from sbyt.core.collection import set_executor

    with common.store() as st:
        c = set_executor(st, case, login, _day(on))
    common.err(f"Дело {c.number}: исполнитель — {login}.")


@debt_app.command("assign", help="Закрепить территорию (или сетевую организацию) за исполнителем: новые дела "
                                 "получают его. SCOPE: all, district, settlement, street, building, grid_company.")
def assign_cmd(scope: str = typer.Argument(..., help="Область."),
               key: str = typer.Argument(..., help="Её id (или название сетевой организации; для all — «-»)."),
               login: str = typer.Argument(..., help="Логин исполнителя."),
               legal: bool = typer.Option(False, "--legal", help=LEGAL_HELP)) -> None:
    from sbyt.core.access import check

    scopes = ("all", "district", "settlement", "street", "building", "grid_company")
    if scope not in scopes:
        raise SbytError("Область: " + ", ".join(scopes) + ".")
    with common.store() as st:
        check(st, "debt.approve")
        with st.transaction():
            st.execute("INSERT OR REPLACE INTO debt_assignment VALUES (?, ?, ?, ?)",
                       [scope, "" if scope == "all" else key, "legal" if legal else "household", login])
            st.audit("assign", "debt_assignment", f"{scope}:{key}", None, login)
    common.err(f"Закреплено: {scope} {key} → {login}.")


@debt_app.command("doc", help="Подготовить документ дела на согласование: notice, claim, restriction_notice, "
                              "restriction_order, reconnection_order, court_order_application, lawsuit, "
                              "bankruptcy_claim, writeoff_act.")
def doc_cmd(case: str = typer.Argument(..., help="Номер дела, лицевого счёта или договора."),
            kind: str = typer.Argument(..., help="Документ."),
            on: str = typer.Option(None, "--date", help=DATE_HELP),
            court: str = typer.Option(None, "--court", help="Суд (наименование) для судебных документов."),
            restrict_on: str = typer.Option(None, "--restrict-on", help="Дата ограничения."),
            disputed: bool = typer.Option(False, "--disputed", help="Требование оспаривается (только иск).")) -> None:
    from sbyt.core.collection_docs import doc_row, prepare_doc
    from sbyt.core.labels import label
    from sbyt.core.money import format_rub

    with common.store() as st:
        doc_id = prepare_doc(st, case, kind, _day(on), court_name=court, restrict_on=common.date_arg(restrict_on),
                             disputed=disputed)
        row = doc_row(st, doc_id)
    duty = f", госпошлина {format_rub(row[8])}" if row[8] else ""
    common.err(f"Подготовлен документ {row[3]} «{label('debt_doc', kind)}»: долг {format_rub(row[6])}, "
               f"пени {format_rub(row[7])}{duty}. Ждёт согласования (sbyt debt approve {row[3]}).")


@debt_app.command("docs", help="Документы ПИР («Документы к согласованию» — --status approval).")
def docs_cmd(status: str = typer.Option(None, "--status", help="approval, approved или rejected."),
             fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.collection_docs import docs

    with common.store(read_only=True) as st:
        rows = [(d.doc_no, d.doc_date, d.kind, d.case_number, _rub(d.principal_kop), _rub(d.penalty_kop),
                 _rub(d.duty_kop), d.status, d.approved_by or "") for d in docs(st, status=status)]
    common.emit(["номер", "дата", "документ", "дело", common.money("долг, ₽"), common.money("пени, ₽"),
                 common.money("госпошлина, ₽"), "состояние", "согласовал"], rows, fmt, title="Документы ПИР",
                codes={"документ": "debt_doc", "состояние": "debt_doc_status"})


@debt_app.command("approve", help="Согласовать документ ПИР (или отклонить: --reject).")
def approve_cmd(doc: str = typer.Argument(..., help="Номер документа."),
                reject: bool = typer.Option(False, "--reject", help="Отклонить.")) -> None:
    from sbyt.core.collection_docs import approve_doc

    with common.store() as st:
        number = approve_doc(st, doc, reject=reject)
    common.err(f"Документ {number} {'отклонён' if reject else 'согласован'}.")


@debt_app.command("print", help="Печать документов ПИР в один PDF (только согласованные).")
def print_cmd(docs: list[str] = typer.Argument(..., help="Номера документов."),
              out: Path = typer.Option(..., "--out", "-o", help="Файл PDF.")) -> None:
    from sbyt.core.collection_docs import doc_row
    from sbyt.reports.collection_print import print_debt_docs

    with common.store(read_only=True) as st:
        rows = [doc_row(st, d) for d in docs]
        draft = [r[3] for r in rows if r[5] != "approved"]
        if draft:
            raise SbytError("Не согласованы: " + ", ".join(draft) + ". Печатаются только согласованные документы "
                            "(sbyt debt approve).")
        path = print_debt_docs(st, [r[0] for r in rows], out)
    common.err(f"Напечатано документов: {len(rows)} → {path}")


@debt_app.command("writ", help="Исполнительный документ по делу (судебный приказ или исполнительный лист): "
                               "дело переходит на этап «исполнительный документ».")
def writ_cmd(case: str = typer.Argument(..., help="Номер дела."),
             number: str = typer.Option(..., "--number", help="Номер исполнительного документа."),
             kind: str = typer.Option("court_order", "--kind", help="court_order или writ."),
             court: str = typer.Option(..., "--court", help="Суд."),
             court_case: str = typer.Option(..., "--case-no", help="Номер судебного дела."),
             act_date: str = typer.Option(..., "--act-date", help="Дата судебного акта."),
             in_force: str = typer.Option(None, "--in-force", help="Дата вступления в силу."),
             amount: str = typer.Option(..., "--amount", help="Взыскано судом (долг и пени), ₽."),
             duty: str = typer.Option(None, "--duty", help="Госпошлина, ₽."),
             penalty: str = typer.Option(None, "--penalty", help="В том числе пени, ₽."),
             on: str = typer.Option(None, "--date", help="Дата получения (по умолчанию сегодня).")) -> None:
    from sbyt.core.collection_branches import add_writ

    with common.store() as st:
        c = add_writ(st, case, kind, number, court, court_case, common.date_arg(act_date), common.date_arg(in_force),
                     _kop(amount) or 0, _kop(duty) or 0, _day(on), penalty_kop=_kop(penalty))
    common.err(f"Дело {c.number}: исполнительный документ {number} получен.")


@debt_app.command("schedule", help="Заключить график погашения: равными частями (--months, --first) или строками "
                                   "--line ДАТА:СУММА.")
def schedule_cmd(case: str = typer.Argument(..., help="Номер дела."),
                 on: str = typer.Option(None, "--date", help="Дата соглашения."),
                 months: int = typer.Option(None, "--months", help="Число месяцев (равные части)."),
                 first: str = typer.Option(None, "--first", help="Срок первого платежа."),
                 total: str = typer.Option(None, "--total", help="Сумма по графику, ₽ (по умолчанию весь долг)."),
                 line: list[str] = typer.Option(None, "--line", help="Строка графика ДАТА:СУММА (можно несколько)."),
                 frozen: bool = typer.Option(False, "--frozen", help="Пени на период графика не начисляются.")) -> None:
    from sbyt.core.collection import balance_kop, find_case
    from sbyt.core.collection_branches import conclude_schedule, even_lines

    day = _day(on)
    with common.store() as st:
        if line:
            lines = []
            for text in line:
                d, _, a = text.partition(":")
                if not common.date_arg(d) or not a:
                    raise SbytError(f"Строка графика «{text}»: нужно ДАТА:СУММА.")
                lines.append((common.date_arg(d), _kop(a)))
        else:
            if not months or not first:
                raise SbytError("Укажите --months и --first или строки --line.")
            amount = _kop(total) or balance_kop(st, find_case(st, case), day)
            lines = even_lines(amount, months, common.date_arg(first))
        number = conclude_schedule(st, case, day, lines, penalty_mode="frozen" if frozen else "accrue")
    common.err(f"Заключён график погашения {number}: строк {len(lines)}.")


@debt_app.command("schedules", help="Журнал учёта графиков погашения; --check проверяет исполнение на дату.")
def schedules_cmd(check: bool = typer.Option(False, "--check", help="Проверить исполнение графиков."),
                  on: str = typer.Option(None, "--date", help=DATE_HELP),
                  fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.collection_branches import check_schedules

    day = _day(on)
    with common.store(read_only=not check) as st:
        if check:
            res = check_schedules(st, day)
            common.err(f"Проверено графиков: {len(res)}; нарушено: {sum(r.status == 'broken' for r in res)}; "
                       f"исполнено: {sum(r.status == 'completed' for r in res)}.")
        rows = st.all("SELECT s.number, c.number, s.concluded, s.total_kop, (SELECT count(*) FROM debt_schedule_line l"
                      " WHERE l.schedule_id = s.id), (SELECT min(l.due) FROM debt_schedule_line l WHERE l.schedule_id = s.id"
                      " AND l.due >= ?), s.penalty_mode, s.status, s.status_date FROM debt_schedule s"
                      " JOIN debt_case c ON c.id = s.case_id ORDER BY s.id", [day])
    common.emit(["график", "дело", "заключён", common.money("сумма, ₽"), "строк", "ближайший срок", "пени", "состояние",
                 "с"], [(a, b, c, _rub(d), e, f, "не начисляются" if g == "frozen" else "начисляются", h, i)
                        for a, b, c, d, e, f, g, h, i in rows], fmt, title="Журнал графиков погашения",
                codes={"состояние": "debt_schedule_status"})


@debt_app.command("bankruptcy", help="Банкротство должника: процедура и даты; долг делится на реестровый и текущий.")
def bankruptcy_cmd(case: str = typer.Argument(..., help="Номер дела."),
                   procedure: str = typer.Option(..., "--procedure", help="Процедура: observation (наблюдение), "
                                     "liquidation (конкурсное производство), realisation (реализация имущества "
                                     "гражданина), restructuring_debts (реструктуризация долгов), completed."),
                   accepted: str = typer.Option(..., "--petition-accepted", help="Принято заявление о банкротстве."),
                   started: str = typer.Option(..., "--procedure-date", help="Введена процедура."),
                   court_case: str = typer.Option(None, "--case-no", help="Номер дела о банкротстве."),
                   deadline: str = typer.Option(None, "--claim-deadline", help="Срок предъявления требования."),
                   filed: str = typer.Option(None, "--claim-filed", help="Требование предъявлено."),
                   claim: str = typer.Option(None, "--claim", help="Сумма требования, ₽.")) -> None:
    from sbyt.core.collection_branches import Bankruptcy, set_bankruptcy
    from sbyt.core.money import format_rub

    with common.store() as st:
        parts = set_bankruptcy(st, case, Bankruptcy(procedure, common.date_arg(accepted), common.date_arg(started),
                                                    court_case, common.date_arg(deadline), common.date_arg(filed),
                                                    _kop(claim)))
    common.err(f"Банкротство записано: реестровая задолженность {format_rub(parts['register_kop'])}, "
               f"текущая {format_rub(parts['current_kop'])}.")


@debt_app.command("writeoff", help="Предложить списание безнадёжного долга (основание: limitation, liquidation, "
                                   "impossibility, bankruptcy); --approve N утверждает, --reverse N сторнирует.")
def writeoff_cmd(case: str = typer.Argument(None, help="Номер дела (для нового списания)."),
                 ground: str = typer.Option(None, "--ground", help="Основание."),
                 evidence: str = typer.Option(None, "--evidence", help="Подтверждающий документ."),
                 approve: int = typer.Option(None, "--approve", help="Утвердить списание № N."),
                 reverse: int = typer.Option(None, "--reverse", help="Сторнировать списание № N."),
                 reason: str = typer.Option(None, "--reason", help="Причина сторно."),
                 on: str = typer.Option(None, "--date", help=DATE_HELP)) -> None:
    from sbyt.core.collection_branches import approve_writeoff, propose_writeoff, reverse_writeoff

    day = _day(on)
    with common.store() as st:
        if approve is not None:
            n = approve_writeoff(st, approve, day)
            common.err(f"Списание № {approve} утверждено: проводок {n}; дело закрыто.")
        elif reverse is not None:
            n = reverse_writeoff(st, reverse, day, reason or "поступление оплаты")
            common.err(f"Списание № {reverse} сторнировано: проводок {n}.")
        else:
            if not case or not ground or not evidence:
                raise SbytError("Укажите дело, --ground и --evidence (или --approve N / --reverse N).")
            wid = propose_writeoff(st, case, ground, evidence, day)
            amount = st.scalar("SELECT amount_kop FROM debt_writeoff WHERE id = ?", [wid])
            common.err(f"Списание № {wid} на {amount / 100:.2f} ₽ ждёт утверждения (sbyt debt writeoff --approve {wid}).")


@debt_app.command("limitation", help="Месяцы долга открытых дел с истекшей давностью (очередь на списание) или "
                                     "истекающей в ближайшие N дней (--within).")
def limitation_cmd(on: str = typer.Option(None, "--date", help=DATE_HELP),
                   within: int = typer.Option(0, "--within", help="Истекает в течение N дней."),
                   fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    from sbyt.core.collection_branches import barred_months

    with common.store(read_only=True) as st:
        rows = [(a, b, p, _rub(d), e) for a, b, p, d, e in barred_months(st, _day(on), within_days=within)]
    common.emit(["дело", "должник", common.month("месяц"), common.money("долг, ₽"), "давность до"], rows, fmt,
                title="Срок исковой давности")


@debt_app.command("duty", help="Госпошлина по шкале на дату подачи: суд общей юрисдикции (general) или "
                               "арбитражный (arbitration); --order — заявление о выдаче судебного приказа.")
def duty_cmd(claim: str = typer.Argument(..., help="Цена иска, ₽."),
             court: str = typer.Option("general", "--court", help="general или arbitration."),
             filed: str = typer.Option(None, "--filed", help="Дата подачи."),
             order: bool = typer.Option(False, "--order", help="Судебный приказ.")) -> None:
    from sbyt.core.debt_law import state_duty
    from sbyt.core.money import format_rub

    day = _day(filed)
    with common.store(read_only=True) as st:
        duty = state_duty(st, court, _kop(claim) or 0, day, order=order)
    typer.echo(f"Госпошлина: {format_rub(duty)}")


def register(app: typer.Typer) -> None:
    from sbyt.console.cli.debt_fssp import fssp_app

    debt_app.add_typer(fssp_app, name="fssp")
    app.add_typer(debt_app)
