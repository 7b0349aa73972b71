"""`sbyt epd`: household payment documents (ЕПД) — mass printing to PDF and delivery by e-mail."""

from __future__ import annotations

import typer

from sbyt.console.cli import common, files
from sbyt.core.periods import period_label


epd_app = typer.Typer(name="epd", help="Единый платёжный документ (ЕПД): печать и рассылка по e-mail.",
                      no_args_is_help=True)


@epd_app.command("print", help="Сформировать ЕПД за закрытый период одним PDF-файлом, в порядке доставки "
                               "(населённый пункт, улица, дом, квартира).")
def print_cmd(
    out: str = typer.Option(..., "--out", "-o", help="PDF-файл результата.", metavar="FILE.pdf"),
    period: str = typer.Option(None, "--period", "-p", help="Период ГГГГ-ММ (по умолчанию последний закрытый)."),
    district: list[str] = typer.Option(None, "--district", help="Код района (можно несколько раз)."),
    building: list[str] = typer.Option(None, "--building", help="Код дома (можно несколько раз)."),
    account: list[str] = typer.Option(None, "--account", help="Номер лицевого счёта (можно несколько раз)."),
    limit: int = typer.Option(None, "--limit", help="Не больше N документов.", min=1),
    workers: int = typer.Option(None, "--workers", help="Число процессов отрисовки (по умолчанию — число ядер).",
                                min=1),
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from sbyt.reports.epd_print import print_epd

    with common.store(read_only=True) as st, Progress(
        TextColumn("ЕПД"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=_stderr(), transient=True,
    ) as bar:
        task = bar.add_task("ЕПД", total=None)
        result = print_epd(
            st, out, period=common.period_arg(period), districts=district or (),
            buildings=building or (), accounts=account or (), limit=limit, workers=workers,
            on_selected=lambda n: bar.update(task, total=n),
            progress=lambda done, total: bar.update(task, completed=done), save=files.write,
        )
    common.err(f"ЕПД за {period_label(result.period)}: {result.pages} стр. в {result.path} "
               f"за {result.seconds:.1f} с ({result.pages_per_second:.0f} стр./с).")


@epd_app.command("send", help="Разослать ЕПД за закрытый период по e-mail лицевым счетам с согласием на "
                              "электронную доставку. Уже доставленные повторно не отправляются; настройки SMTP — "
                              "в sbyt.toml рядом с базой или в файле $SBYT_CONFIG.")
def send_cmd(
    period: str = typer.Option(None, "--period", "-p", help="Период ГГГГ-ММ (по умолчанию последний закрытый)."),
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from sbyt.core.config import smtp_config
    from sbyt.reports.epd_mail import send_epd

    with common.store() as st:
        cfg = smtp_config(st.path)
        with Progress(TextColumn("Рассылка ЕПД"), BarColumn(), MofNCompleteColumn(), console=_stderr(),
                      transient=True) as bar:
            task = bar.add_task("send", total=None)
            res = send_epd(st, cfg, period=common.period_arg(period),
                           progress=lambda done, total: bar.update(task, completed=done, total=total))
    common.err(f"ЕПД за {period_label(res.period)}: отправлено {res.sent}, ошибок {res.failed}, "
               f"уже были доставлены ранее {res.skipped}.")
    if res.failed:
        common.err("Причины ошибок — в журнале доставки (таблица epd_delivery).")


def _stderr():  # noqa: ANN202 - rich Console
    from rich.console import Console

    return Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.add_typer(epd_app)
