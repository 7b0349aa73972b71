"""«Работа с должниками» (F5, docs/collection.md): the workplace's tabs of tasks («Задачи мне»,
«Задачи перенаправленные»), documents for approval and cases, and the case card (its months with
the limitation ends, events, tasks, documents; finishing and forwarding a task, an event, a move to
an allowed stage, the stage's document, approval). Every action is a service of
`sbyt.core.collection` run through `App.call`, so the role of the session (on the file, or of the
server's client) decides and a refusal is the core's Russian message."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Label, Select, Static, TabbedContent, TabPane
from textual.worker import Worker

from sbyt.console import services as sv
from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.widgets.dialogs import ConfirmDialog, PromptDialog
from sbyt.console.widgets.format import day, money, month
from sbyt.console.widgets.nav_bar import NavBar
from sbyt.console.widgets.tables import fill
from sbyt.core import collection as pir
from sbyt.core.labels import label
from sbyt.core.money import kop
from sbyt.core.periods import parse_date

KIND_OPTIONS = [("Граждане", pir.HOUSEHOLD), ("Юрлица", pir.LEGAL)]
TASK_COLUMNS = ("Срок", "Дело", "Должник", "Наименование", "Этап", "Задача", "Исполнитель")
FORWARDED_COLUMNS = ("Срок", "Дело", "Должник", "Наименование", "Этап", "Задача", "Кому", "Состояние")
DOC_COLUMNS = ("Документ", "Вид", "Дата", "Дело", "Должник", "Долг, ₽", "Пени, ₽", "Пошлина, ₽", "Подготовил")
CASE_COLUMNS = ("Дело", "Должник", "Наименование", "Этап", "С", "Исполнитель", "Долг, ₽", "Пени, ₽")


def _executor(t: pir.Task, rights: sv.Rights | None) -> str:
    """The assignee, or «роль «оператор»» for a task anyone of the role may take."""
    name = rights.role_names.get(t.role, t.role) if rights else t.role
    return t.assignee or f"роль «{name}»"


def _overdue(due: date | None, today: date) -> Text | str:
    if due is None:
        return ""
    return Text(day(due), style="bold red") if due < today else day(due)


# ---------------------------------------------------------------- actions shared by the tabs and the card

class Actions:
    """Run a service in a thread worker; on success notify, then `after()` (a reload)."""

    def act(self, service: Callable[..., Any], *args: Any, done: Callable[[Any], str] | None = None,
            **kwargs: Any) -> None:
        def run() -> None:
            result = self.app.call(service, *args, **kwargs)
            self.app.call_from_thread(self._acted, done(result) if done else None)

        self.run_worker(run, thread=True, group="pir-action", exit_on_error=False)

    note = ""                   # the last action's result, kept on the status line over the reload

    def _acted(self, message: str | None) -> None:
        if message:
            self.notify(message)
            self.set_status(message)
            self.note = message
        self.reload()

    def set_status(self, message: str) -> None:
        pass

    def reload(self) -> None:
        raise NotImplementedError

    def finish(self, task: pir.Task | None) -> None:
        if task is None:
            self.app.show_error("Нет открытой задачи: выберите задачу «к исполнению».")
            return
        self.app.push_screen(ConfirmDialog(f"Отметить выполненной задачу № {task.id} по делу {task.case_number}:\n"
                                           f"«{task.title}»?"),
                             lambda ok: ok and self.act(pir.finish_task, task.id,
                                                        done=lambda _r: f"Задача № {task.id} выполнена."))

    def forward(self, task: pir.Task | None) -> None:
        if task is None:
            self.app.show_error("Нет открытой задачи: выберите задачу «к исполнению».")
            return

        def to(login: str | None) -> None:
            if login:
                self.act(pir.forward_task, task.id, login,
                         done=lambda new: f"Задача № {task.id} перенаправлена пользователю {login} (№ {new}).")

        self.app.push_screen(PromptDialog(f"Перенаправить задачу № {task.id} ({task.case_number}): логин",
                                          placeholder="логин пользователя (sbyt user list)"), to)


# ---------------------------------------------------------------- the workplace's tabs

class WorkPane(Vertical, Actions):
    """A tab of the workplace: a table filled by one service call, Enter opens the case card."""

    DEFAULT_CSS = """
    WorkPane { height: 1fr; }
    WorkPane DataTable { height: 1fr; }
    WorkPane .pir-status { height: 1; color: $text-muted; padding: 0 1; }
    """
    PREFIX = "pane"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items: list[Any] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield from self.form()
        yield DataTable(id=f"{self.PREFIX}-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id=f"{self.PREFIX}-status", classes="pir-status", markup=False)

    def form(self) -> ComposeResult:
        return iter(())

    @property
    def table(self) -> DataTable:
        return self.query_one(f"#{self.PREFIX}-table", DataTable)

    def set_status(self, message: str) -> None:
        self.query_one(f"#{self.PREFIX}-status", Static).update(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.worker_failed(event)

    def fetch(self) -> list[Any]:
        raise NotImplementedError

    def reload(self) -> None:
        def run() -> None:
            items = self.fetch()
            self.app.call_from_thread(self.show, items)

        self.run_worker(run, thread=True, exclusive=True, group=f"{self.PREFIX}-load", exit_on_error=False)

    def show(self, items: list[Any]) -> None:
        self.items = items
        self.loaded = True
        today = self.app.today
        fill(self.table, self.columns(), [self.row(i, today) for i in items])
        self.set_status((f"{self.note} " if self.note else "") + self.summary(items))
        self.note = ""

    def columns(self) -> Sequence[str]:
        raise NotImplementedError

    def row(self, item: Any, today: date) -> Sequence[Any]:  # noqa: ANN401
        raise NotImplementedError

    def summary(self, items: list[Any]) -> str:
        return f"Строк: {len(items)}"

    def current(self) -> Any:  # noqa: ANN401
        if not self.items or self.table.row_count == 0:
            return None
        return self.items[min(self.table.cursor_row, len(self.items) - 1)]

    def case_key(self, item: Any) -> str:  # noqa: ANN401
        return item.case_number

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        item = self.current()
        if item is not None:
            event.stop()
            self.app.push_screen(CaseCardScreen(self.case_key(item), self.screen.rights), lambda _: self.reload())


class TasksPane(WorkPane):
    """«Задачи мне» (open tasks of the session's user or, unassigned, of its role) or «Задачи
    перенаправленные» (the tasks the user passed on, with whom they went to)."""

    BINDINGS = [
        Binding("d,в", "finish", "Выполнено", id="pir.tasks.finish"),
        Binding("g,п", "forward", "Перенаправить", id="pir.tasks.forward"),
    ]

    def __init__(self, tab: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tab = tab
        self.PREFIX = f"tasks-{tab}"

    def fetch(self) -> list[pir.Task]:
        """The deadline first, then the case number (tasks of one day in the order of their cases)."""
        found = self.app.call(sv.my_tasks, self.tab)
        return sorted(found, key=lambda t: (t.due is None, t.due or date.min, t.case_number, t.id))

    def columns(self) -> Sequence[str]:
        return TASK_COLUMNS if self.tab == "mine" else FORWARDED_COLUMNS

    def row(self, t: pir.Task, today: date) -> Sequence[Any]:
        base = (_overdue(t.due, today) if t.status == "open" else day(t.due), t.case_number, t.debtor_no,
                t.debtor_name or "", label("debt_stage", t.stage), t.title, _executor(t, getattr(self.screen, "rights", None)))
        return base if self.tab == "mine" else (*base, label("debt_task_status", t.status))

    def summary(self, items: list[pir.Task]) -> str:
        if self.tab == "mine":
            late = sum(1 for t in items if t.due is not None and t.due < self.app.today)
            return f"Задач к исполнению: {len(items)}" + (f", просрочено: {late}" if late else "")
        return f"Перенаправлено задач: {len(items)}"

    def open_task(self) -> pir.Task | None:
        t = self.current()
        return t if t is not None and t.status == "open" else None

    def action_finish(self) -> None:
        self.finish(self.open_task())

    def action_forward(self) -> None:
        self.forward(self.open_task())


class ApprovalPane(WorkPane):
    """«Документы к согласованию»: the documents of cases with status «на согласовании»; A approves,
    J rejects (shown only with the right debt.approve)."""

    PREFIX = "approval"
    BINDINGS = [
        Binding("a,ф", "approve", "Согласовать", id="pir.docs.approve"),
        Binding("j,о", "reject", "Отклонить", id="pir.docs.reject"),
    ]

    def fetch(self) -> list[sv.DebtDocRow]:
        return self.app.call(sv.debt_docs, "approval")

    def columns(self) -> Sequence[str]:
        return DOC_COLUMNS

    def row(self, d: sv.DebtDocRow, today: date) -> Sequence[Any]:
        return (d.doc_no, label("debt_doc", d.kind), day(d.doc_date), d.case_number, d.debtor_no, money(d.principal_kop),
                money(d.penalty_kop), money(d.duty_kop) if d.duty_kop else "", d.created_by)

    def summary(self, items: list[sv.DebtDocRow]) -> str:
        return f"Документов на согласовании: {len(items)}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("approve", "reject"):
            rights = getattr(self.screen, "rights", None)
            return bool(rights and rights.approve)
        return True

    def decide(self, reject: bool) -> None:
        d = self.current()
        if d is None:
            self.app.show_error("Документов на согласовании нет.")
            return
        what = "Отклонить" if reject else "Согласовать"
        self.app.push_screen(
            ConfirmDialog(f"{what} документ {d.doc_no} «{label('debt_doc', d.kind)}» по делу {d.case_number}?"),
            lambda ok: ok and self.act(sv.approve_debt_doc, d.id, reject,
                                       done=lambda no: f"Документ {no} {'отклонён' if reject else 'согласован'}."))

    def action_approve(self) -> None:
        self.decide(False)

    def action_reject(self) -> None:
        self.decide(True)


class CasesPane(WorkPane):
    """«Дела»: the open (or all) cases by kind, stage and executor; Ctrl+R applies the filter."""

    PREFIX = "cases"
    BINDINGS = [Binding("ctrl+r", "apply", "Применить", id="pir.cases.apply")]

    def form(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Select(KIND_OPTIONS, prompt="Вид", id="c-kind", compact=True)
            yield Select([], prompt="Этап", id="c-stage", compact=True)
            yield Select([], prompt="Исполнитель", id="c-executor", compact=True)
            yield Checkbox("Закрытые тоже", id="c-closed", compact=True)

    def set_options(self, opts: sv.CollectionOptions) -> None:
        self.query_one("#c-stage", Select).set_options([(n, c) for c, n in opts.stages])
        self.query_one("#c-executor", Select).set_options([(u, u) for u in opts.users])

    def _value(self, wid: str) -> str | None:
        v = self.query_one(f"#{wid}", Select).value
        return None if v is Select.NULL else str(v)

    def fetch(self) -> list[pir.Case]:
        return self.app.call(pir.cases, status=None if self.query_one("#c-closed", Checkbox).value else "open",
                             stage=self._value("c-stage"), executor=self._value("c-executor"),
                             debtor_kind=self._value("c-kind"))

    def action_apply(self) -> None:
        self.reload()

    def columns(self) -> Sequence[str]:
        return CASE_COLUMNS

    def row(self, c: pir.Case, today: date) -> Sequence[Any]:
        stage = label("debt_stage", c.stage) + ("" if c.status == "open" else f" ({day(c.closed)})")
        return (c.number, c.debtor_no, c.debtor_name or "", stage, day(c.stage_since), c.executor or "",
                money(c.principal_kop), money(c.penalty_kop))

    def summary(self, items: list[pir.Case]) -> str:
        return (f"Дел: {len(items)} · долг {money(sum(c.principal_kop for c in items))} ₽"
                f" · пени {money(sum(c.penalty_kop for c in items))} ₽")

    def case_key(self, item: pir.Case) -> str:
        return item.number


# ---------------------------------------------------------------- dialogs

class ChoiceDialog(ModalScreen[dict | None]):
    """A choice (an event's kind, a stage) with its date, and optionally an amount; a note."""

    BINDINGS = [Binding("escape", "cancel", "Отмена", id="choice.cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]], on: date, amount: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.on = on
        self.amount = amount

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Select([(n, c) for c, n in self.options], value=self.options[0][0], allow_blank=False,
                         id="choice-kind", compact=True)
            yield Input(day(self.on), placeholder="дата ДД.ММ.ГГГГ", id="choice-date", compact=True)
            if self.amount:
                yield Input("", placeholder="сумма, ₽ (если есть)", id="choice-amount", compact=True)
            yield Input("", placeholder="примечание", id="choice-note", compact=True)
            yield Button("Записать (Enter)", id="choice-ok", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#choice-kind", Select).focus()

    def answer(self) -> None:
        try:
            on = parse_date(self.query_one("#choice-date", Input).value.strip())
        except ValueError as exc:
            self.app.show_error(f"Дата: {exc}")
            return
        amount = None
        if self.amount and (text := self.query_one("#choice-amount", Input).value.strip()):
            try:
                amount = kop(text)
            except ValueError as exc:
                self.app.show_error(f"Сумма: {exc}")
                return
        note = self.query_one("#choice-note", Input).value.strip() or None
        self.dismiss({"code": str(self.query_one("#choice-kind", Select).value), "on": on, "amount_kop": amount,
                      "note": note})

    def on_input_submitted(self) -> None:
        self.answer()

    def on_button_pressed(self) -> None:
        self.answer()

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------- the case card

class CaseCardScreen(ConsoleScreen, Actions):
    """Pushed with a callback: the tab it was opened from reloads when it closes."""

    TITLE = "Дело ПИР"
    HELP = """
Шапка: номер дела, должник, этап и с какого дня, исполнитель, долг и пени на начало дела.
Вкладки (клавиши 1–4): месяцы долга (долг, пени, срок оплаты, окончание срока исковой давности —
истёкшие красным), события с датами, задачи (выполненные, перенаправленные, к исполнению),
документы. D — задача выполнена, G — перенаправить задачу пользователю (на вкладке «Задачи» —
задача под курсором, иначе первая к исполнению), C — записать событие (вид, дата, сумма),
T — перевести на этап (только разрешённые схемой), N — подготовить документ этапа (на
согласование), A/J — согласовать/отклонить документ (право debt.approve). Права: дела, задачи и
события — debt.work; ограничение и возобновление подачи — debt.restrict. Esc — назад.
"""
    BINDINGS = [
        Binding("escape", "back", "Назад", id="pir.card.back"),
        Binding("d,в", "finish", "Выполнено", id="pir.card.finish"),
        Binding("g,п", "forward", "Перенаправить", id="pir.card.forward"),
        Binding("c,с", "event", "Событие", id="pir.card.event"),
        Binding("t,е", "stage", "Этап", id="pir.card.stage"),
        Binding("n,т", "prepare", "Документ", id="pir.card.prepare"),
        Binding("a,ф", "approve", "Согласовать", id="pir.card.approve"),
        Binding("j,о", "reject", "Отклонить", id="pir.card.reject"),
        Binding("1", "tab('pc-periods')", "Месяцы", show=False, id="pir.card.tab1"),
        Binding("2", "tab('pc-events')", "События", show=False, id="pir.card.tab2"),
        Binding("3", "tab('pc-tasks')", "Задачи", show=False, id="pir.card.tab3"),
        Binding("4", "tab('pc-docs')", "Документы", show=False, id="pir.card.tab4"),
    ]
    DEFAULT_CSS = """
    CaseCardScreen #pc-header { height: auto; padding: 0 1; }
    CaseCardScreen #pc-tabs, CaseCardScreen #pc-tabs ContentSwitcher, CaseCardScreen #pc-tabs TabPane { height: 1fr; }
    CaseCardScreen #pc-status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, key: str, rights: sv.Rights | None = None) -> None:
        super().__init__()
        self.key = key
        self.rights = rights
        self.data: sv.CaseCard | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("debtors", id="nav")
        yield Static("Загрузка…", id="pc-header")
        with TabbedContent(id="pc-tabs"):
            with TabPane("Месяцы долга", id="pc-periods"):
                yield DataTable(id="pc-periods-table", cursor_type="row", zebra_stripes=True)
            with TabPane("События", id="pc-events"):
                yield DataTable(id="pc-events-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Задачи", id="pc-tasks"):
                yield DataTable(id="pc-tasks-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Документы", id="pc-docs"):
                yield DataTable(id="pc-docs-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="pc-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.rights is None:
            def rights() -> None:
                r = self.app.call(sv.collection_rights)
                self.app.call_from_thread(setattr, self, "rights", r)
                self.app.call_from_thread(self.refresh_bindings)

            self.run_worker(rights, thread=True, group="pir-rights", exit_on_error=False)
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("approve", "reject"):
            return bool(self.rights and self.rights.approve)
        return True

    def set_status(self, message: str) -> None:
        self.query_one("#pc-status", Static).update(message)

    def reload(self) -> None:
        def run() -> None:
            data = self.app.call(sv.case_card, self.key)
            self.app.call_from_thread(self.show, data)

        self.run_worker(run, thread=True, exclusive=True, group="pir-card", exit_on_error=False)

    def show(self, d: sv.CaseCard) -> None:
        self.data = d
        c = d.case
        today = self.app.today
        self.key = c.number
        self.sub_title = c.number
        t = Text()
        t.append(f"Дело {c.number}", style="bold")
        t.append(f" · {label('debt_case_status', c.status)} · открыто {day(c.opened)}"
                 + (f" · закрыто {day(c.closed)}" if c.closed else "") + "\n")
        who = "ЛС" if c.debtor_kind == pir.HOUSEHOLD else "Договор №"
        t.append(f"{who} {c.debtor_no} · {c.debtor_name or ''}\n")
        t.append("Этап: ")
        t.append(d.stage_name, style="bold")
        t.append(f" с {day(c.stage_since)} · исполнитель: {c.executor or 'не назначен'}\n")
        t.append(f"Долг {money(c.principal_kop)} ₽ · пени {money(c.penalty_kop)} ₽ (на {day(c.as_of)})")
        self.query_one("#pc-header", Static).update(t)
        fill(self.query_one("#pc-periods-table", DataTable),
              ("Месяц", "Долг, ₽", "Пени, ₽", "Срок оплаты", "Давность до"),
              [(month(p), money(debt), money(pen) if pen else "", day(due),
                Text(f"{day(lim)} истекла", style="bold red") if lim < today else day(lim))
               for p, debt, pen, due, lim in d.periods])
        fill(self.query_one("#pc-events-table", DataTable),
              ("Дата", "Событие", "Этап", "Сумма, ₽", "Канал", "Примечание", "Кто"),
              [(day(on), label("debt_event", kind), label("debt_stage", stage), money(amount), channel or "",
                note or "", who) for _id, on, kind, stage, amount, channel, note, who in d.events])
        fill(self.query_one("#pc-tasks-table", DataTable),
              ("№", "Этап", "Задача", "Исполнитель", "Срок", "Состояние", "Перенаправил"),
              [(str(k.id), label("debt_stage", k.stage), k.title,
                _executor(k, self.rights), _overdue(k.due, today) if k.status == "open" else day(k.due), label("debt_task_status", k.status),
                k.forwarded_by or "") for k in d.tasks])
        fill(self.query_one("#pc-docs-table", DataTable),
              ("Документ", "Вид", "Дата", "Долг, ₽", "Пени, ₽", "Пошлина, ₽", "Срок", "Состояние", "Согласовал"),
              [(x.doc_no, label("debt_doc", x.kind), day(x.doc_date), money(x.principal_kop), money(x.penalty_kop),
                money(x.duty_kop) if x.duty_kop else "", day(x.deadline), label("debt_doc_status", x.status),
                x.approved_by or "") for x in d.docs])

    def action_back(self) -> None:
        self.dismiss(None)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    # -- tasks ------------------------------------------------------------------------------------
    def open_task(self) -> pir.Task | None:
        """The task under the cursor on the «Задачи» tab (if open), else the case's first open task."""
        if self.data is None:
            return None
        if self.query_one(TabbedContent).active == "pc-tasks" and self.data.tasks:
            table = self.query_one("#pc-tasks-table", DataTable)
            k = self.data.tasks[min(table.cursor_row, len(self.data.tasks) - 1)]
            if k.status == "open":
                return k
        return next((k for k in self.data.tasks if k.status == "open"), None)

    def action_finish(self) -> None:
        self.finish(self.open_task())

    def action_forward(self) -> None:
        self.forward(self.open_task())

    # -- events and stages ------------------------------------------------------------------------
    def _open_case(self) -> pir.Case | None:
        if self.data is None:
            return None
        if self.data.case.status != "open":
            self.app.show_error(f"Дело {self.data.case.number} закрыто.")
            return None
        return self.data.case

    def action_event(self) -> None:
        case = self._open_case()
        if case is None:
            return
        kinds = [(k, label("debt_event", k)) for k in pir.EVENT_STAGE]

        def chosen(v: dict | None) -> None:
            if v:
                self.act(pir.add_event, case.number, v["code"], v["on"], amount_kop=v["amount_kop"], note=v["note"],
                         done=lambda c: f"Записано событие «{label('debt_event', v['code'])}» {day(v['on'])};"
                                        f" этап: {label('debt_stage', c.stage)}.")

        self.app.push_screen(ChoiceDialog(f"Событие по делу {case.number}", kinds, self.app.today, amount=True),
                             chosen)

    def action_stage(self) -> None:
        case = self._open_case()
        if case is None:
            return
        if not self.data.next_stages:
            self.app.show_error(f"С этапа «{self.data.stage_name}» перейти некуда.")
            return

        def chosen(v: dict | None) -> None:
            if v:
                self.act(pir.set_stage, case.number, v["code"], v["on"], v["note"],
                         done=lambda c: f"Дело {c.number} переведено на этап «{label('debt_stage', c.stage)}»"
                                        f" с {day(c.stage_since)}.")

        self.app.push_screen(ChoiceDialog(f"Дело {case.number}: перевести с этапа «{self.data.stage_name}» на",
                                          self.data.next_stages, self.app.today), chosen)

    # -- documents --------------------------------------------------------------------------------
    def action_prepare(self) -> None:
        case = self._open_case()
        if case is None:
            return
        self.app.push_screen(
            ConfirmDialog(f"Подготовить документ этапа «{self.data.stage_name}» по делу {case.number}"
                          f" на {day(self.app.today)}?"),
            lambda ok: ok and self.act(sv.prepare_stage_doc, case.number, self.app.today,
                                       done=lambda no: f"Документ {no} подготовлен и ждёт согласования."))

    def _doc(self) -> sv.DebtDocRow | None:
        if self.data is None:
            return None
        waiting = [x for x in self.data.docs if x.status == "approval"]
        if self.query_one(TabbedContent).active == "pc-docs" and self.data.docs:
            x = self.data.docs[min(self.query_one("#pc-docs-table", DataTable).cursor_row, len(self.data.docs) - 1)]
            if x.status == "approval":
                return x
        return waiting[0] if waiting else None

    def decide(self, reject: bool) -> None:
        x = self._doc()
        if x is None:
            self.app.show_error("Документов на согласовании нет.")
            return
        what = "Отклонить" if reject else "Согласовать"
        self.app.push_screen(ConfirmDialog(f"{what} документ {x.doc_no} «{label('debt_doc', x.kind)}»?"),
                             lambda ok: ok and self.act(sv.approve_debt_doc, x.id, reject,
                                                        done=lambda no: f"Документ {no} "
                                                        + ("отклонён." if reject else "согласован.")))

    def action_approve(self) -> None:
        self.decide(False)

    def action_reject(self) -> None:
        self.decide(True)
